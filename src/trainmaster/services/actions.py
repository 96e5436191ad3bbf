"""Action items: owner, due date, status and the meeting or workshop they came from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from trainmaster.domain.access import Actor, Permission
from trainmaster.domain.action import ActionItem, ActionStatus
from trainmaster.domain.art import Person
from trainmaster.domain.calendar import local_date
from trainmaster.domain.errors import Invalid, NotFound
from trainmaster.domain.meeting import parse_source
from trainmaster.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ActionView:
    action: ActionItem
    owner: Person | None
    overdue: bool
    source_label: str
    source_url: str | None


@dataclass(frozen=True)
class PersonActions:
    person: Person
    open: list[ActionView]
    overdue: list[ActionView]
    closed: list[ActionView]


def _source(uow: UnitOfWork, source: str) -> tuple[str, str | None]:
    """A readable label and a page for an action's source."""
    parsed = parse_source(source)
    if parsed is None:
        return source, None
    kind, ref = parsed
    if kind == "meeting":
        meeting = uow.meetings.first(id=ref)
        return (meeting.title, f"/syncs/{ref}") if meeting else (source, None)
    workshop = uow.workshops.first(id=ref)
    if workshop is None:
        return source, None
    pi = uow.pis.get(workshop.pi_id)
    return f"Inspect & Adapt {pi.name}", f"/pis/{pi.id}/inspect-adapt"


def view_actions(uow: UnitOfWork, actions: list[ActionItem], at: datetime) -> list[ActionView]:
    """Call inside `with uow:`; overdue is judged on each ART's local date."""
    owners = {p.id: p for p in uow.people.find(id=sorted({a.owner_id for a in actions
                                                            if a.owner_id}))}
    zones = {a.id: a.timezone for a in uow.arts.find(id=sorted({x.art_id for x in actions}))}
    out = []
    for a in actions:
        label, url = _source(uow, a.source)
        out.append(ActionView(a, owners.get(a.owner_id), a.is_overdue(
            local_date(at, zones.get(a.art_id, "UTC"))), label, url))
    return sorted(out, key=lambda v: (v.action.status is not ActionStatus.OPEN,
                                      v.action.due or date.max, v.action.id or 0))


def check_owner(uow: UnitOfWork, owner_id: int | None) -> None:
    if owner_id is not None and uow.people.first(id=owner_id) is None:
        raise Invalid(f"person {owner_id} does not exist", field="owner_id")


def add_action(uow: UnitOfWork, actor: Actor, art_id: int, title: str, *,
               owner_id: int | None = None, due: date | None = None, source: str = "",
               at: datetime) -> ActionItem:
    actor.require(Permission.RUN_EVENTS, art_id)
    with uow:
        uow.arts.get(art_id)
        check_owner(uow, owner_id)
        action = uow.actions.add(ActionItem(art_id=art_id, title=title, owner_id=owner_id,
                                            due=due, source=source, created_at=at))
        uow.commit()
        return action


def close_action(uow: UnitOfWork, actor: Actor, action_id: int, *,
                 status: ActionStatus = ActionStatus.DONE) -> ActionItem:
    """Mark done or cancelled (or reopen with OPEN); owners may close their own items."""
    with uow:
        action = uow.lock(ActionItem, action_id)
        own = actor.person_id is not None and actor.person_id == action.owner_id
        if not (own and actor.can(Permission.VIEW, action.art_id)):
            actor.require(Permission.RUN_EVENTS, action.art_id)
        action.status = ActionStatus(status)
        uow.commit()
        return action


def list_actions(uow: UnitOfWork, actor: Actor, art_id: int, *, at: datetime,
                 status: ActionStatus | None = None, owner_id: int | None = None,
                 overdue_only: bool = False) -> list[ActionView]:
    actor.require(Permission.VIEW, art_id)
    with uow:
        filters: dict[str, Any] = {"art_id": art_id}
        if status is not None:
            filters["status"] = ActionStatus(status).value
        if owner_id is not None:
            filters["owner_id"] = owner_id
        views = view_actions(uow, uow.actions.find(**filters), at)
        return [v for v in views if v.overdue] if overdue_only else views


def person_actions(uow: UnitOfWork, actor: Actor, person_id: int, *, at: datetime
                   ) -> PersonActions:
    """A person's action items on every ART the actor may see, overdue first."""
    with uow:
        person = uow.people.get(person_id)
        found = [a for a in uow.actions.find(owner_id=person_id)
                 if actor.can(Permission.VIEW, a.art_id)]
        views = view_actions(uow, found, at)
    open_ = [v for v in views if v.action.status is ActionStatus.OPEN]
    return PersonActions(person, open=[v for v in open_ if not v.overdue],
                         overdue=[v for v in open_ if v.overdue],
                         closed=[v for v in views if v.action.status is not ActionStatus.OPEN])


def my_actions(uow: UnitOfWork, actor: Actor, *, at: datetime) -> PersonActions:
    if actor.person_id is None:
        raise NotFound(f"user {actor.username} is not linked to a person of the train: "
                       "ask an administrator to link the login to its person")
    return person_actions(uow, actor, actor.person_id, at=at)

