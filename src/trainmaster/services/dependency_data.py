"""Reading the dependency graph of a PI, an ART or the portfolio, column by column.

Only the ends of dependencies become nodes: items without a dependency change no state,
cycle or path. Every table is read once (id lists in chunks), as plain columns, never as
objects, so a portfolio of many thousand items loads in a fraction of a second.

Iteration positions. An item's place in time is the position of its planned iteration
among every iteration of the PIs involved, ordered by start date (iterations that start on
the same day, as on a Solution Train, share a position). Within one PI this is the
iteration index, so states follow DOMAIN.md's rule; across PIs and ARTs it still compares
like with like. A dependency end outside the scope that is done without an iteration
counts as delivered (position 0); any other item without an iteration is unplanned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from trainmaster.analytics.graph import NO_ITERATION, DependencyGraph
from trainmaster.domain.access import Actor, Permission
from trainmaster.domain.art import Art, Team
from trainmaster.domain.errors import Invalid
from trainmaster.domain.pi import Iteration, Pi
from trainmaster.domain.work_item import ItemLevel
from trainmaster.services.unit_of_work import Repository, UnitOfWork

ITEM_COLUMNS = ("id", "key", "title", "level", "status", "team_id", "art_id", "pi_id",
                "iteration_id", "parent_id")
DEPENDENCY_COLUMNS = ("id", "consumer_id", "provider_id", "agreement")
PLANNED_LEVELS = [ItemLevel.FEATURE.value, ItemLevel.STORY.value]
CHUNK = 5000
DELIVERED = 0


@dataclass(frozen=True)
class Scope:
    """What is analysed: one PI, one or more ARTs (a Solution Train), or the portfolio."""

    kind: str                       # "pi", "art" or "portfolio"
    arts: tuple[Art, ...]
    pi: Pi | None = None
    home: Pi | None = None          # the PI whose iterations are named bare ("I2")

    @property
    def home_pi(self) -> Pi | None:
        return self.pi or self.home

    @property
    def art_ids(self) -> list[int]:
        return [a.id or 0 for a in self.arts]

    @property
    def label(self) -> str:
        if self.pi is not None:
            return f"{self.arts[0].name} · {self.pi.name}"
        if self.kind == "art":
            return " + ".join(a.name for a in self.arts)
        return "Portfolio"


@dataclass(frozen=True)
class GraphData:
    """The columns read for a scope and the graph built from them."""

    scope: Scope
    items: dict[str, list[Any]]         # ITEM_COLUMNS of every dependency end, by id
    in_scope: np.ndarray                # per item: inside the scope (not an outside end)
    dependencies: dict[str, list[Any]]  # DEPENDENCY_COLUMNS, by id
    iterations: dict[int, Iteration]    # every iteration of the PIs involved
    position: dict[int, int]            # iteration id -> position in time (1-based)
    pis: dict[int, Pi]
    teams: dict[int, Team]
    arts: dict[int, Art]
    graph: DependencyGraph

    def row(self, item_id: int) -> int:
        return self.graph.position(item_id)


def resolve_scope(uow: UnitOfWork, actor: Actor, *, pi_id: int | None = None,
                  art_id: int | None = None, train: bool = False,
                  home: Pi | None = None) -> Scope:
    """The scope named by a PI, an ART (with its Solution Train when `train`), or neither
    (every ART the actor may see). Call inside `with uow:`."""
    if pi_id is not None:
        pi = uow.pis.get(pi_id)
        actor.require(Permission.VIEW, pi.art_id)
        return Scope("pi", (uow.arts.get(pi.art_id),), pi)
    if art_id is not None:
        actor.require(Permission.VIEW, art_id)
        art = uow.arts.get(art_id)
        arts = [art]
        if train and art.solution_train:
            arts += [a for a in uow.arts.find(solution_train=art.solution_train)
                     if a.id != art.id and actor.can(Permission.VIEW, a.id)]
        return Scope("art", tuple(arts), home=home)
    visible = tuple(a for a in uow.arts.find() if actor.can(Permission.VIEW, a.id))
    if not visible:
        raise Invalid("there is no ART you may see", field="art_id")
    return Scope("portfolio", visible)


def read_graph(uow: UnitOfWork, scope: Scope) -> GraphData:
    """Read the scope's dependencies and their ends; call inside `with uow:`."""
    if scope.kind == "portfolio":
        items, inside, deps = _read_portfolio(uow, scope)
    else:
        filters: dict[str, Any] = ({"pi_id": scope.pi.id} if scope.pi is not None
                                   else {"art_id": scope.art_ids})
        own = uow.items.columns(ITEM_COLUMNS, level=PLANNED_LEVELS, **filters)
        deps = dependencies_touching(uow, own["id"])
        ends = set(_ends(deps))
        own = _select(own, [i in ends for i in own["id"]])
        own_ids = set(own["id"])
        items = _merge(own, chunked(uow.items, ITEM_COLUMNS, "id", sorted(ends - own_ids)))
        inside = np.array([i in own_ids for i in items["id"]], dtype=bool)
    return _assemble(uow, scope, items, inside, deps)


