from datetime import UTC, date, datetime

import pytest

from tests.factories import AT, actor, make_art, make_feature, make_pi, make_story
from trainmaster.domain.access import Permission, Role
from trainmaster.domain.dependency import Dependency, DependencyState, dependency_state
from trainmaster.domain.errors import Conflict, Forbidden, Invalid
from trainmaster.domain.event import Event, EventKind
from trainmaster.domain.impediment import Impediment, Level
from trainmaster.domain.objective import Objective
from trainmaster.domain.risk import Risk, Roam
from trainmaster.domain.work_item import ItemLevel, KanbanState, StatusChange, WorkItem


def test_an_item_cannot_depend_on_itself():
    with pytest.raises(Invalid, match="itself") as err:
        Dependency(consumer_id=4, provider_id=4)
    assert err.value.field == "provider_id"


def test_points_must_not_be_negative():
    with pytest.raises(Invalid) as err:
        make_story(points=-1)
    assert err.value.field == "points"


def test_wsjf_terms_must_be_on_the_modified_fibonacci_scale():
    with pytest.raises(Invalid, match="one of 1, 2, 3, 5, 8, 13, 20") as err:
        make_feature(job_size=4)
    assert err.value.field == "job_size"


def test_wsjf_is_cost_of_delay_over_job_size():
    feature = make_feature(business_value=8, time_criticality=5, risk_reduction=3, job_size=8)
    assert feature.cost_of_delay == 16
    assert feature.wsjf == 2.0


def test_wsjf_is_unknown_while_a_term_is_missing():
    assert make_feature(business_value=8, time_criticality=5, job_size=8).wsjf is None


def test_a_feature_cannot_be_planned_into_an_iteration_of_another_pi():
    feature = make_feature(pi_id=1)
    with pytest.raises(Invalid, match="another PI") as err:
        feature.plan(iteration_pi_id=2, iteration_id=9)
    assert err.value.field == "iteration_id"
    feature.plan(iteration_pi_id=1, iteration_id=3)
    assert feature.iteration_id == 3


def test_a_feature_needs_a_pi_before_an_iteration():
    with pytest.raises(Invalid, match="PI first"):
        make_feature().plan(iteration_pi_id=1, iteration_id=3)


def test_a_feature_status_must_be_an_art_kanban_state():
    assert make_feature().status == KanbanState.FUNNEL
    with pytest.raises(Invalid, match="ART Kanban state"):
        make_feature(status="in_progress")


def test_an_epic_is_never_planned_into_an_iteration():
    epic = WorkItem(art_id=1, level=ItemLevel.EPIC, key="E-1", title="Wallet")
    with pytest.raises(Invalid):
        epic.plan(iteration_pi_id=1, iteration_id=1)


@pytest.mark.parametrize("value", [0, 11])
def test_planned_business_value_is_one_to_ten(value):
    with pytest.raises(Invalid) as err:
        Objective(pi_id=1, text="Pay by link live", planned_bv=value)
    assert err.value.field == "planned_bv"


@pytest.mark.parametrize("value", [-1, 11])
def test_actual_business_value_is_zero_to_ten(value):
    with pytest.raises(Invalid) as err:
        Objective(pi_id=1, text="Pay by link live", actual_bv=value)
    assert err.value.field == "actual_bv"


def test_actual_business_value_may_be_zero():
    assert Objective(pi_id=1, text="x", planned_bv=1, actual_bv=0).actual_bv == 0


def test_a_roam_change_records_who_and_when():
    risk = Risk(art_id=1, title="Vendor API late", id=5)
    change = risk.move(Roam.MITIGATED, by_user_id=7, at=AT, note="fallback agreed")
    assert (change.risk_id, change.from_roam, change.to_roam) == (5, Roam.UNROAMED, Roam.MITIGATED)
    assert (change.by_user_id, change.at) == (7, AT)
    assert risk.roam is Roam.MITIGATED


