from datetime import UTC, date, datetime

import pytest

from tests.factories import actor
from tests.unit.execution.conftest import AT, add
from trainmaster.domain.access import Role
from trainmaster.domain.errors import Conflict, Forbidden, Invalid, NotFound
from trainmaster.domain.work_item import StatusChange, WorkType
from trainmaster.domain.workshop import CauseCategory, ProblemStage
from trainmaster.services import inspect_adapt as ia
from trainmaster.services.review import predictability

RTE = actor(Role.RTE, user_id=1)


def objectives(uow):
    # Osprey: committed 8 and 5 planned, actual 7 + 5, an uncommitted stretch delivering 2
    add(uow, "objectives", pi_id=1, team_id=1, text="A", planned_bv=8, actual_bv=7)
    add(uow, "objectives", pi_id=1, team_id=1, text="B", planned_bv=5, actual_bv=5)
    add(uow, "objectives", pi_id=1, team_id=1, text="C", planned_bv=3, actual_bv=2,
        committed=False)
    add(uow, "objectives", pi_id=1, team_id=2, text="D", planned_bv=10, actual_bv=6)


def test_predictability_counts_all_actual_bv_over_committed_planned_bv(uow):
    objectives(uow)
    review = ia.workshop_view(uow, RTE, 1, at=AT).review
    teams = {t.label: t for t in review.teams}
    assert (teams["Osprey"].actual, teams["Osprey"].planned, teams["Osprey"].percent) == (
        14, 13, 107.7)
    assert teams["Falcon"].percent == 60.0 and not teams["Falcon"].in_band
    assert (review.art.actual, review.art.planned, review.art.percent) == (20, 23, 87.0)
    assert review.art.in_band


def test_objectives_without_actual_bv_are_reported_as_such(uow):
    # the fixture's "Refunds live" objective has neither planned nor actual BV
    row = ia.workshop_view(uow, RTE, 1, at=AT).review.teams[0]
    assert (row.without_actual, row.percent) == (1, None)


def test_predictability_is_none_without_committed_value():
    assert predictability("x", None, []).percent is None


def test_the_review_is_kept_as_a_snapshot(uow):
    objectives(uow)
    workshop = ia.open_workshop(uow, RTE, 1, at=AT)
    kept = ia.record_review(uow, RTE, workshop.id, at=AT)
    assert kept.review["art"]["percent"] == 87.0
    assert [h["pi"] for h in kept.review["history"]] == ["PI 1"]


def test_opening_twice_gives_the_same_workshop(uow):
    assert ia.open_workshop(uow, RTE, 1, at=AT).id == ia.open_workshop(uow, RTE, 1, at=AT).id


def test_demo_and_retrospective_are_recorded(uow):
    workshop = ia.open_workshop(uow, RTE, 1, at=AT)
    ia.record_demo(uow, RTE, workshop.id, notes="Refunds shown end to end", feature_ids=[1])
    ia.add_retro_note(uow, RTE, workshop.id, "well", "Dependencies surfaced early")
    ia.add_retro_note(uow, RTE, workshop.id, "improve", "Staging is flaky")
    stored = uow.workshops.get(workshop.id)
    assert (stored.demo_feature_ids, stored.retro_well, stored.retro_improve) == (
        [1], ["Dependencies surfaced early"], ["Staging is flaky"])
    with pytest.raises(Invalid):
        ia.record_demo(uow, RTE, workshop.id, notes="", feature_ids=[3])  # a story


