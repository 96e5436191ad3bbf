"""The PI's calendar generated from its cadence, and the per-ART calendar feed.

`pi_events` places a PI's events in the ART's time zone:
- PI Planning: two working days starting `planning_lead_days` before the PI (SAFe holds it
  in the IP iteration of the previous PI; the demo train's Wednesday before the start).
- Coach Sync and PO Sync: weekly, recurring (an RRULE) from the PI's first week to its end.
- System Demo: the last working day of each development iteration.
- PI System Demo, then Inspect & Adapt: one day early in the IP iteration (or the last
  working day of the PI when it has none).
Each generated event fills a `Slot` (kind, iteration); regenerating fills only empty slots,
so events already there (edited by hand or simulated) are kept.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from trainmaster.domain.errors import require
from trainmaster.domain.event import Event, EventKind
from trainmaster.domain.pi import Iteration, Pi

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
GENERATED_KINDS = (EventKind.PI_PLANNING, EventKind.COACH_SYNC, EventKind.PO_SYNC,
                   EventKind.SYSTEM_DEMO, EventKind.PI_SYSTEM_DEMO, EventKind.INSPECT_ADAPT)


@dataclass(frozen=True)
class Cadence:
    """When the recurring events of a PI happen, in the ART's local time."""

    planning_lead_days: int = 5
    planning_days: int = 2
    planning_start: time = time(9, 0)
    planning_end: time = time(17, 0)
    coach_sync_weekday: int = 1          # Tuesday
    coach_sync_start: time = time(10, 0)
    coach_sync_minutes: int = 45
    po_sync_weekday: int = 3             # Thursday
    po_sync_start: time = time(10, 0)
    po_sync_minutes: int = 60
    demo_start: time = time(14, 0)
    demo_minutes: int = 90
    pi_demo_start: time = time(9, 0)
    pi_demo_minutes: int = 90
    inspect_start: time = time(10, 45)
    inspect_minutes: int = 315
    inspect_working_day: int = 2         # 0-based working day of the IP iteration

    def __post_init__(self) -> None:
        require(1 <= self.planning_days <= 3, "PI Planning takes 1 to 3 days",
                field="planning_days")
        for name in ("coach_sync_weekday", "po_sync_weekday"):
            require(0 <= getattr(self, name) <= 4, "must be a weekday 0 (Monday) to 4 (Friday)",
                    field=name)


@dataclass(frozen=True)
class Slot:
    """The place of a generated event in its PI: its kind and, for demos, the iteration."""

    kind: EventKind
    iteration: int | None = None