def test_an_owned_risk_needs_a_named_owner():
    risk = Risk(art_id=1, title="Vendor API late")
    with pytest.raises(Invalid, match="owner"):
        risk.move(Roam.OWNED, by_user_id=7, at=AT)
    assert risk.roam is Roam.UNROAMED
    risk.move(Roam.OWNED, by_user_id=7, at=AT, owner_id=3)
    assert (risk.roam, risk.owner_id) == (Roam.OWNED, 3)


def test_a_risk_is_overdue_only_while_open():
    risk = Risk(art_id=1, title="x", due=date(2026, 11, 1))
    assert risk.is_overdue(date(2026, 11, 2))
    risk.move(Roam.RESOLVED, by_user_id=None, at=AT)
    assert not risk.is_overdue(date(2026, 11, 2))


def test_impediments_escalate_team_art_portfolio_then_stop():
    imp = Impediment(art_id=1, title="No test environment", id=3)
    assert imp.escalate(at=AT, by_user_id=1).level is Level.ART
    assert imp.escalate(at=AT, by_user_id=1).level is Level.PORTFOLIO
    with pytest.raises(Conflict, match="already at portfolio"):
        imp.escalate(at=AT, by_user_id=1)


def test_a_resolved_impediment_cannot_be_resolved_or_escalated_again():
    imp = Impediment(art_id=1, title="No test environment")
    imp.resolve(at=AT, by_user_id=1)
    with pytest.raises(Conflict):
        imp.resolve(at=AT, by_user_id=1)
    with pytest.raises(Conflict):
        imp.escalate(at=AT, by_user_id=1)


def test_status_changes_need_an_aware_time():
    with pytest.raises(Invalid):
        StatusChange(item_id=1, to_status="done", at=datetime(2026, 1, 1))


def test_events_must_not_end_before_they_start():
    with pytest.raises(Invalid) as err:
        Event(art_id=1, kind=EventKind.SYSTEM_DEMO, title="Demo",
              start=datetime(2026, 1, 2, tzinfo=UTC), end=datetime(2026, 1, 1, tzinfo=UTC))
    assert err.value.field == "end"


def test_pi_builds_four_iterations_and_an_ip_iteration():
    pi = make_pi(id=1)
    its = pi.build_iterations()
    assert [i.name for i in its] == ["I1", "I2", "I3", "I4", "IP"]
    assert its[0].start_date == date(2026, 11, 2) and its[0].end_date == date(2026, 11, 15)
    assert its[-1].is_ip and its[-1].end_date == pi.end_date == date(2027, 1, 10)
    assert pi.iteration_index_on(date(2026, 11, 20)) == 2


def test_art_rejects_unknown_time_zone_and_bad_guardrails():
    with pytest.raises(Invalid) as err:
        make_art(timezone="Mars/Olympus")
    assert err.value.field == "timezone"
    with pytest.raises(Invalid, match="add up to 1"):
        make_art(guardrails={"business": 0.5, "enabler": 0.2})


@pytest.mark.parametrize(("p", "c", "state"), [
    (1, 2, DependencyState.OK), (2, 2, DependencyState.AT_RISK),
    (3, 2, DependencyState.LATE), (None, 2, DependencyState.UNPLANNED),
    (1, None, DependencyState.UNPLANNED),
])
def test_dependency_state_by_iteration_index(p, c, state):
    assert dependency_state(p, c) is state


def test_only_business_owners_set_business_value():
    assert actor(Role.BUSINESS_OWNER).can(Permission.SET_BUSINESS_VALUE, 1)
    for role in set(Role) - {Role.BUSINESS_OWNER}:
        assert not actor(role).can(Permission.SET_BUSINESS_VALUE, 1), role


def test_only_the_rte_runs_the_confidence_vote():
    assert actor(Role.RTE).can(Permission.RUN_VOTE, 1)
    for role in set(Role) - {Role.RTE}:
        assert not actor(role).can(Permission.RUN_VOTE, 1), role


def test_viewers_never_write():
    viewer = actor(Role.VIEWER)
    assert [p for p in Permission if viewer.can(p, 1)] == [Permission.VIEW]


def test_roles_apply_only_to_their_art():
    with pytest.raises(Forbidden, match="ART 2"):
        actor(Role.RTE, art_id=1).require(Permission.MANAGE_TRAIN, 2)
