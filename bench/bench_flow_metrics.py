"""Flow metrics + cumulative flow + flow-time scatter: trainmaster (vectorised) against a
straightforward per-item Python implementation and against jira-agile-metrics 0.24 (PyPI),
on seeded synthetic histories of 1k, 10k and 100k items (~6 status changes each).

    .venv/bin/python bench/bench_flow_metrics.py                  # all scales, all three
    .venv/bin/python bench/bench_flow_metrics.py --sizes 1000 --no-peer

jira-agile-metrics 0.24 needs pandas < 2, so it runs in its own venv
(bench/.bench-venv/jira-agile-metrics, created on first use with `python -m venv` + pip) in
a subprocess, fed the same changes through its own calculators (CycleTime, CFD, Scatterplot,
Percentiles, Throughput, WIP) with the fake Jira classes its test-suite uses. Only the
calculators' run() is timed there, as only the computation is timed here. Times are CPU
seconds of the process doing the work, so other load on the machine matters less.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime
from itertools import accumulate
from pathlib import Path

import numpy as np
from peers import peer_python  # bench/ is on sys.path when run as a script

from trainmaster.analytics.cfd import cumulative_flow, flow_time_scatter
from trainmaster.analytics.flow import Window, metrics_for
from trainmaster.analytics.flow_history import StatusHistory
from trainmaster.analytics.flow_timeline import build_timeline
from trainmaster.analytics.flow_workflow import Category, default_mapping

BENCH = Path(__file__).resolve().parent
PEER = ("jira-agile-metrics==0.24", "pandas<2", "numpy<2")
STATUSES = ("To Do", "In Progress", "Blocked", "In Review", "Ready for Test", "In Test",
            "Done", "Reopened")
TYPES = ("business", "enabler", "defect")
T0 = int(datetime(2024, 1, 1, tzinfo=UTC).timestamp())
DAY = 86_400
FIRST, LAST = date(2024, 1, 1), date(2025, 3, 31)


def generate(n: int, seed: int = 11) -> list[tuple[int, int, int, int]]:
    """(item, status code, epoch seconds, work type) rows: a year of arrivals through the
    story workflow, with blocks, skipped reviews, reopenings and unfinished items."""
    rnd = random.Random(seed)
    rows = []
    for item in range(n):
        t = T0 + int(rnd.uniform(0, 365 * DAY))
        kind = rnd.randrange(len(TYPES))
        path = ["To Do"]
        if rnd.random() > 0.1:  # 10 % never start
            path += ["In Progress"] + (["Blocked", "In Progress"] if rnd.random() < 0.2 else [])
            path += (["In Review"] if rnd.random() < 0.9 else []) + ["Ready for Test", "In Test"]
            if rnd.random() < 0.85:
                path += ["Done"] + (["Reopened", "In Progress", "Done"]
                                    if rnd.random() < 0.05 else [])
        for status in path:
            rows.append((item, STATUSES.index(status), t, kind))
            t += int(rnd.expovariate(1 / (1.5 * DAY)))
    return rows


def as_history(rows: list[tuple[int, int, int, int]]) -> StatusHistory:
    a = np.array(rows, dtype=np.int64)
    return StatusHistory(a[:, 0], a[:, 1], a[:, 2].astype("datetime64[s]"), STATUSES, a[:, 3],
                         TYPES)


def run_trainmaster(history: StatusHistory) -> dict:
    window = Window.of(FIRST, LAST, "UTC")
    timeline = build_timeline(history, default_mapping())
    metrics = metrics_for(timeline, window, "week")
    cfd = cumulative_flow(timeline, window, by="status")
    scatter = flow_time_scatter(timeline, window)
    return {"p": metrics.flow_time.percentiles, "wip": list(metrics.load.wip),
            "velocity": list(metrics.velocity.counts),
            "cfd": [cfd.counts[cfd.bands.index(s)].tolist() for s in STATUSES],
            "efficiency": metrics.efficiency.value, "points": int(scatter.item_ids.size)}


def run_python(rows: list[tuple[int, int, int, int]]) -> dict:
    """The same metrics with one Python loop per item (no numpy on the hot path)."""
    mapping = default_mapping()
    category = [mapping.category(s) for s in STATUSES]
    lo, hi = (FIRST - date(1970, 1, 1)).days, (LAST - date(1970, 1, 1)).days
    days = hi - lo + 1
    per_item = defaultdict(list)
    for item, status, t, _ in rows:
        per_item[item].append((t, status))
    cfd_delta = [[0] * (days + 1) for _ in STATUSES]
    flow, weekly, active_sum, total_sum = [], defaultdict(int), 0, 0
    for changes in per_item.values():
        changes.sort(key=lambda c: c[0])
        _add_cfd_deltas(changes, cfd_delta, lo, days)
        start, done = _first_entries(changes, category)
        if done is None or not lo * DAY <= done < (hi + 1) * DAY:
            continue
        flow.append((done - start) / DAY)
        weekly[(done // DAY - lo) // 7] += 1
        if done > start:
            active_sum += _active_seconds(changes, category, start, done)
            total_sum += done - start
    cfd = [list(accumulate(deltas[:days])) for deltas in cfd_delta]
    wip = [sum(cfd[s][d] for s in range(len(STATUSES))
               if category[s] in (Category.ACTIVE, Category.WAITING)) for d in range(days)]
    flow.sort()
    return {"p": {p: _linear(flow, p) for p in (50, 85, 95)}, "wip": wip,
            "velocity": [weekly[w] for w in range((days + 6) // 7)], "cfd": cfd,
            "efficiency": active_sum / total_sum if total_sum else None, "points": len(flow)}


def _add_cfd_deltas(changes: list[tuple[int, int]], cfd_delta: list[list[int]], lo: int,
                    days: int) -> None:
    """+1 in a status from the day of each change, -1 from the day of the next change."""
    end = (lo + days) * DAY
    for k, (t, status) in enumerate(changes):
        if t >= end:
            break
        cfd_delta[status][max(t // DAY - lo, 0)] += 1
        if k + 1 < len(changes) and changes[k + 1][0] < end:
            cfd_delta[status][max(changes[k + 1][0] // DAY - lo, 0)] -= 1


def _first_entries(changes: list[tuple[int, int]], category: list[Category]
                   ) -> tuple[int | None, int | None]:
    start = done = None
    for t, status in changes:
        if start is None and category[status] in (Category.ACTIVE, Category.WAITING):
            start = t
        if done is None and category[status] == Category.DONE:
            done = t
    return (done if start is None or (done is not None and start > done) else start), done


def _active_seconds(changes: list[tuple[int, int]], category: list[Category], start: int,
                    done: int) -> int:
    spent = 0
    for k, (t, status) in enumerate(changes):
        if category[status] == Category.ACTIVE:
            leave = changes[k + 1][0] if k + 1 < len(changes) else done
            spent += max(0, min(leave, done) - max(t, start))
    return spent


def _linear(ordered: list[float], p: float) -> float:
    pos = p / 100 * (len(ordered) - 1)
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


PEER_RUNNER = r"""
import json, sys, time, logging
logging.disable(logging.CRITICAL)
from datetime import datetime, timezone
from jira_agile_metrics.querymanager import QueryManager
from jira_agile_metrics.calculators.cycletime import CycleTimeCalculator
from jira_agile_metrics.calculators.cfd import CFDCalculator
from jira_agile_metrics.calculators.scatterplot import ScatterplotCalculator
from jira_agile_metrics.calculators.percentiles import PercentilesCalculator
from jira_agile_metrics.calculators.throughput import ThroughputCalculator
from jira_agile_metrics.calculators.wip import WIPChartCalculator

