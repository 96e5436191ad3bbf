"""Before PI Planning: readiness, WSJF ranking, epic roll-up, capacity and guardrails."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from trainmaster.analytics import guardrails as guardrail_rules
from trainmaster.analytics.capacity import IterationLoad
from trainmaster.analytics.readiness import Readiness, assess
from trainmaster.analytics.wsjf import EpicRollup, RankedFeature, rank_features, roll_up
from trainmaster.domain.access import Actor, Permission
from trainmaster.domain.art import Art, Team
from trainmaster.domain.errors import Invalid, NotFound
from trainmaster.domain.pi import Iteration, Pi, PiState
from trainmaster.domain.work_item import ItemLevel, KanbanState, WorkItem
from trainmaster.services.overview import current_pi
from trainmaster.services.pi_context import load_pi
from trainmaster.services.unit_of_work import UnitOfWork

#: Kanban states of features still waiting in the ART backlog (not yet being built).
WAITING = (KanbanState.FUNNEL.value, KanbanState.ANALYZING.value, KanbanState.BACKLOG.value)


@dataclass(frozen=True)
class ReadinessView:
    pi: Pi
    art: Art
    readiness: Readiness
    examined: list[RankedFeature]
    team_capacity: dict[str, float]


@dataclass(frozen=True)
class TeamCapacity:
    team: Team
    iterations: list[IterationLoad]

    @property
    def capacity(self) -> float:
        return round(sum(i.capacity for i in self.iterations), 2)

    @property
    def load(self) -> float:
        return round(sum(i.load for i in self.iterations), 2)

    @property
    def overloaded(self) -> list[IterationLoad]:
        return [i for i in self.iterations if i.overloaded]


@dataclass(frozen=True)
class CapacityView:
    pi: Pi
    art: Art
    iterations: list[Iteration]
    teams: list[TeamCapacity]


@dataclass(frozen=True)
class GuardrailView:
    pi: Pi
    art: Art
    rows: list[guardrail_rules.GuardrailRow]
    tolerance: float

    @property
    def flagged(self) -> list[guardrail_rules.GuardrailRow]:
        return [r for r in self.rows if r.flagged]


def rank_backlog(uow: UnitOfWork, actor: Actor, art_id: int, *, pi_id: int | None = None
                 ) -> list[RankedFeature]:
    """The ART backlog (features not done; of one PI when given) ranked by WSJF."""
    actor.require(Permission.VIEW, art_id)
    with uow:
        uow.arts.get(art_id)
        filters: dict[str, Any] = {"pi_id": pi_id} if pi_id is not None else {}
        features = uow.items.find(art_id=art_id, level=ItemLevel.FEATURE.value, **filters)
        return rank_features([f for f in features if f.status != KanbanState.DONE.value])


def roll_up_epics(uow: UnitOfWork, actor: Actor, art_id: int) -> list[EpicRollup]:
    """Each epic's estimate (Σ feature points) and progress (done feature points / total)."""
    actor.require(Permission.VIEW, art_id)
    with uow:
        epics = uow.items.find(art_id=art_id, level=ItemLevel.EPIC.value, order_by="key")
        features = uow.items.find(parent_id=[e.id for e in epics],
                                  level=ItemLevel.FEATURE.value) if epics else []
        return roll_up(epics, features)


def _examined(uow: UnitOfWork, art_id: int, pi_id: int, limit: int) -> list[RankedFeature]:
    """The PI's features and the top `limit` waiting features of the ART backlog."""
    features = uow.items.find(art_id=art_id, level=ItemLevel.FEATURE.value)
    in_pi = [f for f in features if f.pi_id == pi_id and f.status != KanbanState.DONE.value]
    waiting = rank_features([f for f in features if f.pi_id is None and f.status in WAITING])
    ranked = {r.item.id: r for r in rank_features(in_pi + [r.item for r in waiting[:limit]])}
    return sorted(ranked.values(), key=lambda r: (r.rank is None, r.rank or 0, r.item.key))