def _read_portfolio(uow: UnitOfWork, scope: Scope
                    ) -> tuple[dict[str, list[Any]], np.ndarray, dict[str, list[Any]]]:
    """Every dependency with an end in the scope's ARTs, and its ends."""
    deps = uow.dependencies.columns(DEPENDENCY_COLUMNS)
    items = chunked(uow.items, ITEM_COLUMNS, "id", _ends(deps))
    keep = set(scope.art_ids)
    art_of = dict(zip(items["id"], items["art_id"], strict=True))
    deps = _select(deps, [art_of[c] in keep or art_of[p] in keep for c, p in
                          zip(deps["consumer_id"], deps["provider_id"], strict=True)])
    ends = set(_ends(deps))
    items = _select(items, [i in ends for i in items["id"]])
    return items, np.array([a in keep for a in items["art_id"]], dtype=bool), deps


def _assemble(uow: UnitOfWork, scope: Scope, items: dict[str, list[Any]], inside: np.ndarray,
              deps: dict[str, list[Any]]) -> GraphData:
    # every PI of the scope's ARTs, so a pushed item lands in a real iteration
    pis = {p.id or 0: p for p in uow.pis.find(art_id=scope.art_ids)}
    other = sorted({p for p in items["pi_id"] if p is not None} - set(pis))
    pis.update({p.id or 0: p for p in uow.pis.find(id=other)} if other else {})
    iterations = {i.id or 0: i for i in uow.iterations.find(pi_id=sorted(pis))} if pis else {}
    position = positions(iterations.values())
    team_ids = sorted({t for t in items["team_id"] if t is not None})
    teams = {t.id or 0: t for t in uow.teams.find(id=team_ids)} if team_ids else {}
    art_ids = sorted(set(items["art_id"]) | set(scope.art_ids))
    arts = {a.id or 0: a for a in uow.arts.find(id=art_ids)}
    slots = [_slot(position, it, status, bool(ins)) for it, status, ins in
             zip(items["iteration_id"], items["status"], inside, strict=True)]
    graph = DependencyGraph.build(
        np.array(items["id"], dtype=np.int64),
        np.array([-1 if t is None else t for t in items["team_id"]], dtype=np.int64),
        np.array(items["art_id"], dtype=np.int64), np.array(slots, dtype=np.int64),
        np.array(deps["consumer_id"], dtype=np.int64),
        np.array(deps["provider_id"], dtype=np.int64))
    return GraphData(scope, items, inside, deps, iterations, position, pis, teams, arts, graph)


def positions(iterations: Any) -> dict[int, int]:
    """Iteration id -> 1-based position of its start date among all their start dates."""
    iterations = list(iterations)
    starts = sorted({i.start_date for i in iterations})
    rank = {day: n for n, day in enumerate(starts, start=1)}
    return {i.id or 0: rank[i.start_date] for i in iterations}


def _slot(position: dict[int, int], iteration_id: int | None, status: str, inside: bool) -> int:
    if iteration_id is not None and iteration_id in position:
        return position[iteration_id]
    if not inside and status == "done":
        return DELIVERED
    return NO_ITERATION


def dependencies_touching(uow: UnitOfWork, ids: list[int]) -> dict[str, list[Any]]:
    """Dependencies with either end among `ids`, each once, by id."""
    if not ids:
        return {c: [] for c in DEPENDENCY_COLUMNS}
    return _merge(chunked(uow.dependencies, DEPENDENCY_COLUMNS, "consumer_id", ids),
                  chunked(uow.dependencies, DEPENDENCY_COLUMNS, "provider_id", ids))


def chunked(repo: Repository[Any], names: Sequence[str], field: str, ids: Sequence[int]
             ) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {n: [] for n in names}
    for start in range(0, len(ids), CHUNK):
        part = repo.columns(names, **{field: list(ids[start:start + CHUNK])})
        for n in names:
            out[n].extend(part[n])
    return out


def _merge(a: dict[str, list[Any]], b: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Rows of both, each id once, in id order."""
    rows = {row[0]: row for cols in (a, b) for row in zip(*cols.values(), strict=True)}
    ordered = [rows[k] for k in sorted(rows)]
    return {n: [r[i] for r in ordered] for i, n in enumerate(a)}


def _select(cols: dict[str, list[Any]], keep: Sequence[bool]) -> dict[str, list[Any]]:
    return {n: [v for v, k in zip(values, keep, strict=True) if k] for n, values in cols.items()}


def _ends(deps: dict[str, list[Any]]) -> list[int]:
    return sorted(set(deps["consumer_id"]) | set(deps["provider_id"]))
