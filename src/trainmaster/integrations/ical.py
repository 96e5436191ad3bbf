"""iCalendar (RFC 5545) files and feeds: build, parse and expand recurring events.

Reusable pieces: `new_calendar` (a VCALENDAR with the VTIMEZONE of one zone), `add_event`
(one VEVENT with TZID-qualified times, optional RRULE and EXDATEs), `to_ics`; `parse_ics`
reads a file back; `occurrences` expands an RRULE in wall-clock time, so a weekly 10:00
meeting stays at 10:00 across daylight-saving changes. `events_calendar` turns stored
`Event` rows into an ART's calendar.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr  # type: ignore[import-untyped]
from icalendar import Calendar, Component, Timezone, vRecur
from icalendar import Event as VEvent

from trainmaster.domain.errors import Invalid
from trainmaster.domain.event import Event
from trainmaster.domain.meeting import MEETING_TITLES

PRODID = "-//trainmaster//Agile Release Train calendar//EN"
REFRESH = timedelta(hours=1)


@dataclass(frozen=True)
class CalendarEntry:
    """An event as read from an iCalendar file."""

    uid: str
    summary: str
    start: datetime
    end: datetime
    tzid: str | None
    rrule: str | None
    exdates: tuple[datetime, ...]
    description: str
    location: str
    categories: tuple[str, ...]


def new_calendar(name: str, timezone: str, first: date, last: date) -> Calendar:
    """An empty VCALENDAR carrying the VTIMEZONE of `timezone` for [first, last]."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", timezone)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    if timezone != "UTC":
        cal.add_component(Timezone.from_tzid(timezone, first_date=first - timedelta(days=1),
                                             last_date=last + timedelta(days=366)))
    return cal


def add_event(cal: Calendar, *, uid: str, summary: str, start: datetime, end: datetime,
              timezone: str, stamp: datetime, rrule: str | None = None,
              exdates: Iterable[datetime] = (), description: str = "", location: str = "",
              categories: Sequence[str] = ()) -> VEvent:
    """Add one VEVENT; times are written in `timezone` (TZID) so recurrences keep wall time."""
    zone = ZoneInfo(timezone)
    event = VEvent()
    event.add("uid", uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("summary", summary)
    event.add("dtstart", start.astimezone(zone))
    event.add("dtend", end.astimezone(zone))
    if rrule:
        event.add("rrule", _rrule_dict(rrule))
        for when in exdates:
            event.add("exdate", when.astimezone(zone))
    if description:
        event.add("description", description)
    if location:
        event.add("location", location)
    if categories:
        event.add("categories", list(categories))
    cal.add_component(event)
    return event


def _rrule_dict(rule: str) -> vRecur:
    text = rule.strip().removeprefix("RRULE:")
    try:
        parsed = vRecur.from_ical(text)
    except ValueError as exc:
        raise Invalid(f"cannot read the recurrence {rule!r}", field="recurrence") from exc
    if "FREQ" not in parsed:
        raise Invalid(f"{rule!r} is not an RRULE (FREQ is missing)", field="recurrence")
    return parsed


def to_ics(cal: Calendar) -> bytes:
    return cal.to_ical()


def occurrences(start: datetime, end: datetime, rrule: str | None, timezone: str, *,
                exdates: Iterable[date] = (), window: tuple[datetime, datetime] | None = None,
                limit: int = 500) -> list[tuple[datetime, datetime]]:
    """(start, end) of every occurrence in the window, in the zone's wall-clock time."""
    zone = ZoneInfo(timezone)
    first = start.astimezone(zone)
    length = end - start
    if not rrule:
        starts = [first]
    else:
        try:
            rule = rrulestr(rrule.removeprefix("RRULE:"), dtstart=first)
        except (ValueError, TypeError) as exc:
            raise Invalid(f"cannot read the recurrence {rrule!r}: {exc}",
                          field="recurrence") from exc
        starts = []
        for when in rule:
            starts.append(when)
            if len(starts) >= limit:
                break
    skipped = set(exdates)
    out = [(s, s + length) for s in starts if s.date() not in skipped]
    if window is not None:
        out = [(s, e) for s, e in out if e > window[0] and s < window[1]]
    return out


def event_uid(event: Event, art_key: str) -> str:
    """Stable across exports: the same stored event always has the same UID."""
    return f"event-{event.id}.{art_key.lower()}@trainmaster"


def events_calendar(events: Sequence[Event], *, art_key: str, art_name: str, timezone: str,
                    stamp: datetime, holidays: Iterable[date] = ()) -> bytes:
    """An ART's events as one iCalendar file; recurring occurrences on holidays are excluded."""
    days = [e.start.date() for e in events] or [stamp.date()]
    cal = new_calendar(f"{art_name} ({art_key})", timezone, min(days), max(days))
    holiday_set = set(holidays)
    for event in sorted(events, key=lambda e: (e.start, e.id or 0)):
        excluded = []
        if event.recurrence:
            excluded = [s for s, _ in occurrences(event.start, event.end, event.recurrence,
                                                  timezone) if s.date() in holiday_set]
        add_event(cal, uid=event_uid(event, art_key), summary=event.title, start=event.start,
                  end=event.end, timezone=timezone, stamp=stamp, rrule=event.recurrence,
                  exdates=excluded, location=event.location,
                  categories=[MEETING_TITLES[event.kind]])
    return to_ics(cal)


def parse_ics(data: bytes | str) -> list[CalendarEntry]:
    """The VEVENTs of an iCalendar file (raises Invalid when it is not one)."""
    try:
        cal = Calendar.from_ical(data)
    except ValueError as exc:
        raise Invalid(f"not an iCalendar file: {exc}", field="file") from exc
    return [_entry(component) for component in cal.walk("VEVENT")]


def _entry(component: Component) -> CalendarEntry:
    start = component.decoded("dtstart")
    end = component.decoded("dtend") if "dtend" in component else start
    rule = component.get("rrule")
    exdates: list[datetime] = []
    raw = component.get("exdate")
    for group in (raw if isinstance(raw, list) else [raw] if raw is not None else []):
        exdates.extend(d.dt for d in group.dts)
    categories = component.get("categories")
    cats = tuple(str(c) for c in categories.cats) if categories is not None else ()
    return CalendarEntry(
        uid=str(component.get("uid", "")), summary=str(component.get("summary", "")),
        start=start, end=end, tzid=component["dtstart"].params.get("TZID"),
        rrule=rule.to_ical().decode() if rule is not None else None,
        exdates=tuple(exdates), description=str(component.get("description", "")),
        location=str(component.get("location", "")), categories=cats)
