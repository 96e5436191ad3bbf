"""Dependency analysis of a PI, an ART or the portfolio, and the impact of a slip.

`analyse_dependencies` answers "where do we wait on each other": the state of every
dependency, cycles (always an error), the critical path, who waits on whom (team matrix),
the items and teams most depended on and the dependencies across ARTs.

`preview_slip` answers "if this item moves to that iteration, what else turns red": every
item downstream whose earliest feasible iteration or state changes (analytics.slip), the PI
objectives that hold a moved or affected feature, and the milestones that an item used to
finish before and no longer does. Milestone rule: a milestone of the item's ART on day d is
affected when the item's old iteration ended before d and its new one ends on or after d,
or when the item no longer lands in any known iteration (unplanned, or pushed past the
last one): then every milestone after its old iteration is affected.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from trainmaster.analytics.graph import STATES as SEVERITY
from trainmaster.analytics.graph import analyse_graph
from trainmaster.analytics.slip import SlipImpact, slip_impact
from trainmaster.domain.access import Actor, Permission
from trainmaster.domain.dependency import DependencyState
from trainmaster.domain.errors import Invalid, NotFound
from trainmaster.domain.event import EventKind
from trainmaster.domain.pi import Iteration, Pi
from trainmaster.domain.work_item import ItemLevel, WorkItem
from trainmaster.services import overview
from trainmaster.services.dependency_data import GraphData, read_graph, resolve_scope
from trainmaster.services.dependency_views import (
    DependencyAnalysis,
    ItemRef,
    build_analysis,
    filter_analysis,
    item_refs,
    ref_dict,
    slot_label,
)
from trainmaster.services.unit_of_work import UnitOfWork


def analyse_dependencies(uow: UnitOfWork, actor: Actor, *, pi_id: int | None = None,
                         art_id: int | None = None, teams: set[int] | None = None,
                         ) -> DependencyAnalysis:
    """States, cycles, critical path, team matrix, hot spots and cross-ART dependencies of a
    PI (`pi_id`), an ART (`art_id`) or, with neither, every ART the actor may see.
    `teams` keeps only what touches those teams."""
    with uow:
        scope = resolve_scope(uow, actor, pi_id=pi_id, art_id=art_id)
        data = read_graph(uow, scope)
    analysis = build_analysis(data, analyse_graph(data.graph))
    return filter_analysis(analysis, teams) if teams else analysis


def dependency_pi(uow: UnitOfWork, actor: Actor, art_ref: str, *, today: date) -> Pi:
    """The PI an ART's dependency page opens on: the running one, else the next."""
    art = overview.find_art(uow, actor, art_ref)
    pi = overview.current_pi(overview.list_pis(uow, actor, art.id or 0), today)
    if pi is None:
        raise NotFound(f"{art.name} has no current or coming PI")
    return pi


# --- slip preview -------------------------------------------------------------------------

@dataclass(frozen=True)
class EdgeChange:
    dependency_id: int
    consumer: ItemRef
    provider: ItemRef
    before: DependencyState
    after: DependencyState


@dataclass(frozen=True)
class AffectedItem:
    item: ItemRef
    planned: str | None
    earliest: str | None            # earliest feasible iteration once the move is made
    before: DependencyState
    after: DependencyState
    must_move: bool
    depth: int
    via: ItemRef


@dataclass(frozen=True)
class ObjectiveHit:
    id: int
    text: str
    team: str
    committed: bool
    planned_bv: int | None
    because: list[str]              # keys of the moved or affected items it holds


@dataclass(frozen=True)
class MilestoneHit:
    id: int
    title: str
    day: date
    because: list[str]


@dataclass(frozen=True)
class SlipPreview:
    item: WorkItem
    from_iteration: str | None
    to_iteration: str | None
    edge_changes: list[EdgeChange]
    affected: list[AffectedItem]
    objectives: list[ObjectiveHit]
    milestones: list[MilestoneHit]
    ignored_cycle_edges: int = 0

    @property
    def changes_anything(self) -> bool:
        return bool(self.edge_changes or self.affected or self.objectives or self.milestones)

    def as_dict(self) -> dict[str, Any]:
        return slip_dict(self)


@dataclass(frozen=True)
class _Move:
    """An item whose finishing iteration changes: ends as dates (None: no known iteration)."""

    item_id: int
    key: str
    art_id: int
    old_end: date | None
    new_end: date | None


