"""Program Board use cases: show it, preview a move, plan an item, a team's planning view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from trainmaster.analytics.capacity import IterationLoad
from trainmaster.analytics.slip import SlipImpact, slip_impact
from trainmaster.domain.access import Actor, Permission
from trainmaster.domain.art import Team
from trainmaster.domain.dependency import DependencyState
from trainmaster.domain.errors import Invalid
from trainmaster.domain.objective import Objective
from trainmaster.domain.pi import Iteration, Pi
from trainmaster.domain.work_item import ItemLevel, WorkItem
from trainmaster.services.board_model import BoardModel, board_graph, build_board, filter_board
from trainmaster.services.pi_context import PiContext, load_pi
from trainmaster.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class StringChange:
    id: int
    label: str
    before: DependencyState
    after: DependencyState


@dataclass(frozen=True)
class AffectedFeature:
    id: int
    key: str
    title: str
    planned: str | None
    earliest: str | None          # earliest feasible iteration once the move is made
    before: DependencyState
    after: DependencyState


@dataclass(frozen=True)
class ObjectiveImpact:
    objective: Objective
    team: str
    reason: str


@dataclass(frozen=True)
class MovePreview:
    item: WorkItem
    from_iteration: str | None
    to_iteration: str | None
    strings: list[StringChange]
    affected: list[AffectedFeature]
    objectives: list[ObjectiveImpact]

    @property
    def changes_anything(self) -> bool:
        return bool(self.strings or self.affected or self.objectives)


@dataclass(frozen=True)
class PlanResult:
    item: WorkItem
    board: BoardModel


@dataclass(frozen=True)
class TeamPlan:
    pi: Pi
    team: Team
    iterations: list[Iteration]
    loads: list[IterationLoad]
    stories: dict[int | None, list[WorkItem]]     # iteration id (None: unplanned) -> stories
    features: list[WorkItem]

    def load(self, iteration_id: int | None) -> IterationLoad | None:
        return next((x for x in self.loads if x.iteration_id == iteration_id), None)


def _board(uow: UnitOfWork, ctx: PiContext) -> BoardModel:
    baseline = uow.baselines.first(pi_id=ctx.pi.id)
    return build_board(ctx, baseline=baseline.snapshot if baseline else None,
                       baseline_at=baseline.taken_at if baseline else None)


def show_board(uow: UnitOfWork, actor: Actor, pi_id: int, *, teams: set[int] | None = None,
               states: set[str] | None = None) -> BoardModel:
    """The PI's Program Board, optionally only some teams' rows and some string states."""
    with uow:
        ctx = load_pi(uow, actor, pi_id, with_events=True)
        model = _board(uow, ctx)
    return filter_board(model, teams=teams, states=states) if teams or states else model


def _target(ctx: PiContext, item: WorkItem, iteration_id: int | None) -> Iteration | None:
    if iteration_id is None:
        return None
    target = ctx.iteration_by_id.get(iteration_id)
    if target is None:
        raise Invalid(f"iteration {iteration_id} is not one of {ctx.pi.name}'s iterations",
                      field="iteration_id")
    if target.is_ip and item.level is ItemLevel.FEATURE:
        raise Invalid("the IP iteration carries no planned feature work", field="iteration_id")
    return target


def _objective_impacts(ctx: PiContext, item: WorkItem, impact: SlipImpact
                       ) -> list[ObjectiveImpact]:
    teams = {t.id: t.name for t in ctx.teams}
    keys = {f.id: f.key for f in ctx.features}
    reasons = {item.id: f"{item.key} moves"}
    for a in impact.affected:
        reasons.setdefault(a.item_id, f"{keys.get(a.item_id, a.item_id)} "
                           f"{'must move' if a.must_move else 'turns ' + a.new_state.value}")
    out = []
    for o in ctx.objectives:
        hit = next((reasons[f] for f in o.feature_ids if f in reasons), None)
        if hit:
            out.append(ObjectiveImpact(o, teams.get(o.team_id, "program"), hit))
    return out


def preview_move(uow: UnitOfWork, actor: Actor, item_id: int, iteration_id: int | None
                 ) -> MovePreview:
    """What moving a feature to another iteration changes, before saving it."""
    with uow:
        item = uow.items.get(item_id)
        actor.require(Permission.VIEW, item.art_id)
        if item.pi_id is None:
            raise Invalid("the item is not planned into a PI", field="item_id")
        ctx = load_pi(uow, actor, item.pi_id)
    target = _target(ctx, item, iteration_id)
    current = ctx.iteration_by_id.get(item.iteration_id or 0)
    if item.level is not ItemLevel.FEATURE:   # stories carry no strings on the board
        return MovePreview(item, current.name if current else None,
                           target.name if target else None, [], [], [])
    graph = board_graph(ctx)
    impact = slip_impact(graph, item_id, None if target is None else target.index)
    names = {i.index: i.name for i in ctx.iterations if not i.is_ip}
    by_pair = {(d.consumer_id, d.provider_id): d for d in ctx.dependencies}
    keys = {f.id: f for f in list(ctx.features) + list(ctx.outside.values())}
    strings = [StringChange(by_pair[(e.consumer_id, e.provider_id)].id or 0,
                            f"{keys[e.consumer_id].key} needs {keys[e.provider_id].key}",
                            e.old_state, e.new_state) for e in impact.edge_changes]
    affected = [AffectedFeature(a.item_id, keys[a.item_id].key, keys[a.item_id].title,
                                _name(names, a.planned_iteration),
                                _name(names, a.earliest_feasible_iteration),
                                a.old_state, a.new_state) for a in impact.affected]
    return MovePreview(item, current.name if current else None,
                       target.name if target else None, strings, affected,
                       _objective_impacts(ctx, item, impact))


def _name(names: dict[int, str], index: int | None) -> str | None:
    if index is None:
        return None
    return names.get(index, "after the PI's last development iteration")


def plan_item(uow: UnitOfWork, actor: Actor, item_id: int, iteration_id: int | None, *,
              at: datetime) -> PlanResult:
    """Plan a feature or story into an iteration of its PI (None: unplan it)."""
    with uow:
        item = uow.lock(WorkItem, item_id)
        actor.require(Permission.EDIT_BACKLOG, item.art_id)
        if item.pi_id is None:
            raise Invalid("plan the item into a PI first", field="pi_id")
        ctx = load_pi(uow, actor, item.pi_id, with_events=True)
        target = _target(ctx, item, iteration_id)
        item.plan(None if target is None else target.pi_id, iteration_id)
        item.updated_at = at
        uow.commit()
        ctx = load_pi(uow, actor, item.pi_id, with_events=True)
        return PlanResult(item, _board(uow, ctx))


def plan_team(uow: UnitOfWork, actor: Actor, pi_id: int, team_id: int) -> TeamPlan:
    """A team's iterations with capacity vs load and the stories planned into each."""
    with uow:
        ctx = load_pi(uow, actor, pi_id)
        team = uow.teams.get(team_id)
        if team.art_id != ctx.pi.art_id:
            raise Invalid("the team belongs to another ART", field="team_id")
        stories: dict[int | None, list[WorkItem]] = {i.id: [] for i in ctx.iterations}
        stories[None] = []
        for s in ctx.stories:
            if s.team_id == team_id:
                stories.setdefault(s.iteration_id, []).append(s)
        return TeamPlan(ctx.pi, team, ctx.iterations, ctx.loads()[team_id], stories,
                        [f for f in ctx.features if f.team_id == team_id])
