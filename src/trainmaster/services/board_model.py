"""The Program Board: feature cards by team and iteration, dependency strings, milestones.

One read model (`BoardModel`) feeds the page, the API, the terminal and the SVG/PDF
exports. String states and cycles come from analytics.graph; a move's preview comes from
analytics.slip. What needs a decision is marked: late strings, requests still waiting for
the providing team's answer, declined requests, strings in a cycle and overloaded
iterations. A dependency end outside the PI counts as delivered when it is done, otherwise
as unplanned here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from trainmaster.analytics.capacity import IterationLoad
from trainmaster.analytics.graph import (
    NO_ITERATION,
    STATES,
    DependencyGraph,
    dependency_states,
    find_cycles,
)
from trainmaster.domain.art import Art, Team
from trainmaster.domain.baseline import changes_since, snapshot_of
from trainmaster.domain.dependency import Agreement, DependencyState
from trainmaster.domain.pi import Iteration, Pi
from trainmaster.domain.work_item import KanbanState
from trainmaster.services.pi_context import PiContext

DECISION_STATES = (DependencyState.LATE,)


@dataclass(frozen=True)
class Card:
    id: int
    key: str
    title: str
    points: float | None
    work_type: str
    status: str
    team_id: int | None
    iteration_id: int | None
    change: str | None = None           # added / moved since the baseline
    decision: bool = False              # an end of a string that needs a decision


@dataclass(frozen=True)
class BoardString:
    id: int
    consumer_id: int
    provider_id: int
    label: str
    state: DependencyState
    agreement: Agreement
    in_cycle: bool
    external: bool                      # one end is not on this PI's board
    needed_by: str | None = None
    offered: str | None = None
    description: str = ""

    @property
    def awaits_answer(self) -> bool:
        return self.agreement is Agreement.REQUESTED

    @property
    def decision(self) -> bool:
        return (self.state in DECISION_STATES or self.in_cycle
                or self.agreement in (Agreement.REQUESTED, Agreement.DECLINED))


@dataclass(frozen=True)
class Milestone:
    title: str
    kind: str
    day: date
    iteration_id: int | None


@dataclass(frozen=True)
class BoardModel:
    pi: Pi
    art: Art
    iterations: list[Iteration]
    teams: list[Team]
    cards: list[Card]
    strings: list[BoardString]
    milestones: list[Milestone]
    loads: dict[int, list[IterationLoad]]
    cycles: list[list[str]]
    baseline_at: datetime | None = None
    filters: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        cells: dict[tuple[int | None, int | None], list[Card]] = defaultdict(list)
        for c in self.cards:
            cells[(c.team_id, c.iteration_id)].append(c)
        object.__setattr__(self, "_cells", dict(cells))
        object.__setattr__(self, "_loads", {(team, x.iteration_id): x for team, xs in
                                            self.loads.items() for x in xs})

    def cell(self, team_id: int | None, iteration_id: int | None) -> list[Card]:
        return self._cells.get((team_id, iteration_id), [])  # type: ignore[attr-defined, no-any-return]

    def load(self, team_id: int | None, iteration_id: int | None) -> IterationLoad | None:
        return self._loads.get((team_id or 0, iteration_id))  # type: ignore[attr-defined, no-any-return]

    @property
    def state_counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in DependencyState}
        for s in self.strings:
            counts[s.state.value] += 1
        return counts

    @property
    def waiting(self) -> list[BoardString]:
        return [s for s in self.strings if s.awaits_answer]

    @property
    def overloaded(self) -> list[tuple[Team, IterationLoad]]:
        return [(t, x) for t in self.teams for x in self.loads.get(t.id or 0, [])
                if x.overloaded]

    def as_dict(self) -> dict[str, Any]:
        return board_dict(self)


def board_graph(ctx: PiContext) -> DependencyGraph:
    """The PI's features and the outside ends of their dependencies as a graph."""
    index = {i.id: i.index for i in ctx.iterations}
    items = list(ctx.features) + list(ctx.outside.values())
    iterations = [index.get(f.iteration_id, NO_ITERATION) for f in ctx.features]
    iterations += [0 if o.status == KanbanState.DONE.value else NO_ITERATION
                   for o in ctx.outside.values()]
    return DependencyGraph.build(
        np.array([i.id for i in items], dtype=np.int64),
        np.array([i.team_id or -1 for i in items], dtype=np.int64),
        np.array([i.art_id for i in items], dtype=np.int64),
        np.array(iterations, dtype=np.int64),
        np.array([d.consumer_id for d in ctx.dependencies], dtype=np.int64),
        np.array([d.provider_id for d in ctx.dependencies], dtype=np.int64))


