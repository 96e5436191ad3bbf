"""Impact of a slip: "if item X moves to iteration k, what else moves or turns red?"

Propagation rule. Every planned item has a *landing* iteration: where it ends up if each
item that must wait for a provider waits just enough for its dependencies to be ok
(provider strictly before consumer, DOMAIN.md):

    landing(X) = the iteration X is moved to (X is pinned there)
    landing(i) = max(planned(i), max over planned providers j of landing(j) + 1)

Items without an iteration have no landing; they do not push their consumers (those
dependencies are unplanned) and are never pushed themselves. The landing of an item is its
*earliest feasible iteration*.

The state an item shows is the worst state of its incoming dependencies, judged with every
provider at its landing and the item at its planned iteration; severity runs ok < at risk <
late < unplanned. Landings and states are computed twice, with X at its old and at its new
iteration, and an item downstream of X is *affected* when its landing or its state differs
between the two. So only what the move changes is reported, never a problem that was
already there, and the answer is monotone: moving X earlier never makes an item later or
its state worse. Dependencies inside a cycle are left out of the propagation (counted in
`ignored_cycle_edges`).

Besides the propagated view, `edge_changes` lists the strings of X itself (as consumer and
as provider) whose board state changes when only X moves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trainmaster.analytics.graph import (
    NO_ITERATION,
    STATES,
    CycleReport,
    DependencyGraph,
    IntArray,
    Levels,
    acyclic_levels,
    find_cycles,
    states_for,
)
from trainmaster.domain.dependency import DependencyState
from trainmaster.domain.errors import Invalid


@dataclass(frozen=True)
class EdgeChange:
    consumer_id: int
    provider_id: int
    old_state: DependencyState
    new_state: DependencyState


@dataclass(frozen=True)
class AffectedItem:
    """An item downstream of the moved one whose landing or state changes.

    `via` is the provider through which the change reaches it on a shortest chain from the
    moved item; `depth` the number of dependencies on that chain.
    """

    item_id: int
    planned_iteration: int | None
    earliest_feasible_iteration: int | None
    old_state: DependencyState
    new_state: DependencyState
    depth: int
    via: int

    @property
    def must_move(self) -> bool:
        return self.earliest_feasible_iteration != self.planned_iteration

    @property
    def worsened(self) -> bool:
        return STATES.index(self.new_state) > STATES.index(self.old_state)


@dataclass(frozen=True)
class SlipImpact:
    """What moving one item changes; map `affected_ids()` to objectives and milestones."""

    item_id: int
    old_iteration: int | None
    new_iteration: int | None
    edge_changes: tuple[EdgeChange, ...]
    affected: tuple[AffectedItem, ...]
    ignored_cycle_edges: int

    def affected_ids(self) -> list[int]:
        return [a.item_id for a in self.affected]

    def worsened(self) -> list[AffectedItem]:
        return [a for a in self.affected if a.worsened]


def slip_impact(graph: DependencyGraph, item_id: int, new_iteration: int | None,
                cycles: CycleReport | None = None, levels: Levels | None = None,
                ) -> SlipImpact:
    """Everything that changes when `item_id` moves to `new_iteration` (None: unplanned).

    Pass `cycles` and `levels` (from `find_cycles` / `acyclic_levels`) to reuse them across
    several previews of the same plan.
    """
    if new_iteration is not None and new_iteration < 0:
        raise Invalid("must be an iteration index >= 0, or None", field="new_iteration")
    x = graph.position(item_id)
    cycles = cycles or find_cycles(graph)
    levels = levels or acyclic_levels(graph, cycles)
    old_it = int(graph.iterations[x])
    new_it = NO_ITERATION if new_iteration is None else int(new_iteration)
    before = landing_iterations(graph, levels, x, old_it)
    after = landing_iterations(graph, levels, x, new_it)
    depth, parent = _downstream(levels, x)
    old_state = _item_states(graph, levels, before)
    new_state = _item_states(graph, levels, after)
    changed = (depth > 0) & ((before != after) | (old_state != new_state))
    nodes = np.flatnonzero(changed)
    nodes = nodes[np.lexsort((graph.item_ids[nodes], depth[nodes]))]
    affected = tuple(
        AffectedItem(int(graph.item_ids[i]), _iteration(graph.iterations[i]),
                     _iteration(after[i]), STATES[old_state[i]], STATES[new_state[i]],
                     int(depth[i]), int(graph.item_ids[parent[i]]))
        for i in nodes)
    return SlipImpact(item_id, _iteration(old_it), _iteration(new_it),
                      _edge_changes(graph, x, new_it), affected, cycles.ignored_edges)


def landing_iterations(graph: DependencyGraph, levels: Levels, pinned: int,
                       pinned_iteration: int) -> IntArray:
    """Landing iteration per item (see the module rule); -1 for items without iteration."""
    land = graph.iterations.copy()
    land[pinned] = pinned_iteration
    for k in range(levels.count):
        lo, hi = levels.edge_bounds[k], levels.edge_bounds[k + 1]
        src, dst = levels.sources[lo:hi], levels.targets[lo:hi]
        push = (land[src] >= 0) & (land[dst] >= 0) & (dst != pinned)
        np.maximum.at(land, dst[push], land[src[push]] + 1)
    return land


def _item_states(graph: DependencyGraph, levels: Levels, land: IntArray) -> IntArray:
    """Worst incoming state per item, providers at `land`; -1 for items with no provider."""
    codes = states_for(land[levels.sources], graph.iterations[levels.targets])
    worst = np.full(graph.size, -1, dtype=np.int8)
    np.maximum.at(worst, levels.targets, codes)
    return worst


def _downstream(levels: Levels, start: int) -> tuple[IntArray, IntArray]:
    """Hops from `start` along provider -> consumer edges (-1: not reached) and BFS parents."""
    n = levels.down.shape[0]
    depth = np.full(n, -1, dtype=np.int64)
    parent = np.full(n, start, dtype=np.int64)
    depth[start] = 0
    frontier, hops = np.array([start]), 0
    indptr, dst = levels.down.indptr, levels.down.indices
    while frontier.size:
        starts = indptr[frontier]
        counts = indptr[frontier + 1] - starts
        total = int(counts.sum())
        offsets = np.repeat(starts - (np.cumsum(counts) - counts), counts)
        reached = dst[offsets + np.arange(total)]
        sources = np.repeat(frontier, counts)
        fresh = depth[reached] < 0
        reached, sources = reached[fresh], sources[fresh]
        reached, first = np.unique(reached, return_index=True)
        hops += 1
        depth[reached] = hops
        parent[reached] = sources[first]
        frontier = reached
    return depth, parent


def _edge_changes(graph: DependencyGraph, x: int, new_it: int) -> tuple[EdgeChange, ...]:
    touching = np.flatnonzero((graph.consumers == x) | (graph.providers == x))
    cons, prov = graph.consumers[touching], graph.providers[touching]
    moved = graph.iterations.copy()
    moved[x] = new_it
    old = states_for(graph.iterations[prov], graph.iterations[cons])
    new = states_for(moved[prov], moved[cons])
    return tuple(
        EdgeChange(int(graph.item_ids[c]), int(graph.item_ids[p]), STATES[o], STATES[w])
        for c, p, o, w in zip(cons, prov, old, new, strict=True) if o != w)


def _iteration(value: int | np.integer) -> int | None:
    return None if int(value) < 0 else int(value)
