"""Dependency graph analysis: states, cycles, critical path, team matrix, hot spots."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from trainmaster.analytics.graph import (
    AT_RISK,
    LATE,
    OK,
    UNPLANNED,
    DependencyGraph,
    analyse_graph,
    critical_path,
    cross_art,
    dependency_states,
    fan_in,
    find_cycles,
    iterations_late,
    team_matrix,
    topological_levels,
)
from trainmaster.domain.dependency import DependencyState
from trainmaster.domain.errors import Invalid


def make_graph(items: dict[int, tuple[int, int, int]], edges: list[tuple[int, int]],
               durations: dict[int, float] | None = None) -> DependencyGraph:
    """items: id -> (team, art, iteration or -1); edges: (consumer, provider)."""
    ids = list(items)
    return DependencyGraph.build(
        ids, [items[i][0] for i in ids], [items[i][1] for i in ids], [items[i][2] for i in ids],
        [c for c, _ in edges], [p for _, p in edges],
        None if durations is None else [durations.get(i, 1.0) for i in ids])


# A diamond across two ARTs: 1 (team 10, iteration 0) feeds 2 and 3, which feed 4.
DIAMOND = {1: (10, 1, 0), 2: (20, 1, 1), 3: (30, 2, 2), 4: (20, 1, 3)}
DIAMOND_EDGES = [(2, 1), (3, 1), (4, 2), (4, 3)]


def test_dependency_is_ok_at_risk_or_late_by_provider_and_consumer_iteration():
    items = {1: (1, 1, 1), 2: (1, 1, 2), 3: (1, 1, 1), 4: (1, 1, 0)}
    g = make_graph(items, [(2, 1), (3, 1), (4, 1)])
    assert dependency_states(g).tolist() == [OK, AT_RISK, LATE]
    assert iterations_late(g).tolist() == [0, 0, 1]


def test_dependency_is_unplanned_when_provider_or_consumer_has_no_iteration():
    items = {1: (1, 1, -1), 2: (1, 1, 2), 3: (1, 1, -1), 4: (1, 1, 3)}
    g = make_graph(items, [(2, 1), (3, 4)])
    assert dependency_states(g).tolist() == [UNPLANNED, UNPLANNED]
    assert iterations_late(g).tolist() == [0, 0]


def test_states_come_in_input_order_with_item_ids_in_any_order():
    items = {30: (1, 1, 3), 10: (1, 1, 1), 20: (1, 1, 2)}
    g = make_graph(items, [(10, 30), (30, 10), (20, 10)])
    assert dependency_states(g).tolist() == [LATE, OK, OK]


def test_far_apart_item_ids_are_looked_up_as_well_as_dense_ones():
    items = {10**12: (1, 1, 2), 5: (1, 1, 1), 10**9: (1, 1, 0)}
    g = make_graph(items, [(5, 10**12), (5, 10**9)])
    assert dependency_states(g).tolist() == [LATE, OK]
    with pytest.raises(Invalid, match="unknown item id 6"):
        make_graph(items, [(6, 5)])


def test_build_refuses_unknown_ids_duplicate_items_and_bad_iterations():
    with pytest.raises(Invalid, match="unknown item id 9"):
        make_graph({1: (1, 1, 0)}, [(1, 9)])
    with pytest.raises(Invalid, match="more than once"):
        DependencyGraph.build([1, 1], [1, 1], [1, 1], [0, 0], [], [])
    with pytest.raises(Invalid) as err:
        DependencyGraph.build([1], [1], [1], [-2], [], [])
    assert err.value.field == "iterations"
    with pytest.raises(Invalid) as err:
        DependencyGraph.build([1, 2], [1], [1, 1], [0, 0], [], [])
    assert err.value.field == "team_ids"


def test_a_cycle_is_reported_with_its_items_and_a_closed_chain():
    items = {i: (1, 1, 0) for i in range(1, 7)}
    edges = [(1, 2), (2, 3), (3, 1), (4, 3), (5, 5), (6, 4)]
    report = find_cycles(make_graph(items, edges))
    assert [c.item_ids for c in report.cycles] == [(1, 2, 3), (5,)]
    chain = report.cycles[0].chain
    assert sorted(chain) == [1, 2, 3]
    links = set(edges)
    assert all((chain[k], chain[(k + 1) % len(chain)]) in links for k in range(len(chain)))
    assert report.edge_in_cycle.tolist() == [True, True, True, False, True, False]
    assert report.ignored_edges == 4


def test_a_diamond_has_no_cycle():
    assert find_cycles(make_graph(DIAMOND, DIAMOND_EDGES)).cycles == ()


def test_critical_path_follows_the_longest_duration_through_a_diamond():
    path = critical_path(make_graph(DIAMOND, DIAMOND_EDGES, {3: 5.0}))
    assert path.item_ids == (1, 3, 4)
    assert path.length == 7.0
    assert path.finish_iteration == 3
    assert path.ignored_cycle_edges == 0


def test_critical_path_counts_items_when_no_durations_are_given():
    items = {i: (1, 1, -1) for i in range(1, 6)}
    path = critical_path(make_graph(items, [(2, 1), (3, 2), (5, 4)]))
    assert path.item_ids == (1, 2, 3)
    assert path.length == 3.0
    assert path.finish_iteration is None


def test_critical_path_leaves_out_cycle_edges_and_says_how_many():
    items = {i: (1, 1, 0) for i in range(1, 6)}
    path = critical_path(make_graph(items, [(2, 1), (1, 2), (3, 2), (4, 3), (5, 4)]))
    assert path.ignored_cycle_edges == 2
    assert path.item_ids == (2, 3, 4, 5)


def test_topological_levels_refuse_a_cycle():
    with pytest.raises(Invalid, match="cycle"):
        topological_levels(2, np.array([0, 1]), np.array([1, 0]))


def test_team_matrix_counts_waits_late_ones_and_iterations_late():
    items = {1: (10, 1, 3), 2: (20, 1, 1), 3: (20, 1, 2), 4: (30, 1, 0), 5: (10, 1, 4)}
    g = make_graph(items, [(2, 1), (3, 1), (4, 1), (5, 2), (3, 2)])
    m = team_matrix(g)
    assert m.team_ids.tolist() == [10, 20, 30]
    assert m.cells() == [(10, 20, 1, 0, 0), (20, 10, 2, 2, 3), (20, 20, 1, 0, 0),
                         (30, 10, 1, 1, 3)]


def test_fan_in_ranks_the_most_depended_on_items_and_teams():
    items = {1: (10, 1, 0), 2: (20, 1, 1), 3: (20, 1, 1), 4: (30, 1, 2), 5: (10, 1, 2)}
    g = make_graph(items, [(2, 1), (3, 1), (4, 1), (5, 1), (4, 2), (3, 2)])
    hot = fan_in(g, top=2)
    assert hot.items == ((1, 4), (2, 2))
    assert hot.teams == ((10, 3), (20, 1))  # item 5 and item 3 wait on their own team


def test_cross_art_dependencies_are_those_between_two_arts():
    assert cross_art(make_graph(DIAMOND, DIAMOND_EDGES)).tolist() == [1, 3]


def test_analyse_graph_bundles_every_view():
    report = analyse_graph(make_graph(DIAMOND, DIAMOND_EDGES))
    assert report.counts == {DependencyState.OK: 4, DependencyState.AT_RISK: 0,
                             DependencyState.LATE: 0, DependencyState.UNPLANNED: 0}
    assert report.critical_path.item_ids in ((1, 2, 4), (1, 3, 4))
    assert report.fan_in.items[0] == (1, 2)
    assert report.cross_art.tolist() == [1, 3]


def test_empty_graph_gives_empty_answers():
    report = analyse_graph(DependencyGraph.build([], [], [], [], [], []))
    assert report.critical_path.item_ids == ()
    assert report.cycles.cycles == ()


@pytest.mark.parametrize("seed", range(5))
def test_cycles_and_critical_path_agree_with_networkx(seed: int):
    rng = np.random.default_rng(seed)
    n, m = 60, 150
    cons, prov = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = cons != prov
    cons, prov = cons[keep], prov[keep]
    durations = rng.integers(1, 5, n).astype(float)
    g = DependencyGraph.build(np.arange(n), np.zeros(n, int), np.zeros(n, int),
                              rng.integers(-1, 5, n), cons, prov, durations)
    ours = {c.item_ids for c in find_cycles(g).cycles}
    ref = nx.DiGraph(list(zip(cons.tolist(), prov.tolist(), strict=True)))
    groups = [s for s in nx.strongly_connected_components(ref) if len(s) > 1]
    assert ours == {tuple(sorted(s)) for s in groups}
    group_of = {i: k for k, s in enumerate(groups) for i in s}
    dag = nx.DiGraph()
    dag.add_nodes_from(range(n))
    dag.add_edges_from((p, c) for c, p in zip(cons.tolist(), prov.tolist(), strict=True)
                       if group_of.get(c, -1) != group_of.get(p, -2))
    finish: dict[int, float] = {}
    for node in nx.topological_sort(dag):
        finish[node] = durations[node] + max((finish[p] for p in dag.predecessors(node)),
                                             default=0.0)
    path = critical_path(g)
    assert path.length == pytest.approx(max(finish.values()))
    assert sum(durations[list(path.item_ids)]) == pytest.approx(path.length)
    assert all(dag.has_edge(a, b) for a, b in zip(path.item_ids, path.item_ids[1:],
                                                      strict=False))