def is_working_day(day: date, holidays: frozenset[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def working_days(start: date, end: date, holidays: frozenset[date]) -> list[date]:
    days = ((start + timedelta(days=i)) for i in range((end - start).days + 1))
    return [d for d in days if is_working_day(d, holidays)]


def next_working_day(day: date, holidays: frozenset[date]) -> date:
    while not is_working_day(day, holidays):
        day += timedelta(days=1)
    return day


def local(day: date, at: time, zone: ZoneInfo) -> datetime:
    """An aware datetime for a wall-clock time in the zone (DST gaps resolve forward)."""
    return datetime.combine(day, at, tzinfo=zone)


def _event(pi: Pi, kind: EventKind, title: str, start: datetime, minutes: int,
           recurrence: str | None = None) -> Event:
    return Event(art_id=pi.art_id, kind=kind, title=title, start=start,
                 end=start + timedelta(minutes=minutes), pi_id=pi.id, recurrence=recurrence)


def planning_events(pi: Pi, zone: ZoneInfo, holidays: frozenset[date],
                    cadence: Cadence) -> list[Event]:
    """PI Planning as one event per day ("Day 1", "Day 2")."""
    day = next_working_day(pi.start_date - timedelta(days=cadence.planning_lead_days), holidays)
    out = []
    for number in range(1, cadence.planning_days + 1):
        start = local(day, cadence.planning_start, zone)
        end = local(day, cadence.planning_end, zone)
        out.append(Event(art_id=pi.art_id, kind=EventKind.PI_PLANNING, pi_id=pi.id,
                         title=f"PI Planning {pi.name} – day {number}", start=start, end=end))
        day = next_working_day(day + timedelta(days=1), holidays)
    return out


def weekly_rule(weekday: int, until: datetime) -> str:
    """An RFC 5545 weekly RRULE ending at `until` (written in UTC, as the RFC requires)."""
    stamp = until.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"FREQ=WEEKLY;BYDAY={WEEKDAYS[weekday]};UNTIL={stamp}"


def sync_events(pi: Pi, zone: ZoneInfo, cadence: Cadence) -> list[Event]:
    """Coach Sync and PO Sync, weekly from the PI's first week to its last day."""
    until = local(pi.end_date, time(23, 59, 59), zone)
    out = []
    for kind, title, weekday, at, minutes in (
            (EventKind.COACH_SYNC, "Coach Sync", cadence.coach_sync_weekday,
             cadence.coach_sync_start, cadence.coach_sync_minutes),
            (EventKind.PO_SYNC, "PO Sync", cadence.po_sync_weekday, cadence.po_sync_start,
             cadence.po_sync_minutes)):
        first = pi.start_date + timedelta(days=(weekday - pi.start_date.weekday()) % 7)
        out.append(_event(pi, kind, f"{title} ({pi.name})", local(first, at, zone), minutes,
                          weekly_rule(weekday, until)))
    return out


def demo_events(pi: Pi, iterations: list[Iteration], zone: ZoneInfo,
                holidays: frozenset[date], cadence: Cadence) -> list[Event]:
    """A System Demo on the last working day of every development iteration."""
    out = []
    for it in iterations:
        if it.is_ip or (not pi.has_ip and it.index == len(iterations)):
            continue  # the PI System Demo stands in for the last demo
        days = working_days(it.start_date, it.end_date, holidays) or [it.end_date]
        out.append(_event(pi, EventKind.SYSTEM_DEMO, f"System Demo {it.name} ({pi.name})",
                          local(days[-1], cadence.demo_start, zone), cadence.demo_minutes))
    return out


def closing_events(pi: Pi, iterations: list[Iteration], zone: ZoneInfo,
                   holidays: frozenset[date], cadence: Cadence) -> list[Event]:
    """PI System Demo and Inspect & Adapt on one day of the IP iteration."""
    last = iterations[-1]
    days = working_days(last.start_date, last.end_date, holidays) or [last.end_date]
    day = days[min(cadence.inspect_working_day, len(days) - 1)] if last.is_ip else days[-1]
    return [
        _event(pi, EventKind.PI_SYSTEM_DEMO, f"PI System Demo ({pi.name})",
               local(day, cadence.pi_demo_start, zone), cadence.pi_demo_minutes),
        _event(pi, EventKind.INSPECT_ADAPT, f"Inspect & Adapt ({pi.name})",
               local(day, cadence.inspect_start, zone), cadence.inspect_minutes),
    ]


def pi_events(pi: Pi, iterations: list[Iteration], timezone: str,
              holidays: frozenset[date] = frozenset(), cadence: Cadence | None = None
              ) -> list[Event]:
    """Every event of the PI's cadence, in the ART's time zone, in date order."""
    require(bool(iterations), "the PI has no iterations", field="pi")
    cadence = cadence or Cadence()
    zone = ZoneInfo(timezone)
    ordered = sorted(iterations, key=lambda it: it.index)
    events = (planning_events(pi, zone, holidays, cadence) + sync_events(pi, zone, cadence)
              + demo_events(pi, ordered, zone, holidays, cadence)
              + closing_events(pi, ordered, zone, holidays, cadence))
    return sorted(events, key=lambda e: (e.start, e.kind.value))


def slot_of(event: Event, iterations: list[Iteration], timezone: str) -> Slot:
    """The slot an event fills; System Demos count once per iteration."""
    if event.kind is not EventKind.SYSTEM_DEMO:
        return Slot(event.kind)
    day = event.start.astimezone(ZoneInfo(timezone)).date()
    index = next((it.index for it in iterations if it.contains(day)), None)
    return Slot(event.kind, index)


def missing_events(generated: list[Event], existing: list[Event], iterations: list[Iteration],
                   timezone: str) -> list[Event]:
    """The generated events whose slot holds no event yet (PI Planning: per day).

    A PI that already runs a combined weekly ART Sync gets no separate Coach and PO Sync.
    """
    taken = {slot_of(e, iterations, timezone) for e in existing
             if e.kind is not EventKind.PI_PLANNING}
    if Slot(EventKind.ART_SYNC) in taken:  # a combined weekly ART Sync holds both syncs
        taken |= {Slot(EventKind.COACH_SYNC), Slot(EventKind.PO_SYNC)}
    planning_taken = len([e for e in existing if e.kind is EventKind.PI_PLANNING])
    out = []
    planning_seen = 0
    for event in generated:
        if event.kind is EventKind.PI_PLANNING:
            planning_seen += 1
            if planning_seen > planning_taken:
                out.append(event)
        elif slot_of(event, iterations, timezone) not in taken:
            out.append(event)
    return out


@dataclass
class CalendarFeed:
    """The secret that lets calendar clients (which send no cookies) read an ART's feed."""

    art_id: int
    token: str
    created_at: datetime
    id: int | None = None

    @classmethod
    def new(cls, art_id: int, at: datetime) -> CalendarFeed:
        return cls(art_id=art_id, token=secrets.token_urlsafe(24), created_at=at)


def local_date(at: datetime, timezone: str) -> date:
    """The calendar day in the ART's zone at the instant `at`."""
    return at.astimezone(ZoneInfo(timezone)).date()
