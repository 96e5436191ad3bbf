"""The ART calendar (PI Planning, ART Syncs, demos, I&A, milestones) and action items."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from trainmaster.domain.action import ActionItem, ActionStatus
from trainmaster.domain.event import Event, EventKind
from trainmaster.simulation import text
from trainmaster.simulation.cadence import INSPECT_AFTER_START, PLANNING_BEFORE_START, PiFrame
from trainmaster.simulation.data import TrainData, keep
from trainmaster.simulation.org import ArtOrg
from trainmaster.simulation.workdays import WORK_HOURS, WORK_START_HOUR

SYNC_HOUR = 10


def _event(data: TrainData, org: ArtOrg, frame: PiFrame, kind: EventKind, title: str, day: date,
           hours: tuple[float, float], location: str = "Video call") -> None:
    zone = ZoneInfo(org.art.timezone)
    start, end = (datetime.combine(day, time(), zone) + timedelta(hours=h) for h in hours)
    keep(data.events, Event(art_id=org.art.id or 0, kind=kind, title=title, start=start, end=end,
                            pi_id=frame.pi.id, location=location))


def sync_days(frame: PiFrame) -> list[date]:
    """Tuesdays of the development iterations."""
    start = frame.pi.start_date
    return [start + timedelta(days=1 + 7 * week) for week in range(2 * frame.dev_iterations)]


def record_events(data: TrainData, rng: np.random.Generator, org: ArtOrg, frame: PiFrame) -> None:
    pi, start = frame.pi, frame.pi.start_date
    for number in (1, 2):
        _event(data, org, frame, EventKind.PI_PLANNING, f"PI Planning {pi.name}, day {number}",
               start - timedelta(days=PLANNING_BEFORE_START - number + 1), (9, 17.5),
               "Main hall and video call")
    for week, day in enumerate(sync_days(frame), start=1):
        _event(data, org, frame, EventKind.ART_SYNC, f"ART Sync {pi.name}, week {week}", day,
               (SYNC_HOUR, SYNC_HOUR + 1))
    for it in frame.iterations[:frame.dev_iterations]:
        _event(data, org, frame, EventKind.SYSTEM_DEMO, f"System Demo {pi.name} {it.name}",
               it.start_date + timedelta(days=10), (14, 15.5))
    ip = frame.iterations[-1].start_date
    _event(data, org, frame, EventKind.PI_SYSTEM_DEMO, f"PI System Demo {pi.name}",
           ip + timedelta(days=1), (14, 16), "Main hall and video call")
    _event(data, org, frame, EventKind.INSPECT_ADAPT, f"Inspect & Adapt {pi.name}",
           start + timedelta(days=INSPECT_AFTER_START), (9, 13), "Main hall and video call")
    release = frame.iterations[1].end_date - timedelta(days=2)
    _event(data, org, frame, EventKind.MILESTONE, f"Release {pi.name.removeprefix('PI ')}.1 "
           "to production", release, (17, 17))
    other = start + timedelta(days=int(rng.integers(3, 7 * 2 * frame.dev_iterations)))
    _event(data, org, frame, EventKind.MILESTONE, text.pick(rng, text.MILESTONES), other, (9, 9))


def record_actions(data: TrainData, rng: np.random.Generator, org: ArtOrg, frame: PiFrame,
                   owners: list[int], today: date, cutoff: float) -> None:
    """Action items from the ART Syncs held before `today`; some are overdue."""
    for day in sync_days(frame):
        held = org.axis.index(day) + (SYNC_HOUR - WORK_START_HOUR) / WORK_HOURS
        if held >= cutoff or org.axis.day(held) != day:
            continue
        for _ in range(int(rng.poisson(1.5))):
            team = int(rng.integers(len(org.teams)))
            noun = text.pick(rng, text.area(org.first_team + team)[1])
            due = day + timedelta(days=int(rng.integers(3, 15)))
            title = text.fill(rng, text.ACTIONS, noun, org.teams[team].name)
            keep(data.actions, ActionItem(
                art_id=org.art.id or 0, title=title,
                owner_id=owners[int(rng.integers(len(owners)))], due=due,
                status=_status(rng, due, today), source=f"ART Sync {day.isoformat()}",
                created_at=org.axis.at(held)))


def _status(rng: np.random.Generator, due: date, today: date) -> ActionStatus:
    draw = rng.random()
    if due >= today:
        return ActionStatus.DONE if draw < 0.25 else ActionStatus.OPEN
    if draw < 0.78:
        return ActionStatus.DONE
    return ActionStatus.CANCELLED if draw < 0.85 else ActionStatus.OPEN
