from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import actor
from tests.fakes import FakeUnitOfWork
from trainmaster.analytics.impediments import level_report, stays
from trainmaster.domain.access import SYSTEM, Role
from trainmaster.domain.errors import Conflict, Forbidden, Invalid
from trainmaster.domain.impediment import Impediment, ImpedimentStep, Level
from trainmaster.services import catalog
from trainmaster.services import impediments as service

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def hours(n: float) -> datetime:
    return T0 + timedelta(hours=n)


@pytest.fixture
def uow():
    uow = FakeUnitOfWork()
    catalog.create_entity(uow, SYSTEM, "arts", {"name": "Payments ART", "key": "PAY"}, at=T0)
    catalog.create_entity(uow, SYSTEM, "teams", {"art_id": 1, "name": "Osprey"}, at=T0)
    return uow


def test_raising_records_the_entry_at_team_level_with_who_and_when(uow):
    sm = actor(Role.SCRUM_MASTER, user_id=5)
    raised = service.raise_impediment(uow, sm, 1, "Staging is down", team_id=1, at=T0)
    steps = uow.impediment_steps.find(impediment_id=raised.id)
    assert [(s.level, s.at, s.by_user_id, s.resolved) for s in steps] == [
        (Level.TEAM, T0, 5, False)]


def test_each_escalation_is_time_stamped_up_to_portfolio(uow):
    rte = actor(Role.RTE, user_id=1)
    raised = service.raise_impediment(uow, rte, 1, "Vendor contract blocks release", at=T0)
    service.escalate_impediment(uow, rte, raised.id, at=hours(20))
    service.escalate_impediment(uow, rte, raised.id, at=hours(50))
    done = service.resolve_impediment(uow, rte, raised.id, at=hours(80))
    steps = uow.impediment_steps.find(impediment_id=raised.id, order_by="at")
    assert [(s.level, s.at, s.resolved) for s in steps] == [
        (Level.TEAM, T0, False), (Level.ART, hours(20), False),
        (Level.PORTFOLIO, hours(50), False), (Level.PORTFOLIO, hours(80), True)]
    assert done.level is Level.PORTFOLIO and done.resolved_at == hours(80)


def test_nothing_escalates_beyond_portfolio_or_after_resolution(uow):
    rte = actor(Role.RTE)
    raised = service.raise_impediment(uow, rte, 1, "x", level=Level.PORTFOLIO, at=T0)
    with pytest.raises(Conflict):
        service.escalate_impediment(uow, rte, raised.id, at=hours(1))
    service.resolve_impediment(uow, rte, raised.id, at=hours(2))
    with pytest.raises(Conflict):
        service.resolve_impediment(uow, rte, raised.id, at=hours(3))


def test_a_step_before_the_previous_one_is_refused(uow):
    rte = actor(Role.RTE)
    raised = service.raise_impediment(uow, rte, 1, "x", at=hours(10))
    with pytest.raises(Invalid):
        service.escalate_impediment(uow, rte, raised.id, at=hours(5))
    assert uow.impediments.get(raised.id).level is Level.TEAM


def test_a_team_member_cannot_escalate(uow):
    raised = service.raise_impediment(uow, actor(Role.RTE), 1, "x", at=T0)
    with pytest.raises(Forbidden):
        service.escalate_impediment(uow, actor(Role.TEAM_MEMBER), raised.id, at=hours(1))


def history(escalations: list[float], resolved: float | None, start: Level = Level.TEAM):
    imp = Impediment(art_id=1, title="x", raised_at=T0, id=1, level=start)
    steps = [ImpedimentStep(1, start, T0)]
    level = start
    for h in escalations:
        level = {Level.TEAM: Level.ART, Level.ART: Level.PORTFOLIO}[level]
        steps.append(ImpedimentStep(1, level, hours(h)))
    if resolved is not None:
        steps.append(ImpedimentStep(1, level, hours(resolved), resolved=True))
        imp.resolved_at = hours(resolved)
    imp.level = level
    return imp, steps


def test_time_at_each_level_runs_from_entry_to_the_next_step():
    imp, steps = history([24, 72], 100)
    found = [(s.level, s.hours(hours(999)), s.resolved_here) for s in stays(imp, steps)]
    assert found == [(Level.TEAM, 24, False), (Level.ART, 48, False),
                     (Level.PORTFOLIO, 28, True)]


def test_an_open_impediment_counts_until_now():
    imp, steps = history([10], None)
    last = stays(imp, steps)[-1]
    assert last.left is None and last.hours(hours(30)) == 20


def test_a_history_without_its_first_step_starts_at_the_raise():
    imp, steps = history([24], 30)
    found = stays(imp, steps[1:])
    assert [(s.level, s.entered) for s in found] == [(Level.TEAM, T0), (Level.ART, hours(24))]


def test_the_report_gives_counts_and_medians_per_level():
    histories = [history([], 10), history([], 30), history([20], 50), history([4, 8], None)]
    team, art, portfolio = level_report(histories, now=hours(100))
    assert (team.reached, team.resolved, team.escalated, team.open) == (4, 2, 2, 0)
    assert team.median_hours == 15            # stays of 10, 30, 20, 4 hours
    assert team.median_resolve_hours == 20    # resolved at team after 10 and 30 hours
    assert (art.reached, art.resolved, art.escalated) == (2, 1, 1)
    assert art.median_resolve_hours == 30 and art.median_total_hours == 50
    assert (portfolio.reached, portfolio.open, portfolio.median_hours) == (1, 1, None)


def test_the_service_report_covers_the_arts_impediments(uow):
    rte = actor(Role.RTE)
    first = service.raise_impediment(uow, rte, 1, "a", at=T0)
    service.resolve_impediment(uow, rte, first.id, at=hours(6))
    second = service.raise_impediment(uow, rte, 1, "b", at=T0)
    service.escalate_impediment(uow, rte, second.id, at=hours(2))
    report = service.impediment_report(uow, rte, 1, at=hours(10))
    assert (report.open, report.resolved) == (1, 1)
    assert [lv.reached for lv in report.levels] == [2, 1, 0]
    assert report.levels[1].open == 1
