"""The PI Planning agenda: generated from the default, edited timebox by timebox, exported.

Timeboxes are stored (agenda_items) in the ART's time zone; the iCalendar export carries
one event per timebox with a stable UID and SEQUENCE = number of edits, so calendar
clients that subscribed to the feed update their copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import icalendar

from trainmaster.domain.access import Actor, Permission
from trainmaster.domain.art import Art
from trainmaster.domain.errors import NotFound
from trainmaster.domain.event import EventKind
from trainmaster.domain.pi import Pi
from trainmaster.domain.planning import AgendaItem, default_agenda
from trainmaster.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class AgendaView:
    pi: Pi
    art: Art
    items: list[AgendaItem]

    def day(self, number: int) -> list[AgendaItem]:
        return [i for i in self.items if i.day == number]

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(ZoneInfo(self.art.timezone))


def _planning_day(uow: UnitOfWork, pi: Pi, art: Art) -> date:
    """Day one: the PI Planning event's date in the ART's time zone, else the PI's start."""
    found = uow.events.find(pi_id=pi.id, kind=EventKind.PI_PLANNING.value, order_by="start")
    event = found[0] if found else None
    if event is None:
        return pi.start_date
    return event.start.astimezone(ZoneInfo(art.timezone)).date()


def generate_agenda(uow: UnitOfWork, actor: Actor, pi_id: int, *, day_one: date | None = None,
                    at: datetime) -> AgendaView:
    """Replace the PI's agenda with the default two days, in the ART's time zone."""
    with uow:
        pi = uow.pis.get(pi_id)
        actor.require(Permission.MANAGE_TRAIN, pi.art_id)
        art = uow.arts.get(pi.art_id)
        uow.agenda_items.remove_where(pi_id=pi_id)
        items = default_agenda(pi_id, day_one or _planning_day(uow, pi, art), art.timezone)
        uow.agenda_items.add_all(items)
        uow.commit()
        return AgendaView(pi, art, items)


def show_agenda(uow: UnitOfWork, actor: Actor, pi_id: int) -> AgendaView:
    with uow:
        pi = uow.pis.get(pi_id)
        actor.require(Permission.VIEW, pi.art_id)
        items = uow.agenda_items.find(pi_id=pi_id, order_by="position")
        return AgendaView(pi, uow.arts.get(pi.art_id), items)


def retime_timebox(uow: UnitOfWork, actor: Actor, item_id: int, *, start: time, end: time,
                   title: str | None = None, at: datetime) -> AgendaItem:
    """Move a timebox within its day (local times in the ART's zone), optionally retitle it."""
    with uow:
        item = uow.lock(AgendaItem, item_id)
        pi = uow.pis.get(item.pi_id)
        actor.require(Permission.MANAGE_TRAIN, pi.art_id)
        zone = ZoneInfo(uow.arts.get(pi.art_id).timezone)
        on = item.start.astimezone(zone).date()
        item.retime(datetime.combine(on, start, zone), datetime.combine(on, end, zone), title)
        uow.commit()
        return item


def export_agenda(uow: UnitOfWork, actor: Actor, pi_id: int, *, at: datetime) -> bytes:
    """The agenda as an iCalendar file (one VEVENT per timebox, with the ART's VTIMEZONE)."""
    view = show_agenda(uow, actor, pi_id)
    if not view.items:
        raise NotFound(f"PI {view.pi.name} has no agenda yet: generate it first")
    zone = ZoneInfo(view.art.timezone)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//trainmaster//PI Planning agenda//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{view.art.name} · {view.pi.name} PI Planning")
    cal.add("x-wr-timezone", view.art.timezone)
    for item in view.items:
        event = icalendar.Event()
        event.add("uid", f"agenda-{pi_id}-{item.position}@trainmaster")
        event.add("summary", f"PI Planning day {item.day}: {item.title}")
        event.add("dtstart", item.start.astimezone(zone))
        event.add("dtend", item.end.astimezone(zone))
        event.add("dtstamp", at)
        event.add("sequence", item.revision)
        event.add("categories", ["PI Planning"])
        cal.add_component(event)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())
