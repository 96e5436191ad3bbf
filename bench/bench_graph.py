"""Dependency graph analysis at portfolio scale: trainmaster against networkx.

A seeded random portfolio (100,000 items in 25 ARTs x 12 teams, 300,000 dependencies, a
fifth of them across ARTs, 8 % of items unplanned, 40 injected cycles) is analysed by both:
dependency states, cycles (groups and one closed chain each), critical path by duration
with cycle edges left out, the team-to-team matrix, fan-in hot spots and cross-ART edges.
Both answers are checked to agree before timings are printed.

    .venv/bin/python bench/bench_graph.py [--items 100000] [--deps 300000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import networkx as nx
import numpy as np

from trainmaster.analytics.graph import (
    DependencyGraph,
    GraphReport,
    acyclic_levels,
    analyse_graph,
    find_cycles,
)
from trainmaster.analytics.slip import slip_impact


def portfolio(items: int, deps: int, seed: int = 7) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    team = rng.integers(0, 300, items)
    art = team // 12
    iteration = np.where(rng.random(items) < 0.08, -1, rng.integers(0, 5, items))
    duration = rng.choice([1.0, 2.0, 3.0, 5.0, 8.0, 13.0], items)
    rank = rng.permutation(items)
    by_art = [np.flatnonzero(art == a) for a in range(25)]
    a = rng.integers(0, items, 2 * deps)
    same_art = rng.random(2 * deps) < 0.8
    b = rng.integers(0, items, 2 * deps)
    for k, members in enumerate(by_art):
        pick = same_art & (art[a] == k)
        b[pick] = members[rng.integers(0, members.size, int(pick.sum()))]
    provider = np.where(rank[a] < rank[b], a, b)
    consumer = np.where(rank[a] < rank[b], b, a)
    pairs = np.unique(np.stack([consumer, provider], axis=1)[consumer != provider], axis=0)
    pairs = pairs[rng.permutation(pairs.shape[0])[:deps - 40]]
    back = pairs[:40, ::-1]  # a provider that also waits for its consumer: a cycle
    pairs = np.concatenate([pairs, back])
    return {"ids": np.arange(items, dtype=np.int64) * 10 + 1000, "team": team, "art": art,
            "iteration": iteration, "duration": duration,
            "consumer": pairs[:, 0], "provider": pairs[:, 1]}


def ours(p: dict[str, np.ndarray]) -> GraphReport:
    ids = p["ids"]
    graph = DependencyGraph.build(ids, p["team"], p["art"], p["iteration"], ids[p["consumer"]],
                                  ids[p["provider"]], p["duration"])
    return analyse_graph(graph)


def networkx_analysis(p: dict[str, np.ndarray]) -> dict[str, Any]:
    ids = p["ids"].tolist()
    team, art, it = p["team"].tolist(), p["art"].tolist(), p["iteration"].tolist()
    dur = p["duration"].tolist()
    g = nx.DiGraph()
    g.add_nodes_from((ids[i], {"team": team[i], "art": art[i], "it": it[i], "dur": dur[i]})
                     for i in range(len(ids)))
    g.add_edges_from(zip([ids[c] for c in p["consumer"].tolist()],
                         [ids[q] for q in p["provider"].tolist()], strict=True))
    states: Counter[str] = Counter()
    matrix: Counter[tuple[int, int]] = Counter()
    late: Counter[tuple[int, int]] = Counter()
    cross = 0
    for c, q in g.edges:
        cn, pn = g.nodes[c], g.nodes[q]
        state = ("unplanned" if pn["it"] < 0 or cn["it"] < 0 else "ok" if pn["it"] < cn["it"]
                 else "at_risk" if pn["it"] == cn["it"] else "late")
        states[state] += 1
        matrix[cn["team"], pn["team"]] += 1
        if state == "late":
            late[cn["team"], pn["team"]] += pn["it"] - cn["it"]
        cross += cn["art"] != pn["art"]
    groups = [s for s in nx.strongly_connected_components(g) if len(s) > 1]
    chains = [nx.find_cycle(g.subgraph(s)) for s in groups]
    group_of = {n: k for k, s in enumerate(groups) for n in s}
    dag = nx.DiGraph()
    dag.add_nodes_from(g.nodes)
    dag.add_edges_from((q, c) for c, q in g.edges if group_of.get(c, -1) != group_of.get(q, -2))
    finish: dict[int, float] = {}
    for node in nx.topological_sort(dag):
        finish[node] = dur[(node - 1000) // 10] + max(
            (finish[x] for x in dag.predecessors(node)), default=0.0)
    fan = sorted(((d, n) for n, d in g.in_degree()), reverse=True)[:10]
    return {"states": states, "cycles": len(chains), "length": max(finish.values()),
            "matrix": matrix, "late": late, "cross": cross, "fan": fan}


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def check(a: GraphReport, b: dict[str, Any]) -> None:
    assert {s.value: n for s, n in a.counts.items() if n} == dict(b["states"]), "states differ"
    assert len(a.cycles.cycles) == b["cycles"], "cycles differ"
    assert abs(a.critical_path.length - b["length"]) < 1e-6, "critical path differs"
    assert int(a.teams.waits.sum()) == sum(b["matrix"].values()), "team matrix differs"
    assert int(a.teams.iterations_late.sum()) == sum(b["late"].values()), "lateness differs"
    assert a.cross_art.size == b["cross"], "cross-ART count differs"
    assert a.fan_in.items[0][1] == b["fan"][0][0], "fan-in differs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--deps", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    p = portfolio(args.items, args.deps)
    ours(p)  # warm-up: imports, allocator
    t_ours, report = timed(lambda: ours(p), args.repeat)
    t_nx, ref = timed(lambda: networkx_analysis(p), max(1, args.repeat // 2))
    check(report, ref)
    ids = p["ids"]
    graph = DependencyGraph.build(ids, p["team"], p["art"], p["iteration"], ids[p["consumer"]],
                                  ids[p["provider"]], p["duration"])
    busiest = report.fan_in.items[0][0]
    t_slip, impact = timed(lambda: slip_impact(graph, busiest, 4), args.repeat)
    cycles = find_cycles(graph)
    levels = acyclic_levels(graph, cycles)
    t_reuse, _ = timed(lambda: slip_impact(graph, busiest, 4, cycles, levels), args.repeat)
    print(f"portfolio: {args.items:,} items, {p['consumer'].size:,} dependencies, "
          f"{len(report.cycles.cycles)} cycles, critical path {len(report.critical_path.item_ids)}"
          f" items / {report.critical_path.length:g} duration")
    print(f"trainmaster build + analyse_graph: median {t_ours * 1000:7.1f} ms "
          f"({args.repeat} runs)")
    print(f"networkx same operations:          median {t_nx * 1000:7.1f} ms")
    print(f"ratio networkx / trainmaster:      {t_nx / t_ours:7.1f}x")
    print(f"slip_impact of the busiest provider (item {busiest} to iteration 4): "
          f"median {t_slip * 1000:.1f} ms, {len(impact.affected):,} items affected; "
          f"{t_reuse * 1000:.1f} ms reusing cycles and levels")
    print(f"target < 500 ms: {'met' if t_ours < 0.5 else 'MISSED'}")


if __name__ == "__main__":
    main()
