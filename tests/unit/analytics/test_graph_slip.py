"""Slip impact: what moves and what turns red when one item moves to another iteration."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.analytics.test_graph import make_graph
from trainmaster.analytics.graph import STATES, DependencyGraph, acyclic_levels, find_cycles
from trainmaster.analytics.slip import slip_impact
from trainmaster.domain.dependency import DependencyState
from trainmaster.domain.errors import Invalid, NotFound

OK, AT_RISK, LATE, UNPLANNED = (DependencyState.OK, DependencyState.AT_RISK,
                                DependencyState.LATE, DependencyState.UNPLANNED)

# A chain across teams: 1 (it 0) <- 2 (it 1) <- 3 (it 2), and 4 (it 3) also needs 1.
CHAIN = {1: (10, 1, 0), 2: (20, 1, 1), 3: (30, 2, 2), 4: (40, 2, 3)}
CHAIN_EDGES = [(2, 1), (3, 2), (4, 1)]


def by_id(impact):
    return {a.item_id: a for a in impact.affected}


def test_a_slip_onto_the_consumers_iteration_puts_it_at_risk_and_pushes_the_chain():
    impact = slip_impact(make_graph(CHAIN, CHAIN_EDGES), 1, 1)
    hit = by_id(impact)
    assert sorted(hit) == [2, 3]
    assert (hit[2].old_state, hit[2].new_state, hit[2].earliest_feasible_iteration) == (
        OK, AT_RISK, 2)
    assert (hit[3].old_state, hit[3].new_state, hit[3].earliest_feasible_iteration) == (
        OK, AT_RISK, 3)
    assert (hit[3].depth, hit[3].via) == (2, 2)
    assert [(c.consumer_id, c.old_state, c.new_state) for c in impact.edge_changes] == [
        (2, OK, AT_RISK)]


def test_a_slip_past_the_consumer_makes_it_late_and_the_next_one_late_too():
    impact = slip_impact(make_graph(CHAIN, CHAIN_EDGES), 1, 3)
    hit = by_id(impact)
    assert hit[2].new_state is LATE and hit[2].earliest_feasible_iteration == 4
    assert hit[3].new_state is LATE and hit[3].earliest_feasible_iteration == 5
    assert hit[4].new_state is AT_RISK and hit[4].earliest_feasible_iteration == 4
    assert impact.affected_ids() == [2, 4, 3]  # by depth, then id
    assert {a.item_id for a in impact.worsened()} == {2, 3, 4}


def test_in_a_diamond_the_later_branch_decides_where_the_join_lands():
    items = {1: (1, 1, 0), 2: (2, 1, 1), 3: (3, 1, 3), 4: (4, 1, 4)}
    edges = [(2, 1), (3, 1), (4, 2), (4, 3)]
    impact = slip_impact(make_graph(items, edges), 1, 1)
    hit = by_id(impact)
    assert hit[2].new_state is AT_RISK and hit[2].earliest_feasible_iteration == 2
    assert 3 not in hit  # still ok: provider at 1, consumer at 3
    assert 4 not in hit  # 2 landing at 2 is still before 4; 3 decides and did not move


def test_an_item_without_iteration_is_never_pushed_and_stops_the_push():
    items = {1: (1, 1, 1), 2: (2, 1, -1), 3: (3, 1, 2)}
    impact = slip_impact(make_graph(items, [(2, 1), (3, 2)]), 1, 3)
    assert impact.affected == ()
    assert impact.edge_changes == ()  # 2 has no iteration: its strings stay unplanned


def test_unplanning_the_provider_makes_its_strings_unplanned():
    impact = slip_impact(make_graph(CHAIN, CHAIN_EDGES), 1, None)
    assert impact.new_iteration is None
    assert {c.consumer_id: c.new_state for c in impact.edge_changes} == {2: UNPLANNED,
                                                                        4: UNPLANNED}
    assert by_id(impact)[2].new_state is UNPLANNED


def test_moving_the_consumer_later_fixes_its_own_late_string():
    items = {1: (1, 1, 3), 2: (2, 1, 2)}
    impact = slip_impact(make_graph(items, [(2, 1)]), 2, 4)
    assert [(c.old_state, c.new_state) for c in impact.edge_changes] == [(LATE, OK)]
    assert impact.affected == ()


def test_a_move_to_the_same_iteration_changes_nothing():
    impact = slip_impact(make_graph(CHAIN, CHAIN_EDGES), 2, 1)
    assert impact.affected == () and impact.edge_changes == ()


def test_cycle_edges_are_left_out_of_the_propagation_and_counted():
    items = {1: (1, 1, 0), 2: (2, 1, 1), 3: (3, 1, 2), 4: (4, 1, 3)}
    impact = slip_impact(make_graph(items, [(2, 1), (3, 2), (2, 3), (4, 3)]), 1, 2)
    assert impact.ignored_cycle_edges == 2
    assert impact.affected_ids() == [2]


def test_slip_refuses_unknown_items_and_negative_iterations():
    g = make_graph(CHAIN, CHAIN_EDGES)
    with pytest.raises(NotFound, match="no item with id 99"):
        slip_impact(g, 99, 1)
    with pytest.raises(Invalid) as err:
        slip_impact(g, 1, -1)
    assert err.value.field == "new_iteration"


@st.composite
def plans(draw):
    n = draw(st.integers(2, 14))
    iterations = draw(st.lists(st.integers(-1, 5), min_size=n, max_size=n))
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)),
                          max_size=3 * n, unique=True))
    edges = [(c, p) for c, p in pairs if c != p]
    graph = DependencyGraph.build(np.arange(n), np.arange(n) % 3, np.zeros(n, int),
                                  iterations, [c for c, _ in edges], [p for _, p in edges])
    moved = draw(st.integers(0, n - 1))
    return graph, moved


def _late_downstream(impact, use_new: bool) -> set[int]:
    return {a.item_id for a in impact.affected
            if (a.new_state if use_new else a.old_state) is LATE}


@settings(max_examples=200, deadline=None)
@given(plans(), st.data())
def test_moving_an_item_earlier_never_makes_a_dependent_item_late(plan, data):
    graph, moved = plan
    old = int(graph.iterations[moved])
    if old <= 0:
        return
    new = data.draw(st.integers(0, old - 1))
    impact = slip_impact(graph, int(graph.item_ids[moved]), new)
    assert _late_downstream(impact, True) <= _late_downstream(impact, False)
    assert not impact.worsened()
    for item in impact.affected:
        planned = item.planned_iteration
        assert item.earliest_feasible_iteration is None or planned is None or (
            item.earliest_feasible_iteration >= planned)
    provider_edges = [c for c in impact.edge_changes if c.provider_id == graph.item_ids[moved]]
    assert all(STATES.index(c.new_state) <= STATES.index(c.old_state) for c in provider_edges)


@settings(max_examples=100, deadline=None)
@given(plans(), st.data())
def test_moving_an_item_later_never_improves_a_dependent_item(plan, data):
    graph, moved = plan
    old = int(graph.iterations[moved])
    if old < 0:
        return
    new = data.draw(st.integers(old, 8))
    cycles = find_cycles(graph)
    impact = slip_impact(graph, int(graph.item_ids[moved]), new, cycles,
                         acyclic_levels(graph, cycles))
    assert all(STATES.index(a.new_state) >= STATES.index(a.old_state) for a in impact.affected)