def walk_to_solutions(uow):
    workshop = ia.open_workshop(uow, RTE, 1, at=AT)
    problem = ia.add_problem(uow, RTE, workshop.id, "Releases slip by a week")
    ia.move_problem(uow, RTE, problem.id, ProblemStage.FISHBONE)
    tests = ia.add_cause(uow, RTE, problem.id, CauseCategory.TOOLS, "Flaky tests")
    ia.add_cause(uow, RTE, problem.id, CauseCategory.PEOPLE, "One release manager")
    ia.move_problem(uow, RTE, problem.id, ProblemStage.WHYS)
    ia.ask_why(uow, RTE, tests.id, "Tests share one database")
    ia.move_problem(uow, RTE, problem.id, ProblemStage.VOTE)
    bars = ia.record_votes(uow, RTE, problem.id, {tests.id: 9, tests.id + 1: 3})
    assert [b.votes for b in bars] == [9, 3]
    ia.move_problem(uow, RTE, problem.id, ProblemStage.RESTATE)
    ia.restate_problem(uow, RTE, problem.id, "Shared test database makes tests flaky")
    ia.move_problem(uow, RTE, problem.id, ProblemStage.SOLUTIONS)
    return workshop, problem


def test_the_workshop_ends_in_improvement_items_in_the_next_pi(uow):
    workshop, problem = walk_to_solutions(uow)
    ia.add_solution(uow, RTE, problem.id, "One database per test run")
    ia.add_solution(uow, RTE, problem.id, "Remove dead tests", work_type=WorkType.TECH_DEBT)
    items = ia.create_improvements(uow, RTE, problem.id, at=AT)
    assert [(i.key, i.pi_id, i.work_type, i.status, i.level.value) for i in items] == [
        ("PAY-IA-1", 2, WorkType.ENABLER, "backlog", "feature"),
        ("PAY-IA-2", 2, WorkType.TECH_DEBT, "backlog", "feature")]
    assert f"workshop:{workshop.id}" in items[0].description
    assert "/pis/1/inspect-adapt" in items[0].description
    view = ia.problem_view(uow, RTE, problem.id)
    assert view.problem.stage is ProblemStage.DONE
    assert [item.id for _, item in view.solutions] == [i.id for i in items]
    assert [c.to_status for c in uow.status_changes.find(item_id=items[0].id)] == ["backlog"]


def test_improvements_need_a_next_pi(uow):
    uow.pis.remove(uow.pis.get(2))
    uow.commit()
    _, problem = walk_to_solutions(uow)
    ia.add_solution(uow, RTE, problem.id, "x")
    with pytest.raises(NotFound, match="create the next PI"):
        ia.create_improvements(uow, RTE, problem.id, at=AT)


def test_steps_are_enforced_by_the_service(uow):
    workshop = ia.open_workshop(uow, RTE, 1, at=AT)
    problem = ia.add_problem(uow, RTE, workshop.id, "x")
    with pytest.raises(Conflict):
        ia.add_cause(uow, RTE, problem.id, CauseCategory.TOOLS, "too early")
    with pytest.raises(Conflict):
        ia.add_solution(uow, RTE, problem.id, "too early")
    with pytest.raises(Invalid):
        ia.move_problem(uow, RTE, problem.id, ProblemStage.DONE)


def test_votes_only_for_the_problems_own_causes(uow):
    _, problem = walk_to_solutions(uow)
    ia.move_problem(uow, RTE, problem.id, ProblemStage.RESTATE)
    ia.move_problem(uow, RTE, problem.id, ProblemStage.VOTE)
    with pytest.raises(Invalid):
        ia.record_votes(uow, RTE, problem.id, {999: 1})


def test_a_viewer_reads_but_does_not_run_the_workshop(uow):
    with pytest.raises(Forbidden):
        ia.open_workshop(uow, actor(Role.VIEWER), 1, at=AT)
    assert ia.workshop_view(uow, actor(Role.VIEWER), 1, at=AT).workshop is None


def test_the_review_carries_the_pis_flow_metrics(uow):
    for status, day in (("analyzing", 3), ("implementing", 5), ("done", 13)):
        uow.status_changes.add(StatusChange(item_id=1, to_status=status,
                                            at=datetime(2026, 11, day, 9, tzinfo=UTC)))
    uow.commit()
    flow = ia.workshop_view(uow, RTE, 1, at=AT).review.flow
    assert flow.window == (date(2026, 11, 2), date(2026, 11, 24))
    assert flow.completed == 1 and flow.flow_time_days[50] == 10.0
    assert flow.distribution == {"business": 1.0}
