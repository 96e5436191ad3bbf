"""A small train in the fake unit of work: two teams, a closed and a running PI, stories
with status histories (done, in progress, not started)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.factories import make_art, make_pi, make_story, make_team
from tests.fakes import FakeUnitOfWork
from trainmaster.domain.objective import Objective
from trainmaster.domain.pi import PiState
from trainmaster.domain.work_item import StatusChange

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
PI_START = date(2026, 11, 2)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def add_story(uow: FakeUnitOfWork, key: str, team_id: int, pi_id: int | None,
              steps: list[tuple[str, date]], work_type: str = "business") -> int:
    story = uow.items.add(make_story(key=key, team_id=team_id, pi_id=pi_id,
                                     work_type=work_type))
    previous = None
    for status, day in steps:
        uow.status_changes.add(StatusChange(story.id, status, at(day), previous))
        previous = status
    return story.id


def build_train(uow: FakeUnitOfWork) -> dict[str, int]:
    """One story done per working day from 2026-05-04 (flow time 2 days, 1 of them blocked),
    then in the running PI: 6 done, 3 in progress, 5 not started."""
    art = uow.arts.add(make_art())
    osprey = uow.teams.add(make_team(art_id=art.id, name="Osprey"))
    kestrel = uow.teams.add(make_team(art_id=art.id, name="Kestrel"))
    old = uow.pis.add(make_pi(art_id=art.id, name="PI 26.4", start_date=date(2026, 8, 24),
                              state=PiState.CLOSED))
    pi = uow.pis.add(make_pi(art_id=art.id, name="PI 26.5", start_date=PI_START,
                             state=PiState.EXECUTING))
    day, n = date(2026, 5, 4), 0
    while day < PI_START:
        if day.weekday() < 5:
            n += 1
            team = osprey.id if n % 2 else kestrel.id
            add_story(uow, f"OLD-{n}", team, old.id, [
                ("todo", day - timedelta(days=5)), ("in_progress", day - timedelta(days=2)),
                ("blocked", day - timedelta(days=1)), ("done", day)])
        day += timedelta(days=1)
    for k in range(6):
        done = PI_START + timedelta(days=3 + 2 * k)
        add_story(uow, f"NEW-{k}", osprey.id if k < 4 else kestrel.id, pi.id, [
            ("todo", PI_START), ("in_progress", done - timedelta(days=3)), ("done", done)],
            work_type="defect" if k == 0 else "business")
    for k in range(3):
        add_story(uow, f"WIP-{k}", osprey.id, pi.id, [
            ("todo", PI_START), ("in_progress", PI_START + timedelta(days=k * 8))])
    for k in range(5):
        add_story(uow, f"TODO-{k}", kestrel.id, pi.id, [("todo", PI_START)])
    for team, planned, actual in ((osprey.id, 10, 8), (kestrel.id, 10, 10)):
        uow.objectives.add(Objective(pi_id=old.id, team_id=team, text="Ship it",
                                     planned_bv=planned, actual_bv=actual))
    uow.objectives.add(Objective(pi_id=pi.id, team_id=osprey.id, text="Ship more",
                                 planned_bv=8))
    uow.commit()
    return {"art": art.id, "osprey": osprey.id, "kestrel": kestrel.id, "old": old.id,
            "pi": pi.id}


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def train(uow: FakeUnitOfWork) -> dict[str, int]:
    return build_train(uow)