def preview_slip(uow: UnitOfWork, actor: Actor, item_id: int, iteration_id: int | None
                 ) -> SlipPreview:
    """What moving a feature or story to `iteration_id` (None: unplanned) would change."""
    with uow:
        item = uow.items.get(item_id)
        actor.require(Permission.VIEW, item.art_id)
        own = _own_iterations(uow, item)
        target = _target(item, own, iteration_id)
        current = own.get(item.iteration_id or 0)
        data = read_graph(uow, resolve_scope(uow, actor, art_id=item.art_id, train=True,
                                             home=uow.pis.get(item.pi_id or 0)))
        impact = _impact(data, item, target)
        by_id = {r.id: r for r in item_refs(data)}
        moved = (target.id if target else None) != item.iteration_id
        moves = [_Move(item.id or 0, item.key, item.art_id,
                       current.end_date if current else None,
                       target.end_date if target else None)] if moved else []
        moves += _downstream_moves(data, impact, by_id)
        objectives = _objective_hits(uow, data, item if moved else None, impact, by_id)
        milestones = _milestone_hits(uow, moves)
    return SlipPreview(
        item, current.name if current else None, target.name if target else None,
        _edge_changes(data, impact, by_id),
        [_affected(data, a, by_id) for a in (impact.affected if impact else ())],
        objectives, milestones, impact.ignored_cycle_edges if impact else 0)


def _own_iterations(uow: UnitOfWork, item: WorkItem) -> dict[int, Iteration]:
    if item.level is ItemLevel.EPIC:
        raise Invalid("an epic is not planned into an iteration", field="item_id")
    if item.pi_id is None:
        raise Invalid(f"{item.key} is not planned into a PI", field="pi_id")
    return {i.id or 0: i for i in uow.iterations.find(pi_id=item.pi_id)}


def _target(item: WorkItem, own: dict[int, Iteration], iteration_id: int | None
            ) -> Iteration | None:
    if iteration_id is None:
        return None
    target = own.get(iteration_id)
    if target is None:
        raise Invalid(f"iteration {iteration_id} is not in {item.key}'s PI",
                      field="iteration_id")
    if target.is_ip and item.level is ItemLevel.FEATURE:
        raise Invalid("the IP iteration carries no planned feature work", field="iteration_id")
    return target


def _impact(data: GraphData, item: WorkItem, target: Iteration | None) -> SlipImpact | None:
    if item.id not in set(data.items["id"]):
        return None                 # no dependency: nothing downstream
    new_slot = None if target is None else data.position[target.id or 0]
    return slip_impact(data.graph, item.id or 0, new_slot)


def _edge_changes(data: GraphData, impact: SlipImpact | None, by_id: dict[int, ItemRef]
                  ) -> list[EdgeChange]:
    if impact is None:
        return []
    ids = {(c, p): d for d, c, p in zip(data.dependencies["id"], data.dependencies["consumer_id"],
                                        data.dependencies["provider_id"], strict=True)}
    return [EdgeChange(ids[(e.consumer_id, e.provider_id)], by_id[e.consumer_id],
                       by_id[e.provider_id], e.old_state, e.new_state)
            for e in impact.edge_changes]


def _affected(data: GraphData, a: Any, by_id: dict[int, ItemRef]) -> AffectedItem:
    ref = by_id[a.item_id]
    earliest = a.earliest_feasible_iteration
    return AffectedItem(ref, ref.iteration, None if earliest is None else
                        _landing_label(data, earliest), a.old_state, a.new_state, a.must_move,
                        a.depth, by_id[a.via])


def _landing_label(data: GraphData, slot: int) -> str:
    last = max(data.position.values(), default=0)
    if slot > last:
        return f"after {slot_label(data, last)}"
    return slot_label(data, slot)


def _end_at(data: GraphData, slot: int | None, art_id: int) -> date | None:
    """The end of the iteration at `slot`, the item's own ART's when several share it."""
    if slot is None or slot < 1:
        return None
    found = [data.iterations[i] for i, s in data.position.items() if s == slot]
    own = [i for i in found if data.pis[i.pi_id].art_id == art_id]
    chosen = (own or found)
    return chosen[0].end_date if chosen else None


