"""The ART calendar: generated from each PI's cadence, edited, exported and subscribed to.

Calendar clients send no cookies, so the feed `/calendar/<ART>.ics?token=…` carries a
per-ART secret any logged-in member of the ART can read (and an RTE can rotate); scripts
may send their API token as a Bearer header instead.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from trainmaster.domain.access import Actor, Permission
from trainmaster.domain.art import Art, check_name
from trainmaster.domain.calendar import Cadence, CalendarFeed, missing_events, pi_events
from trainmaster.domain.errors import Forbidden, Invalid, NotFound
from trainmaster.domain.event import Event
from trainmaster.domain.pi import Pi
from trainmaster.integrations import ical
from trainmaster.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class GeneratedCalendar:
    pi: Pi
    created: list[Event]
    kept: list[Event]


@dataclass(frozen=True)
class Occurrence:
    event: Event
    start: datetime   # in the ART's zone
    end: datetime

    @property
    def day(self) -> date:
        return self.start.date()


@dataclass(frozen=True)
class CalendarView:
    art: Art
    pis: list[Pi]
    pi: Pi | None
    events: list[Event]
    occurrences: list[Occurrence]

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(ZoneInfo(self.art.timezone))


def _holidays(uow: UnitOfWork, art_id: int) -> frozenset[date]:
    return frozenset(h.day for h in uow.holidays.find(art_id=art_id))


def generate_calendar(uow: UnitOfWork, actor: Actor, pi_id: int, *,
                      cadence: Cadence | None = None) -> GeneratedCalendar:
    """Create the PI's cadence events that are missing; events already there are kept."""
    with uow:
        pi = uow.pis.get(pi_id)
        actor.require(Permission.MANAGE_TRAIN, pi.art_id)
        art = uow.arts.get(pi.art_id)
        iterations = uow.iterations.find(pi_id=pi_id, order_by="index")
        existing = uow.events.find(pi_id=pi_id, order_by="start")
        generated = pi_events(pi, iterations, art.timezone, _holidays(uow, art.id or 0),
                              cadence)
        created = missing_events(generated, existing, iterations, art.timezone)
        uow.events.add_all(created)
        uow.commit()
        return GeneratedCalendar(pi, created, existing)


def calendar_view(uow: UnitOfWork, actor: Actor, art_id: int, *, pi_id: int | None = None,
                  today: date | None = None) -> CalendarView:
    """The ART's events of one PI (the current one by default), recurrences expanded."""
    actor.require(Permission.VIEW, art_id)
    with uow:
        art = uow.arts.get(art_id)
        pis = uow.pis.find(art_id=art_id, order_by="start_date")
        pi = _chosen_pi(pis, pi_id, today)
        events = uow.events.find(art_id=art_id, pi_id=pi.id, order_by="start") if pi else []
        holidays = _holidays(uow, art_id)
    occurrences = [Occurrence(e, s, f) for e in events for s, f in ical.occurrences(
        e.start, e.end, e.recurrence, art.timezone, exdates=holidays)]
    occurrences.sort(key=lambda o: (o.start, o.event.id or 0))
    return CalendarView(art, pis, pi, events, occurrences)


def _chosen_pi(pis: list[Pi], pi_id: int | None, today: date | None) -> Pi | None:
    if pi_id is not None:
        found = next((p for p in pis if p.id == pi_id), None)
        if found is None:
            raise NotFound(f"PI {pi_id} is not a PI of this ART")
        return found
    if today is not None:
        running = [p for p in pis if p.start_date <= today <= p.end_date]
        coming = [p for p in pis if p.start_date > today]
        if running or coming:
            return (running or coming)[0]
    return pis[-1] if pis else None


def update_event(uow: UnitOfWork, actor: Actor, event_id: int, *, title: str | None = None,
                 day: date | None = None, start: time | None = None, end: time | None = None,
                 location: str | None = None) -> Event:
    """Edit an event in the ART's local time (the day moves the whole series)."""
    with uow:
        event = uow.lock(Event, event_id)
        actor.require(Permission.MANAGE_TRAIN, event.art_id)
        zone = ZoneInfo(uow.arts.get(event.art_id).timezone)
        old_start, old_end = event.start.astimezone(zone), event.end.astimezone(zone)
        new_day = day or old_start.date()
        new_start = datetime.combine(new_day, start or old_start.time(), tzinfo=zone)
        length_days = (old_end.date() - old_start.date()).days
        new_end = datetime.combine(new_day + timedelta(days=length_days),
                                   end or old_end.time(), tzinfo=zone)
        if new_end <= new_start:
            raise Invalid("the event must end after it starts", field="end")
        event.start, event.end = new_start, new_end
        if title is not None:
            event.title = check_name(title, "title")
        if location is not None:
            event.location = location.strip()[:200]
        uow.commit()
        return event


def export_calendar(uow: UnitOfWork, actor: Actor, art_id: int, *, at: datetime,
                    pi_id: int | None = None) -> bytes:
    """The ART's events (all PIs, or one) as an iCalendar file."""
    actor.require(Permission.VIEW, art_id)
    return _export(uow, art_id, at=at, pi_id=pi_id)


def _export(uow: UnitOfWork, art_id: int, *, at: datetime, pi_id: int | None = None) -> bytes:
    with uow:
        art = uow.arts.get(art_id)
        filters: dict[str, Any] = {"art_id": art_id}
        if pi_id is not None:
            filters["pi_id"] = pi_id
        events = uow.events.find(**filters, order_by="start")
        holidays = _holidays(uow, art_id)
    return ical.events_calendar(events, art_key=art.key, art_name=art.name,
                                timezone=art.timezone, stamp=at, holidays=holidays)


def feed_token(uow: UnitOfWork, actor: Actor, art_id: int, *, at: datetime) -> str:
    """The ART's feed secret, created on first request, for anyone who may view the ART."""
    actor.require(Permission.VIEW, art_id)
    with uow:
        feed = uow.calendar_feeds.first(art_id=art_id)
        if feed is None:
            uow.arts.get(art_id)
            feed = uow.calendar_feeds.add(CalendarFeed.new(art_id, at))
            uow.commit()
        return feed.token


def rotate_feed_token(uow: UnitOfWork, actor: Actor, art_id: int, *, at: datetime) -> str:
    """Replace the feed secret: subscriptions with the old one stop working."""
    actor.require(Permission.MANAGE_TRAIN, art_id)
    with uow:
        uow.arts.get(art_id)
        uow.calendar_feeds.remove_where(art_id=art_id)
        feed = uow.calendar_feeds.add(CalendarFeed.new(art_id, at))
        uow.commit()
        return feed.token


def feed_calendar(uow: UnitOfWork, art_key: str, token: str, *, at: datetime) -> bytes:
    """The feed for a calendar client holding the ART's secret."""
    with uow:
        art = uow.arts.first(key=art_key.strip().upper())
        feed = uow.calendar_feeds.first(art_id=art.id) if art else None
        if art is None or feed is None or not hmac.compare_digest(feed.token, token or ""):
            raise Forbidden("unknown calendar feed or wrong token: copy the feed address "
                            "again from the calendar page")
    return _export(uow, art.id or 0, at=at)
