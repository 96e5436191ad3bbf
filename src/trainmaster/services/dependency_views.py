"""Read models of the dependency analysis: items, strings, cycles, path, matrix, hot spots.

Built from the columns of `dependency_data` and the arrays of `analytics.graph`; one model
feeds the page, the JSON API and the terminal.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from trainmaster.analytics.graph import STATES, GraphReport, iterations_late
from trainmaster.domain.dependency import DependencyState
from trainmaster.services.dependency_data import DELIVERED, GraphData, Scope

SEVERITY = (DependencyState.LATE, DependencyState.AT_RISK, DependencyState.UNPLANNED,
            DependencyState.OK)


@dataclass(frozen=True)
class ItemRef:
    id: int
    key: str
    title: str
    level: str
    status: str
    team_id: int | None
    team: str
    art_id: int
    art_key: str
    iteration_id: int | None
    iteration: str | None           # label: "I2" inside the PI, "PI 26.4 I3" outside
    slot: int                       # position in time (-1 unplanned, 0 delivered)
    in_scope: bool


@dataclass(frozen=True)
class TeamRef:
    id: int | None
    name: str
    art_id: int | None
    in_scope: bool


@dataclass(frozen=True)
class DependencyRow:
    id: int
    consumer: ItemRef
    provider: ItemRef
    state: DependencyState
    iterations_late: int
    agreement: str
    in_cycle: bool
    cross_art: bool
    critical: bool


@dataclass(frozen=True)
class CycleView:
    items: list[ItemRef]
    chain: list[ItemRef]            # a needs b needs ... needs a


@dataclass(frozen=True)
class CriticalPathView:
    items: list[ItemRef]            # provider first
    length: float
    finish: str | None
    ignored_cycle_edges: int


@dataclass(frozen=True)
class MatrixCell:
    consumer: TeamRef               # the waiting team
    provider: TeamRef
    waits: int
    late: int
    iterations_late: int


@dataclass(frozen=True)
class TeamMatrixView:
    teams: list[TeamRef]
    cells: list[MatrixCell]

    def cell(self, consumer_id: int | None, provider_id: int | None) -> MatrixCell | None:
        return next((c for c in self.cells if c.consumer.id == consumer_id
                     and c.provider.id == provider_id), None)

    @property
    def waiting(self) -> list[TeamRef]:
        """Teams that wait on another (the rows), in team order."""
        ids = {c.consumer.id for c in self.cells}
        return [t for t in self.teams if t.id in ids]

    @property
    def providing(self) -> list[TeamRef]:
        """Teams others wait on (the columns), in team order."""
        ids = {c.provider.id for c in self.cells}
        return [t for t in self.teams if t.id in ids]


@dataclass(frozen=True)
class Column:
    """A column of the graph view: one iteration, or a span of them outside the PI."""

    label: str
    slots: frozenset[int]
    is_ip: bool = False


@dataclass(frozen=True)
class DependencyAnalysis:
    scope: Scope
    dependencies: list[DependencyRow]
    cycles: list[CycleView]
    critical_path: CriticalPathView
    matrix: TeamMatrixView
    hot_items: list[tuple[ItemRef, int]]
    hot_teams: list[tuple[TeamRef, int]]
    columns: list[Column]
    teams: list[TeamRef]            # the scope's own teams (the filter's choices)
    filters: list[int] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in DependencyState}
        for d in self.dependencies:
            counts[d.state.value] += 1
        return counts

    @property
    def items(self) -> list[ItemRef]:
        found = {r.id: r for d in self.dependencies for r in (d.provider, d.consumer)}
        return [found[k] for k in sorted(found)]

    @property
    def needs_attention(self) -> list[DependencyRow]:
        """Late strings (latest first), then those at risk."""
        return [d for d in self.dependencies
                if d.state in (DependencyState.LATE, DependencyState.AT_RISK)]

    @property
    def cross_art(self) -> list[DependencyRow]:
        return [d for d in self.dependencies if d.cross_art]

    def as_dict(self) -> dict[str, Any]:
        return analysis_dict(self)


def item_refs(data: GraphData) -> list[ItemRef]:
    """One reference per graph row, in row order."""
    cols = data.items
    teams = {t: team_label(data, t) for t in set(cols["team_id"])}
    its = {i: iteration_label(data, i) for i in set(cols["iteration_id"])}
    arts = {a: art.key for a, art in data.arts.items()}
    slots = data.graph.iterations.tolist()
    inside = data.in_scope.tolist()
    return [ItemRef(item_id, key, title, str(level), status, team_id, teams[team_id], art_id,
                    arts[art_id], it, its[it], slot, ins)
            for item_id, key, title, level, status, team_id, art_id, it, slot, ins in zip(
                cols["id"], cols["key"], cols["title"], cols["level"], cols["status"],
                cols["team_id"], cols["art_id"], cols["iteration_id"], slots, inside,
                strict=True)]


def team_label(data: GraphData, team_id: int | None) -> str:
    if team_id is None or team_id not in data.teams:
        return "no team"
    team = data.teams[team_id]
    own = len(data.scope.arts) == 1 and team.art_id == data.scope.arts[0].id
    return team.name if own else f"{data.arts[team.art_id].key} · {team.name}"


def iteration_label(data: GraphData, iteration_id: int | None) -> str | None:
    if iteration_id is None or iteration_id not in data.iterations:
        return None
    it = data.iterations[iteration_id]
    pi = data.pis[it.pi_id]
    home = data.scope.home_pi
    if home is not None and it.pi_id == home.id:
        return it.name
    own = len(data.scope.arts) == 1 and pi.art_id == data.scope.arts[0].id
    return f"{pi.name} {it.name}" if own else f"{data.arts[pi.art_id].key} {pi.name} {it.name}"


def build_analysis(data: GraphData, report: GraphReport) -> DependencyAnalysis:
    refs = item_refs(data)
    graph = data.graph
    path = list(report.critical_path.item_ids)
    on_path = set(zip(path, path[1:], strict=False))
    by_id = {r.id: r for r in refs}
    rank = {s: SEVERITY.index(s) for s in STATES}
    rows = []
    for dep_id, agreement, c, p, code, late, cyc in zip(
            data.dependencies["id"], data.dependencies["agreement"], graph.consumers.tolist(),
            graph.providers.tolist(), report.states.tolist(), iterations_late(graph).tolist(),
            report.cycles.edge_in_cycle.tolist(), strict=True):
        consumer, provider = refs[c], refs[p]
        rows.append(DependencyRow(dep_id, consumer, provider, STATES[code], late,
                                  str(agreement), cyc, consumer.art_id != provider.art_id,
                                  (provider.id, consumer.id) in on_path))
    rows.sort(key=lambda d: (rank[d.state], -d.iterations_late, d.consumer.key))
    teams = _team_refs(data, report.teams.team_ids)
    cycles = [CycleView([by_id[i] for i in c.item_ids], [by_id[i] for i in c.chain])
              for c in report.cycles.cycles]
    finish = report.critical_path.finish_iteration
    return DependencyAnalysis(
        scope=data.scope, dependencies=rows, cycles=cycles,
        critical_path=CriticalPathView([by_id[i] for i in path], report.critical_path.length,
                                       slot_label(data, finish) if finish is not None else None,
                                       report.critical_path.ignored_cycle_edges),
        matrix=_matrix(report, teams),
        hot_items=[(by_id[i], n) for i, n in report.fan_in.items],
        hot_teams=[(teams[t], n) for t, n in report.fan_in.teams],
        columns=columns(data, refs), teams=scope_teams(data))


def _team_refs(data: GraphData, team_ids: np.ndarray) -> dict[int, TeamRef]:
    scope_arts = set(data.scope.art_ids)
    out = {}
    for t in (int(x) for x in team_ids):
        team = data.teams.get(t)
        out[t] = TeamRef(None if t < 0 else t, team_label(data, None if t < 0 else t),
                         team.art_id if team else None, bool(team and team.art_id in scope_arts))
    return out


def _matrix(report: GraphReport, teams: dict[int, TeamRef]) -> TeamMatrixView:
    cells = [MatrixCell(teams[c], teams[p], waits, late, its)
             for c, p, waits, late, its in report.teams.cells()]
    order = sorted(teams.values(), key=lambda t: (not t.in_scope, t.id is None, t.name))
    return TeamMatrixView(order, cells)


def scope_teams(data: GraphData) -> list[TeamRef]:
    arts = set(data.scope.art_ids)
    teams = [t for t in data.teams.values() if t.art_id in arts]
    return sorted((TeamRef(t.id, team_label(data, t.id), t.art_id, True) for t in teams),
                  key=lambda t: t.name)


def slot_label(data: GraphData, slot: int) -> str:
    """A position in time as an iteration name (the scope's PI's when it has one)."""
    if slot == DELIVERED:
        return "done before"
    if slot < 0:
        return "unplanned"
    found = [i for i, s in data.position.items() if s == slot]
    if not found:
        return f"position {slot}"
    home = data.scope.home_pi
    if home is not None:
        own = [i for i in found if data.iterations[i].pi_id == home.id]
        found = own or found
    return iteration_label(data, found[0]) or f"position {slot}"


def columns(data: GraphData, refs: list[ItemRef]) -> list[Column]:
    """Iterations left to right; for a PI, the PI's own with what lies outside at the sides."""
    used = {r.slot for r in refs}
    out: list[Column] = []
    if data.scope.pi is not None:
        own = sorted((i for i in data.iterations.values() if i.pi_id == data.scope.pi.id),
                     key=lambda i: i.index)
        own_slots = [data.position[i.id or 0] for i in own]
        first, last = min(own_slots, default=0), max(own_slots, default=0)
        before = frozenset(s for s in used if 0 <= s < first)
        after = frozenset(s for s in used if s > last)
        if before:
            out.append(Column("before the PI", before))
        out += [Column(i.name, frozenset({data.position[i.id or 0]}), i.is_ip) for i in own]
        if after:
            out.append(Column("after the PI", after))
    else:
        out += [Column(slot_label(data, s), frozenset({s})) for s in sorted(used) if s >= 0]
    if -1 in used:
        out.append(Column("unplanned", frozenset({-1})))
    return out


