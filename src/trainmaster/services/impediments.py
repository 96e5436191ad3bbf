"""Impediments: raise, escalate team → ART → portfolio, resolve; time to resolve per level."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from trainmaster.analytics.impediments import LevelReport, age_hours, level_report
from trainmaster.domain.access import Actor, Permission
from trainmaster.domain.art import Person, Team
from trainmaster.domain.errors import Invalid
from trainmaster.domain.impediment import Impediment, ImpedimentStep, Level
from trainmaster.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class StepView:
    step: ImpedimentStep
    by: str   # username, or "" when unknown


@dataclass(frozen=True)
class ImpedimentView:
    impediment: Impediment
    team: Team | None
    owner: Person | None
    steps: list[StepView]
    age_hours: float


@dataclass(frozen=True)
class ImpedimentReport:
    levels: list[LevelReport]
    open: int
    resolved: int


def raise_impediment(uow: UnitOfWork, actor: Actor, art_id: int, title: str, *,
                     description: str = "", team_id: int | None = None,
                     pi_id: int | None = None, owner_id: int | None = None,
                     level: Level = Level.TEAM, at: datetime) -> Impediment:
    """Record an impediment and its first step: entry at its level, by the actor, now."""
    actor.require(Permission.RUN_EVENTS, art_id)
    with uow:
        uow.arts.get(art_id)
        if team_id is not None and uow.teams.get(team_id).art_id != art_id:
            raise Invalid("the team belongs to another ART", field="team_id")
        if pi_id is not None and uow.pis.get(pi_id).art_id != art_id:
            raise Invalid("the PI belongs to another ART", field="pi_id")
        if owner_id is not None and uow.people.first(id=owner_id) is None:
            raise Invalid(f"person {owner_id} does not exist", field="owner_id")
        impediment = uow.impediments.add(Impediment(
            art_id=art_id, title=title, description=description, team_id=team_id,
            pi_id=pi_id, owner_id=owner_id, level=Level(level), raised_at=at))
        uow.impediment_steps.add(ImpedimentStep(impediment.id or 0, impediment.level, at,
                                                actor.user_id))
        uow.commit()
        return impediment


def escalate_impediment(uow: UnitOfWork, actor: Actor, impediment_id: int, *,
                        at: datetime) -> Impediment:
    """Move an open impediment one level up (team → ART → portfolio)."""
    return _step(uow, actor, impediment_id, at, Impediment.escalate)


def resolve_impediment(uow: UnitOfWork, actor: Actor, impediment_id: int, *,
                       at: datetime) -> Impediment:
    """Resolve an open impediment at the level it has reached."""
    return _step(uow, actor, impediment_id, at, Impediment.resolve)


def _step(uow: UnitOfWork, actor: Actor, impediment_id: int, at: datetime,
          move: Callable[..., ImpedimentStep]) -> Impediment:
    """Lock the impediment, take the step (recorded with who and when), commit."""
    with uow:
        impediment = uow.lock(Impediment, impediment_id)
        actor.require(Permission.RUN_EVENTS, impediment.art_id)
        _check_after_last_step(uow, impediment, at)
        uow.impediment_steps.add(move(impediment, at=at, by_user_id=actor.user_id))
        uow.commit()
        return impediment


def _check_after_last_step(uow: UnitOfWork, impediment: Impediment, at: datetime) -> None:
    steps = uow.impediment_steps.find(impediment_id=impediment.id, order_by="at")
    last = steps[-1].at if steps else impediment.raised_at
    if last is not None and at < last:
        raise Invalid("a step cannot come before the impediment's previous step", field="at")


def _views(uow: UnitOfWork, impediments: list[Impediment], at: datetime
           ) -> list[ImpedimentView]:
    ids = [i.id for i in impediments]
    steps: dict[int, list[ImpedimentStep]] = defaultdict(list)
    for s in uow.impediment_steps.find(impediment_id=ids, order_by="at") if ids else []:
        steps[s.impediment_id].append(s)
    users = {u.id: u.username for u in uow.users.find(
        id=sorted({s.by_user_id for ss in steps.values() for s in ss if s.by_user_id}))}
    teams = {t.id: t for t in uow.teams.find(id=sorted({i.team_id for i in impediments
                                                        if i.team_id}))}
    people = {p.id: p for p in uow.people.find(id=sorted({i.owner_id for i in impediments
                                                          if i.owner_id}))}
    return [ImpedimentView(
        i, teams.get(i.team_id), people.get(i.owner_id),
        [StepView(s, users.get(s.by_user_id, "")) for s in steps[i.id or 0]],
        age_hours(i, steps[i.id or 0], at)) for i in impediments]


def list_impediments(uow: UnitOfWork, actor: Actor, art_id: int, *, at: datetime,
                     open_only: bool = False, pi_id: int | None = None
                     ) -> list[ImpedimentView]:
    """The ART's impediments, open ones first, highest level first."""
    actor.require(Permission.VIEW, art_id)
    with uow:
        filters: dict[str, Any] = {"art_id": art_id}
        if pi_id is not None:
            filters["pi_id"] = pi_id
        found = [i for i in uow.impediments.find(**filters) if i.is_open or not open_only]
        views = _views(uow, found, at)
    rank = {Level.PORTFOLIO: 0, Level.ART: 1, Level.TEAM: 2}
    return sorted(views, key=lambda v: (not v.impediment.is_open, rank[v.impediment.level],
                                        -(v.impediment.id or 0)))


def impediment_detail(uow: UnitOfWork, actor: Actor, impediment_id: int, *,
                      at: datetime) -> ImpedimentView:
    with uow:
        impediment = uow.impediments.get(impediment_id)
        actor.require(Permission.VIEW, impediment.art_id)
        return _views(uow, [impediment], at)[0]


def impediment_report(uow: UnitOfWork, actor: Actor, art_id: int, *, at: datetime,
                      pi_id: int | None = None) -> ImpedimentReport:
    """Per level: reached, resolved there, escalated, open; median and 85th percentile hours."""
    views = list_impediments(uow, actor, art_id, at=at, pi_id=pi_id)
    histories = [(v.impediment, [s.step for s in v.steps]) for v in views]
    return ImpedimentReport(level_report(histories, at),
                            open=sum(1 for v in views if v.impediment.is_open),
                            resolved=sum(1 for v in views if not v.impediment.is_open))