class Value:
    def __init__(self, name, value): self.name, self.value = name, value
class Fields:
    def __init__(self, fields): self.__dict__.update(fields)
class ChangeItem:
    def __init__(self, field, a, b): self.field, self.fromString, self.toString = field, a, b
class Change:
    def __init__(self, created, items):
        self.created, self.items = created, [ChangeItem(*i) for i in items]
class Changelog:
    def __init__(self, changes): self.histories = changes
class Issue:
    def __init__(self, key, changes, **fields):
        self.key, self.fields, self.changelog = key, Fields(fields), Changelog(changes)
class Jira:
    def __init__(self, fields, issues):
        self._options, self._fields, self._issues = {"server": "https://x.test"}, fields, issues
    def fields(self): return self._fields
    def search_issues(self, jql, *args, **kwargs): return self._issues

spec = json.load(open(sys.argv[1]))
names, types = spec["statuses"], spec["types"]
stamp = lambda t: datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
by_item = {}
for item, status, t, kind in spec["rows"]:
    by_item.setdefault(item, []).append((t, names[status], types[kind]))
issues = []
for item, changes in by_item.items():
    changes.sort()
    last = changes[-1][1]
    issues.append(Issue("A-%d" % item, [Change(stamp(t), [("status", changes[k][1], s)])
                                       for k, (t, s, _) in enumerate(changes[1:])],
        summary="item", issuetype=Value(changes[0][2], changes[0][2]),
        status=Value(last, last), resolution=Value("Done", "Done") if last == "Done" else None,
        resolutiondate=stamp(changes[-1][0]) if last == "Done" else None,
        created=stamp(changes[0][0]), customfield_100=None))