def filter_analysis(analysis: DependencyAnalysis, team_ids: set[int]) -> DependencyAnalysis:
    """Only what touches `team_ids`: their strings, cycles, matrix rows and columns."""
    if not team_ids:
        return analysis

    def touches(*refs: ItemRef) -> bool:
        return any(r.team_id in team_ids for r in refs)

    return dataclasses.replace(
        analysis,
        dependencies=[d for d in analysis.dependencies if touches(d.consumer, d.provider)],
        cycles=[c for c in analysis.cycles if touches(*c.items)],
        matrix=TeamMatrixView(
            analysis.matrix.teams,
            [c for c in analysis.matrix.cells
             if c.consumer.id in team_ids or c.provider.id in team_ids]),
        hot_items=[(r, n) for r, n in analysis.hot_items if touches(r)],
        hot_teams=[(t, n) for t, n in analysis.hot_teams if t.id in team_ids],
        filters=sorted(team_ids))


def ref_dict(r: ItemRef) -> dict[str, Any]:
    return {"id": r.id, "key": r.key, "title": r.title, "level": r.level, "status": r.status,
            "team_id": r.team_id, "team": r.team, "art": r.art_key,
            "iteration_id": r.iteration_id, "iteration": r.iteration, "in_scope": r.in_scope}