def _downstream_moves(data: GraphData, impact: SlipImpact | None, by_id: dict[int, ItemRef]
                      ) -> list[_Move]:
    if impact is None:
        return []
    out = []
    for a in impact.affected:
        if not a.must_move:
            continue
        ref = by_id[a.item_id]
        old = data.iterations.get(ref.iteration_id or 0)
        out.append(_Move(ref.id, ref.key, ref.art_id, old.end_date if old else None,
                         _end_at(data, a.earliest_feasible_iteration, ref.art_id)))
    return out


def _objective_hits(uow: UnitOfWork, data: GraphData, item: WorkItem | None,
                    impact: SlipImpact | None, by_id: dict[int, ItemRef]) -> list[ObjectiveHit]:
    """Objectives holding the moved item (None: it stays), an affected one or a consumer
    whose string to the moved item turns worse (or their feature, for stories)."""
    parent = dict(zip(data.items["id"], data.items["parent_id"], strict=True))
    keys = {a.item_id: by_id[a.item_id].key for a in (impact.affected if impact else ())}
    for e in impact.edge_changes if impact else ():
        if SEVERITY.index(e.new_state) > SEVERITY.index(e.old_state):
            keys[e.consumer_id] = by_id[e.consumer_id].key   # its string turns worse
    pis = {p for i, p in zip(data.items["id"], data.items["pi_id"], strict=True) if i in keys}
    if item is not None:
        parent[item.id or 0] = item.parent_id
        keys[item.id or 0] = item.key
        pis.add(item.pi_id)
    because: dict[int, list[str]] = defaultdict(list)
    for item_id, key in keys.items():
        for feature in {item_id, parent.get(item_id)} - {None}:
            because[feature].append(key)  # type: ignore[index]
    if not keys:
        return []
    found = uow.objectives.find(pi_id=sorted(p for p in pis if p is not None))
    team_ids = sorted({o.team_id for o in found if o.team_id is not None})
    teams = {t.id: t.name for t in uow.teams.find(id=team_ids)} if team_ids else {}
    hits = []
    for o in found:
        keys_hit = sorted({k for f in o.feature_ids for k in because.get(f, [])})
        if keys_hit:
            hits.append(ObjectiveHit(o.id or 0, o.text, teams.get(o.team_id, "program"),
                                     o.committed, o.planned_bv, keys_hit))
    return hits


def _milestone_hits(uow: UnitOfWork, moves: list[_Move]) -> list[MilestoneHit]:
    arts = sorted({m.art_id for m in moves})
    zones = {a.id: ZoneInfo(a.timezone) for a in uow.arts.find(id=arts)}
    events = uow.events.find(art_id=arts, kind=EventKind.MILESTONE.value, order_by="start")
    hits = []
    for e in events:
        day = e.start.astimezone(zones[e.art_id]).date()
        because = [m.key for m in moves if m.art_id == e.art_id and m.old_end is not None
                   and m.old_end < day and (m.new_end is None or day <= m.new_end)]
        if because:
            hits.append(MilestoneHit(e.id or 0, e.title, day, because))
    return hits


def slip_dict(p: SlipPreview) -> dict[str, Any]:
    """The preview as JSON-ready data."""
    return {
        "item": {"id": p.item.id, "key": p.item.key, "title": p.item.title},
        "from": p.from_iteration, "to": p.to_iteration,
        "changes_anything": p.changes_anything,
        "edge_changes": [{"dependency_id": e.dependency_id, "consumer": ref_dict(e.consumer),
                          "provider": ref_dict(e.provider), "before": e.before.value,
                          "after": e.after.value} for e in p.edge_changes],
        "affected": [{"item": ref_dict(a.item), "planned": a.planned, "earliest": a.earliest,
                      "before": a.before.value, "after": a.after.value,
                      "must_move": a.must_move, "depth": a.depth, "via": a.via.key}
                     for a in p.affected],
        "objectives": [{"id": o.id, "text": o.text, "team": o.team, "committed": o.committed,
                        "planned_bv": o.planned_bv, "because": o.because}
                       for o in p.objectives],
        "milestones": [{"id": m.id, "title": m.title, "day": m.day.isoformat(),
                        "because": m.because} for m in p.milestones],
        "ignored_cycle_edges": p.ignored_cycle_edges,
    }