def _strings(ctx: PiContext, graph: DependencyGraph) -> tuple[list[BoardString], list[list[str]]]:
    codes = dependency_states(graph)
    report = find_cycles(graph)
    keys = {i.id: i.key for i in list(ctx.features) + list(ctx.outside.values())}
    names = {i.id: i.name for i in ctx.iterations}
    out = []
    for n, d in enumerate(ctx.dependencies):
        out.append(BoardString(
            id=d.id or 0, consumer_id=d.consumer_id, provider_id=d.provider_id,
            label=f"{keys.get(d.consumer_id)} needs {keys.get(d.provider_id)}",
            state=STATES[int(codes[n])], agreement=d.agreement,
            in_cycle=bool(report.edge_in_cycle[n]),
            external=d.consumer_id in ctx.outside or d.provider_id in ctx.outside,
            needed_by=names.get(d.needed_by_iteration_id),
            offered=names.get(d.offered_iteration_id), description=d.description))
    cycles = [[keys.get(i, str(i)) for i in c.chain] for c in report.cycles]
    return out, cycles


def _milestones(ctx: PiContext) -> list[Milestone]:
    zone = ZoneInfo(ctx.art.timezone)
    by_index = {i.index: i.id for i in ctx.iterations}
    out = []
    for e in ctx.events:
        day = e.start.astimezone(zone).date()
        out.append(Milestone(e.title, e.kind.value, day,
                             by_index.get(ctx.pi.iteration_index_on(day) or 0)))
    return out


def _feature_points(ctx: PiContext) -> dict[int, float]:
    points: dict[int, float] = defaultdict(float)
    for s in ctx.stories:
        if s.parent_id is not None:
            points[s.parent_id] += s.points or 0.0
    return points


def build_board(ctx: PiContext, *, baseline: dict[str, Any] | None = None,
                baseline_at: datetime | None = None) -> BoardModel:
    strings, cycles = _strings(ctx, board_graph(ctx))
    loads = ctx.loads()
    marks = {}
    if baseline is not None:
        current = snapshot_of(ctx.features, ctx.iterations, ctx.objectives, ctx.dependencies,
                              {t.id or 0: t.name for t in ctx.teams})
        marks = {c.ref: c.kind.value for c in changes_since(baseline, current)
                 if c.subject == "feature"}
    deciding = {end for s in strings if s.decision for end in (s.consumer_id, s.provider_id)}
    story_points = _feature_points(ctx)
    cards = [Card(f.id or 0, f.key, f.title,
                  f.points if f.points is not None else story_points.get(f.id or 0),
                  f.work_type.value, f.status, f.team_id, f.iteration_id,
                  marks.get(f.id or 0), (f.id or 0) in deciding) for f in ctx.features]
    return BoardModel(ctx.pi, ctx.art, ctx.iterations, ctx.teams, cards, strings,
                      _milestones(ctx), loads, cycles, baseline_at)


def filter_board(model: BoardModel, *, teams: set[int] | None = None,
                 states: set[str] | None = None) -> BoardModel:
    """Keep the rows of `teams` and the strings in `states` (and whose ends are shown)."""
    cards = [c for c in model.cards if not teams or c.team_id in teams]
    shown = {c.id for c in cards}
    strings = [s for s in model.strings
               if (not states or s.state.value in states
                   or ("requested" in states and s.awaits_answer))
               and (not teams or s.consumer_id in shown or s.provider_id in shown)]
    return BoardModel(
        model.pi, model.art, model.iterations,
        [t for t in model.teams if not teams or t.id in teams], cards, strings,
        model.milestones, model.loads, model.cycles, model.baseline_at,
        {"teams": sorted(str(t) for t in teams or ()), "states": sorted(states or ())})


def _load_dict(x: IterationLoad) -> dict[str, Any]:
    return {"iteration_id": x.iteration_id, "iteration": x.name, "capacity": x.capacity,
            "load": x.load, "overloaded": x.overloaded}


def board_dict(model: BoardModel) -> dict[str, Any]:
    """The board as JSON-ready data (API and `trainmaster board --json`)."""
    return {
        "pi": {"id": model.pi.id, "name": model.pi.name, "start": model.pi.start_date.isoformat(),
               "end": model.pi.end_date.isoformat()},
        "iterations": [{"id": i.id, "index": i.index, "name": i.name, "is_ip": i.is_ip,
                        "start": i.start_date.isoformat(), "end": i.end_date.isoformat()}
                       for i in model.iterations],
        "milestones": [{"title": m.title, "kind": m.kind, "day": m.day.isoformat(),
                        "iteration_id": m.iteration_id} for m in model.milestones],
        "teams": [{"id": t.id, "name": t.name,
                   "iterations": [_load_dict(x) for x in model.loads.get(t.id or 0, [])]}
                  for t in model.teams],
        "cards": [c.__dict__ for c in model.cards],
        "strings": [{**{k: v for k, v in s.__dict__.items()},
                     "state": s.state.value, "agreement": s.agreement.value,
                     "awaits_answer": s.awaits_answer, "decision": s.decision}
                    for s in model.strings],
        "state_counts": model.state_counts,
        "cycles": model.cycles,
        "baseline_at": model.baseline_at.isoformat() if model.baseline_at else None,
        "filters": model.filters,
    }