def _team_dict(t: TeamRef) -> dict[str, Any]:
    return {"id": t.id, "name": t.name}


def analysis_dict(a: DependencyAnalysis) -> dict[str, Any]:
    """The analysis as JSON-ready data (API and `trainmaster deps --json`)."""
    return {
        "scope": {"kind": a.scope.kind, "label": a.scope.label,
                  "pi_id": a.scope.pi.id if a.scope.pi else None, "art_ids": a.scope.art_ids},
        "counts": a.counts,
        "dependencies": [{"id": d.id, "consumer": ref_dict(d.consumer),
                          "provider": ref_dict(d.provider), "state": d.state.value,
                          "iterations_late": d.iterations_late, "agreement": d.agreement,
                          "in_cycle": d.in_cycle, "cross_art": d.cross_art,
                          "critical": d.critical} for d in a.dependencies],
        "cycles": [{"items": [ref_dict(r) for r in c.items],
                    "chain": [r.key for r in c.chain]} for c in a.cycles],
        "critical_path": {"items": [ref_dict(r) for r in a.critical_path.items],
                          "length": a.critical_path.length, "finish": a.critical_path.finish,
                          "ignored_cycle_edges": a.critical_path.ignored_cycle_edges},
        "team_matrix": [{"consumer": _team_dict(c.consumer), "provider": _team_dict(c.provider),
                         "waits": c.waits, "late": c.late, "iterations_late": c.iterations_late}
                        for c in a.matrix.cells],
        "hot_items": [{"item": ref_dict(r), "dependents": n} for r, n in a.hot_items],
        "hot_teams": [{"team": _team_dict(t), "depended_on": n} for t, n in a.hot_teams],
        "cross_art": [d.id for d in a.cross_art],
        "filters": {"teams": a.filters},
    }