def check_readiness(uow: UnitOfWork, actor: Actor, pi_id: int, *, limit: int = 20
                    ) -> ReadinessView:
    """Score a PI's readiness for planning and list what to fix."""
    with uow:
        ctx = load_pi(uow, actor, pi_id)
        loads = ctx.loads()
        capacity = {(t.id or 0, t.name): sum(i.capacity for i in loads[t.id or 0])
                    for t in ctx.teams}
        examined = _examined(uow, ctx.art.id or 0, pi_id, limit)
        readiness = assess(examined, capacity, ctx.art.vision_url, ctx.art.roadmap_url)
        return ReadinessView(ctx.pi, ctx.art, readiness, examined,
                             {name: round(c, 2) for (_, name), c in capacity.items()})


def plan_capacity(uow: UnitOfWork, actor: Actor, pi_id: int, *, team_id: int | None = None
                  ) -> CapacityView:
    """Capacity vs load per team and iteration, with overloaded iterations flagged."""
    with uow:
        ctx = load_pi(uow, actor, pi_id)
        loads = ctx.loads()
        teams = [TeamCapacity(t, loads[t.id or 0]) for t in ctx.teams
                 if team_id is None or t.id == team_id]
        return CapacityView(ctx.pi, ctx.art, ctx.iterations, teams)


def check_guardrails(uow: UnitOfWork, actor: Actor, pi_id: int) -> GuardrailView:
    """Share of planned points per work type against the ART's guardrails."""
    with uow:
        ctx = load_pi(uow, actor, pi_id)
        parents = {f.id or 0: f for f in ctx.features}
        missing = sorted({s.parent_id for s in ctx.stories
                          if s.parent_id and s.parent_id not in parents})
        parents.update({f.id or 0: f for f in uow.items.find(id=missing)} if missing else {})
        planned = guardrail_rules.points_by_type(ctx.stories, parents)
        rows = guardrail_rules.allocation(planned, ctx.art.guardrails,
                                          ctx.art.guardrail_tolerance)
        return GuardrailView(ctx.pi, ctx.art, rows, ctx.art.guardrail_tolerance)


def planning_pi(uow: UnitOfWork, actor: Actor, art_id: int, *, today: date) -> Pi | None:
    """The PI to plan: the earliest one still in planning that has not ended, else the
    running or next one."""
    actor.require(Permission.VIEW, art_id)
    with uow:
        pis = uow.pis.find(art_id=art_id, order_by="start_date")
    waiting = [p for p in pis if p.state is PiState.PLANNING and p.end_date >= today]
    if waiting:
        return waiting[0]
    return current_pi(pis, today)


def find_item(uow: UnitOfWork, actor: Actor, ref: str, *, art_id: int | None = None
              ) -> WorkItem:
    """A work item by id or by key (within one ART when given)."""
    with uow:
        if ref.isdigit():
            item = uow.items.first(id=int(ref))
        else:
            filters: dict[str, Any] = {"art_id": art_id} if art_id is not None else {}
            found = uow.items.find(key=ref.strip().upper(), **filters)
            if len(found) > 1:
                raise Invalid(f"{ref!r} names items of several ARTs: give --art", field="item")
            item = found[0] if found else None
        if item is None:
            raise NotFound(f"no work item {ref!r}")
        actor.require(Permission.VIEW, item.art_id)
        return item


def find_iteration(uow: UnitOfWork, actor: Actor, pi_id: int, ref: str) -> Iteration:
    """An iteration of a PI by name (I2, IP), index (2) or id ('#17')."""
    with uow:
        pi = uow.pis.get(pi_id)
        actor.require(Permission.VIEW, pi.art_id)
        for it in uow.iterations.find(pi_id=pi_id, order_by="index"):
            if ref.strip().upper() in (it.name.upper(), str(it.index), f"#{it.id}"):
                return it
    raise NotFound(f"{pi.name} has no iteration {ref!r}")


def find_team(uow: UnitOfWork, actor: Actor, art_id: int, ref: str) -> Team:
    """A team of an ART by id or name (case-insensitive)."""
    actor.require(Permission.VIEW, art_id)
    with uow:
        for team in uow.teams.find(art_id=art_id):
            if ref.strip().lower() in (team.name.lower(), str(team.id)):
                return team
    raise NotFound(f"no team {ref!r}")
