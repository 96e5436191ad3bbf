"""Monte Carlo "when" and "how many" speed: trainmaster against a per-trial Python loop and
against montecarlocsv 1.0.6 (PyPI), on one seeded daily-throughput history.

    .venv/bin/python bench/bench_monte_carlo.py            # all three
    .venv/bin/python bench/bench_monte_carlo.py --no-peer  # without montecarlocsv

montecarlocsv needs pandas, so it runs in its own venv (bench/.bench-venv/montecarlocsv,
created on first use with `python -m venv` + pip) in a subprocess fed the same history.
Target: 10,000 trials x 1,000 remaining items in under 50 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
from peers import peer_python  # bench/ is on sys.path when run as a script

from trainmaster.analytics.forecast import ThroughputHistory, forecast_how_many, forecast_when

BENCH = Path(__file__).resolve().parent
PEER = ("montecarlocsv==1.0.6",)
TRIALS, REMAINING, DAYS, WINDOW = 10_000, 1_000, 30, 90


def make_history(seed: int = 7, days: int = 365) -> ThroughputHistory:
    """A year of daily throughput: weekdays Poisson(6.5), weekends Poisson(1)."""
    rng = np.random.default_rng(seed)
    weekday = (np.arange(days) % 7) < 5
    counts = np.where(weekday, rng.poisson(6.5, days), rng.poisson(1.0, days))
    return ThroughputHistory(date(2024, 1, 1), counts.astype(np.int64))


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """(median CPU seconds of this process, median wall seconds, result) over `repeat` runs
    after one warm-up; CPU time depends less on what else the machine runs."""
    result = fn()
    cpu, wall = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start)
    return statistics.median(cpu), statistics.median(wall), result


def loop_when(sample: list[int], remaining: int, trials: int, seed: int) -> list[int]:
    """Per-trial Python: draw days until `remaining` are done; 50/85/95th finish days."""
    rnd = random.Random(seed)
    finish = []
    for _ in range(trials):
        done = day = 0
        while done < remaining:
            done += sample[rnd.randrange(len(sample))]
            day += 1
        finish.append(day)
    finish.sort()
    return [finish[int(np.ceil(p / 100 * trials)) - 1] for p in (50, 85, 95)]


def loop_how_many(sample: list[int], days: int, trials: int, seed: int) -> list[int]:
    rnd = random.Random(seed)
    totals = sorted(sum(sample[rnd.randrange(len(sample))] for _ in range(days))
                    for _ in range(trials))
    return [totals[trials - int(np.ceil(p / 100 * trials))] for p in (50, 85, 95)]


PEER_RUNNER = r"""
import contextlib, io, json, sys, time
from datetime import date, datetime, timedelta
from MonteCarloCSV.MonteCarloService import MonteCarloService
from MonteCarloCSV.WorkItem import WorkItem
spec = json.load(sys.stdin)
first = date.fromisoformat(spec["first_day"])
items = [WorkItem(datetime.combine(first + timedelta(days=d), datetime.min.time()))
         for d, n in enumerate(spec["counts"]) for _ in range(n)]
today = first + timedelta(days=len(spec["counts"]) - 1)
out = {}
with contextlib.redirect_stdout(io.StringIO()):
    service = MonteCarloService(spec["window"], today=today, trials=spec["trials"])
    hist = service.create_closed_items_history(items)
    for name, call in (("when", lambda: service.when(spec["remaining"], hist)),
                       ("how_many", lambda: service.how_many(
                           today + timedelta(days=spec["days"]), hist))):
        cpu, wall = [], []
        for _ in range(spec["repeat"]):
            t, c = time.perf_counter(), time.process_time()
            result = call()
            cpu.append(time.process_time() - c)
            wall.append(time.perf_counter() - t)
        out[name] = {"cpu": sorted(cpu)[len(cpu) // 2], "wall": sorted(wall)[len(wall) // 2],
                     "result": [str(r) for r in result]}
print(json.dumps(out))
"""


def run_peer(history: ThroughputHistory, repeat: int) -> dict:
    spec = {"first_day": history.first_day.isoformat(), "counts": history.counts.tolist(),
            "window": WINDOW, "trials": TRIALS, "remaining": REMAINING, "days": DAYS,
            "repeat": repeat}
    done = subprocess.run([str(peer_python("montecarlocsv", PEER)), "-c", PEER_RUNNER],
                          input=json.dumps(spec), capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-peer", action="store_true")
    args = parser.parse_args()
    history = make_history()
    sample = history.counts[-WINDOW:].tolist()
    end = history.last_day
    print(f"history: {history.counts.size} days, mean {history.counts.mean():.2f}/day; "
          f"{TRIALS} trials, {REMAINING} remaining items, how many in {DAYS} days")
    rows = []
    for method in ("textbook", "mixed-windows"):
        cpu, wall, w = timed(lambda m=method: forecast_when(
            history, REMAINING, trials=TRIALS, seed=1, method=m), args.repeat)
        rows.append((f"trainmaster {method}", "when", cpu, wall, list(w.days.values())))
        cpu, wall, h = timed(lambda m=method: forecast_how_many(
            history, DAYS, trials=TRIALS, seed=1, method=m), args.repeat)
        rows.append((f"trainmaster {method}", "how many", cpu, wall,
                     list(h.percentiles.values())))
    loops = max(1, args.repeat // 3)
    cpu, wall, r = timed(lambda: loop_when(sample, REMAINING, TRIALS, 1), loops)
    rows.append(("per-trial Python loop", "when", cpu, wall, r))
    cpu, wall, r = timed(lambda: loop_how_many(sample, DAYS, TRIALS, 1), loops)
    rows.append(("per-trial Python loop", "how many", cpu, wall, r))
    if not args.no_peer:
        peer = run_peer(history, loops)
        for question, key in (("when", "when"), ("how many", "how_many")):
            result = peer[key]["result"]
            shown = ([(date.fromisoformat(result[i]) - end).days for i in (0, 2, 3)]
                     if key == "when" else [int(result[i]) for i in (0, 2, 3)])
            rows.append(("montecarlocsv 1.0.6", question, peer[key]["cpu"],
                         peer[key]["wall"], shown))
    report(rows)


def report(rows: list[tuple[str, str, float, float, list]]) -> None:
    base = {q: cpu for name, q, cpu, _, _ in rows if name == "trainmaster textbook"}
    print(f"{'implementation':28} {'question':9} {'CPU':>9} {'wall':>9} {'x textbook':>11}  "
          f"50/85/95 (days to finish | at least N)")
    for name, question, cpu, wall, result in rows:
        print(f"{name:28} {question:9} {cpu * 1000:6.1f} ms {wall * 1000:6.1f} ms "
              f"{cpu / base[question]:10.1f}x  {result}")
    for name, question, cpu, wall, _ in rows:
        if name.startswith("trainmaster") and question == "when":
            print(f"target: {name}, 10k trials x {REMAINING} remaining < 50 ms: "
                  f"CPU {cpu * 1000:.1f} ms ({'met' if cpu < 0.05 else 'MISSED'}), "
                  f"wall {wall * 1000:.1f} ms ({'met' if wall < 0.05 else 'missed'})")


if __name__ == "__main__":
    main()