fields = [{"id": "summary", "name": "Summary"}, {"id": "issuetype", "name": "Issue type"},
          {"id": "status", "name": "Status"}, {"id": "resolution", "name": "Resolution"},
          {"id": "created", "name": "Created date"}, {"id": "customfield_100", "name": "Flagged"}]
settings = {
    "attributes": {}, "known_values": {}, "max_results": None, "verbose": False,
    "cycle": [
        {"name": "Backlog", "statuses": ["To Do", "Reopened"], "type": "backlog"},
        {"name": "In Progress", "statuses": ["In Progress", "Blocked"], "type": "accepted"},
        {"name": "Review", "statuses": ["In Review"], "type": "accepted"},
        {"name": "Ready for Test", "statuses": ["Ready for Test"], "type": "accepted"},
        {"name": "Test", "statuses": ["In Test"], "type": "accepted"},
        {"name": "Done", "statuses": ["Done"], "type": "complete"}],
    "query_attribute": None, "queries": [{"jql": "project = A", "value": None}],
    "backlog_column": "Backlog", "committed_column": "In Progress", "final_column": "Test",
    "done_column": "Done", "quantiles": [0.5, 0.85, 0.95],
    "throughput_frequency": "D", "throughput_window": None,
}
qm = QueryManager(Jira(fields, issues), settings)
results = {}
start = time.process_time()
for calculator in (CycleTimeCalculator, CFDCalculator, ScatterplotCalculator,
                   PercentilesCalculator, ThroughputCalculator, WIPChartCalculator):
    results[calculator] = calculator(qm, settings, results).run()
seconds = time.process_time() - start
p = results[PercentilesCalculator]
print(json.dumps({"seconds": seconds, "issues": len(issues),
                  "percentiles_days": [v / 86400e9 for v in p.values.astype("int64").tolist()]}))
"""


def run_peer(rows: list[tuple[int, int, int, int]], timeout: float) -> dict | None:
    """jira-agile-metrics on the same rows; None when it does not finish within timeout."""
    with tempfile.NamedTemporaryFile("w", suffix=".json") as fh:
        json.dump({"rows": rows, "statuses": STATUSES, "types": TYPES}, fh)
        fh.flush()
        try:
            done = subprocess.run([str(peer_python("jira-agile-metrics", PEER)), "-c",
                                   PEER_RUNNER, fh.name], capture_output=True, text=True,
                                  check=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def timed(fn: Callable[[], dict], repeat: int) -> tuple[float, dict]:
    """Median CPU seconds of this process over `repeat` runs after one warm-up."""
    result = fn()
    times = []
    for _ in range(repeat):
        start = time.process_time()
        result = fn()
        times.append(time.process_time() - start)
    return statistics.median(times), result


def agree(a: dict, b: dict) -> bool:
    """The vectorised and the per-item results are the same numbers."""
    same_p = all(abs(a["p"][k] - b["p"][k]) < 1e-9 for k in (50, 85, 95))
    return (same_p and a["wip"] == b["wip"] and a["velocity"] == b["velocity"]
            and a["cfd"] == b["cfd"] and a["points"] == b["points"]
            and abs(a["efficiency"] - b["efficiency"]) < 1e-9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--peer-timeout", type=float, default=300.0)
    args = parser.parse_args()
    print("CPU seconds (median)")
    print(f"{'items':>7} {'changes':>8} {'trainmaster':>12} {'per-item Python':>16} "
          f"{'jira-agile-metrics':>19} {'x Python':>9} {'x peer':>8}  same numbers")
    for n in args.sizes:
        rows = generate(n)
        history = as_history(rows)
        ours, mine = timed(lambda h=history: run_trainmaster(h), args.repeat)
        loop, theirs = timed(lambda r=rows: run_python(r), max(1, args.repeat // 5))
        peer = None if args.no_peer else run_peer(rows, args.peer_timeout)
        peer_text = ("skipped" if args.no_peer else
                     f"> {args.peer_timeout:.0f} s" if peer is None else f"{peer['seconds']:.3f} s")
        peer_ratio = f"{peer['seconds'] / ours:7.0f}x" if peer else "      –"
        print(f"{n:>7} {len(rows):>8} {ours:>10.3f} s {loop:>14.3f} s {peer_text:>19} "
              f"{loop / ours:>8.0f}x {peer_ratio}  {agree(mine, theirs)}", flush=True)
        if peer:
            print(f"        flow time 50/85/95 (days): trainmaster "
                  f"{[round(mine['p'][k], 1) for k in (50, 85, 95)]}, jira-agile-metrics "
                  f"{[round(v, 1) for v in peer['percentiles_days']]} (whole days, its own "
                  f"rules for backward moves)")


if __name__ == "__main__":
    main()
