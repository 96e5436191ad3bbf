"""Back-test of Monte Carlo forecasts on real daily throughput (resolution dates).

Protocol. A project is one folder of `resolution_dates/` (every CSV line holding a date is
one completed item); its history runs from its first to its last resolution day, zero days
included. Cut dates fall every `step_days` days from `warmup_days` after the first day to
`max(horizons)` days before the last; a cut whose last `warmup_days` days hold no
completion is skipped. At each cut, using only the days before it:
- "how many in the next H days": hit at likelihood p when the actual count over the H days
  from the cut is at least the forecast's "at least N with p %".
- "when will the next N be done", N = round(H x the mean daily throughput of the last
  `warmup_days` days): hit when the N-th completion from the cut falls on or before the
  forecast's p % date. When the data end before N completions, the case counts as a miss
  if the forecast date lies within the data, and is dropped otherwise.
A method is calibrated when each likelihood's hit rate matches its label.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from trainmaster.analytics.forecast import (
    DEFAULT_METHOD,
    DEFAULT_TRIALS,
    MIXED_MAX_DAYS,
    MIXED_MIN_DAYS,
    Method,
    Sampler,
    ThroughputHistory,
    simulate,
)
from trainmaster.analytics.percentiles import at_least_percentiles, finish_day_percentiles
from trainmaster.domain.errors import NotFound, require
from trainmaster.evaluation.data import default_data_dir  # noqa: F401 - re-exported

HOW_MANY, WHEN = "how many", "when"
Progress = Callable[[int, int], None]
QUESTIONS = (HOW_MANY, WHEN)




@dataclass(frozen=True)
class BacktestConfig:
    """How cuts are placed and forecasts made."""

    horizons: tuple[int, ...] = (14, 30, 60)
    levels: tuple[int, ...] = (50, 85, 95)
    step_days: int = 7
    warmup_days: int = 90
    trials: int = DEFAULT_TRIALS
    seed: int = 0
    max_days: int = 3_650
    mixed_days: tuple[int, int] = (MIXED_MIN_DAYS, MIXED_MAX_DAYS)

    def __post_init__(self) -> None:
        require(bool(self.horizons) and min(self.horizons) > 0, "must be positive days",
                field="horizons")
        require(self.step_days > 0 and self.warmup_days > 0, "must be positive", field="step")


@dataclass(frozen=True, eq=False)
class Outcomes:
    """One row per (cut, question, horizon, likelihood) case of one project and method."""

    project: str
    method: str
    cuts: int
    skipped_cuts: int
    question: np.ndarray  # 0 = how many, 1 = when
    horizon: np.ndarray
    level: np.ndarray
    hit: np.ndarray


@dataclass(frozen=True)
class CalibrationRow:
    """Hit rate of one (method, question, horizon, likelihood) cell; horizon 0 = all."""

    method: str
    question: str
    horizon: int
    level: int
    cases: int
    hits: int
    rate: float
    project_mean: float
    projects: int


@dataclass(frozen=True)
class BacktestReport:
    """Calibration rows per method, with the projects and cut counts behind them."""

    config: BacktestConfig
    projects: tuple[str, ...]
    cuts: int
    skipped_cuts: int
    rows: tuple[CalibrationRow, ...]
    mean_abs_error: Mapping[str, float] = field(default_factory=dict)
    max_abs_error: Mapping[str, float] = field(default_factory=dict)
    project_errors: Mapping[str, Mapping[str, float]] = field(default_factory=dict)


def load_projects(folder: Path) -> dict[str, ThroughputHistory]:
    """Daily throughput per project: each sub-folder (or CSV file) of `folder` is one
    project; every line that starts with a YYYY-MM-DD date is one completion."""
    if not folder.is_dir():
        raise NotFound(f"{folder} does not exist (set TRAINMASTER_EVAL_DATA)", field="data")
    sources = {p.name: sorted(p.glob("*.csv")) for p in sorted(folder.iterdir()) if p.is_dir()}
    sources.update({p.stem: [p] for p in sorted(folder.glob("*.csv"))})
    projects = {}
    for name, files in sources.items():
        dates = [d for f in files for d in _dates(f)]
        if dates:
            projects[name] = ThroughputHistory.from_dates(np.array(dates, dtype="datetime64[D]"))
    if not projects:
        raise NotFound(f"{folder} holds no resolution dates", field="data")
    return projects


def _dates(path: Path) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        text = line.strip().strip('"')[:10]
        if len(text) == 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit():
            out.append(text)
    return out


def backtest_project(name: str, throughput: ThroughputHistory, method: Method | str,
                     config: BacktestConfig = BacktestConfig()) -> Outcomes:
    """Forecast at every cut of one project and score each likelihood."""
    counts = np.asarray(throughput.counts, dtype=np.int64)
    prefix = np.concatenate([[0], np.cumsum(counts)])
    rows: list[tuple[int, int, int, bool]] = []
    cuts = skipped = 0
    for cut in range(config.warmup_days, counts.size - max(config.horizons) + 1,
                     config.step_days):
        recent = prefix[cut] - prefix[cut - config.warmup_days]
        if recent == 0:
            skipped += 1
            continue
        cuts += 1
        rows += _score_cut(counts[:cut], prefix, cut, recent / config.warmup_days,
                           _rng(config.seed, name, cut), Method(method), config)
    table = np.array(rows, dtype=np.int64).reshape(-1, 4)
    return Outcomes(name, Method(method).value, cuts, skipped, table[:, 0], table[:, 1],
                    table[:, 2], table[:, 3].astype(bool))


def _rng(seed: int, name: str, cut: int) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(name.encode()), cut])


def _score_cut(history: np.ndarray, prefix: np.ndarray, cut: int, rate: float,
               rng: np.random.Generator, method: Method, config: BacktestConfig
               ) -> list[tuple[int, int, int, bool]]:
    sampler = Sampler(history, method, config.trials, rng, config.warmup_days,
                      config.mixed_days)
    targets = [max(1, round(rate * h)) for h in config.horizons]
    totals, finish = simulate(sampler, rng, config.horizons, targets, config.max_days)
    end = prefix.size - 1  # days in the data
    rows = []
    for j, h in enumerate(config.horizons):
        actual = prefix[cut + h] - prefix[cut]
        for p, n in at_least_percentiles(totals[:, j], config.levels).items():
            rows.append((0, h, int(p), bool(actual >= n)))
        reached = int(np.searchsorted(prefix, prefix[cut] + targets[j]))  # day index + 1
        for p, day in finish_day_percentiles(finish[:, j], config.levels).items():
            if reached <= end:
                rows.append((1, h, int(p), day is None or reached - cut <= day))
            elif day is not None and cut + day <= end:
                rows.append((1, h, int(p), False))
    return rows


def calibration(outcomes: Sequence[Outcomes], config: BacktestConfig
                ) -> list[CalibrationRow]:
    """Hit rates per method, question, horizon (0 = all horizons) and likelihood."""
    rows = []
    for method in dict.fromkeys(o.method for o in outcomes):
        mine = [o for o in outcomes if o.method == method]
        for q, question in enumerate(QUESTIONS):
            for h in (*config.horizons, 0):
                for p in config.levels:
                    rows.append(_cell(mine, method, q, question, h, p))
    return rows


def _cell(outcomes: Sequence[Outcomes], method: str, q: int, question: str, h: int,
          p: int) -> CalibrationRow:
    per_project = []
    hits = cases = 0
    for o in outcomes:
        sel = (o.question == q) & (o.level == p) & ((o.horizon == h) if h else True)
        n = int(sel.sum())
        if n:
            k = int(o.hit[sel].sum())
            hits, cases = hits + k, cases + n
            per_project.append(k / n)
    return CalibrationRow(method, question, h, p, cases, hits, hits / cases if cases else 0.0,
                          float(np.mean(per_project)) if per_project else 0.0,
                          len(per_project))


def errors_of(rows: Sequence[CalibrationRow]) -> tuple[dict[str, float], dict[str, float]]:
    """Mean and max |hit rate − label| in points over the per-horizon cells, per method."""
    mean, worst = {}, {}
    for method in dict.fromkeys(r.method for r in rows):
        gaps = [abs(r.rate * 100 - r.level) for r in rows
                if r.method == method and r.horizon and r.cases]
        mean[method] = float(np.mean(gaps)) if gaps else float("nan")
        worst[method] = float(np.max(gaps)) if gaps else float("nan")
    return mean, worst


def run_backtest(projects: Mapping[str, ThroughputHistory],
                 methods: Sequence[Method | str] = (DEFAULT_METHOD,),
                 config: BacktestConfig = BacktestConfig(),
                 progress: Progress | None = None) -> BacktestReport:
    """Back-test every method on every project; `progress(done, total)` after each."""
    outcomes = []
    total = len(projects) * len(methods)
    for method in methods:
        for name, throughput in projects.items():
            outcomes.append(backtest_project(name, throughput, method, config))
            if progress:
                progress(len(outcomes), total)
    rows = calibration(outcomes, config)
    mean, worst = errors_of(rows)
    per_project: dict[str, dict[str, float]] = {}
    for o in outcomes:
        if o.cuts:
            per_project.setdefault(o.method, {})[o.project] = errors_of(
                calibration([o], config))[0][o.method]
    first = [o for o in outcomes if o.method == outcomes[0].method]
    return BacktestReport(config, tuple(projects), sum(o.cuts for o in first),
                          sum(o.skipped_cuts for o in first), tuple(rows), mean, worst,
                          per_project)



@dataclass(frozen=True)
class LopoReport:
    """Leave-one-project-out choice of the mixed-windows range and its held-out scores."""

    grid: tuple[tuple[int, int], ...]
    chosen: Mapping[str, tuple[int, int]]
    rows: tuple[CalibrationRow, ...]
    mean_abs_error: float
    max_abs_error: float


LOPO_GRID = ((2, 730), (2, 1460), (2, 2920), (3, 730), (3, 1460), (3, 2920),
             (7, 730), (7, 1460), (7, 2920))


def leave_one_project_out(projects: Mapping[str, ThroughputHistory],
                          grid: Sequence[tuple[int, int]] = LOPO_GRID,
                          config: BacktestConfig = BacktestConfig(),
                          progress: Progress | None = None) -> LopoReport:
    """For each project, pick the (shortest, longest) window range with the lowest mean
    calibration error on the other projects, and score it on the held-out one."""
    runs: dict[tuple[int, int], dict[str, Outcomes]] = {}
    for k, days in enumerate(grid):
        cfg = replace(config, mixed_days=days)
        runs[days] = {n: backtest_project(n, t, Method.MIXED_WINDOWS, cfg)
                      for n, t in projects.items()}
        if progress:
            progress(k + 1, len(grid))
    chosen, held_out = {}, []
    for name in projects:
        def train_error(days: tuple[int, int], name: str = name) -> float:
            others = [o for n, o in runs[days].items() if n != name]
            return errors_of(calibration(others, config))[0][Method.MIXED_WINDOWS.value]
        best = min(grid, key=train_error)
        chosen[name] = best
        held_out.append(replace(runs[best][name], method="mixed-windows, held out"))
    rows = calibration(held_out, config)
    mean, worst = errors_of(rows)
    return LopoReport(tuple(grid), chosen, tuple(rows), *mean.values(), *worst.values())


def write_chart(rows: Sequence[CalibrationRow], path: Path) -> None:
    """A PNG: hit rate against likelihood per question, one line per method (all
    horizons pooled, dots per horizon), with the ±5-point band around the diagonal."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 4.5), sharey=True)
    for ax, question in zip(axes, QUESTIONS, strict=True):
        ax.fill_between([40, 100], [35, 95], [45, 105], color="0.9", label="±5 points")
        ax.plot([40, 100], [40, 100], color="0.5", lw=1, ls="--")
        for i, method in enumerate(dict.fromkeys(r.method for r in rows)):
            mine = [r for r in rows if r.method == method and r.question == question]
            pooled = [r for r in mine if r.horizon == 0]
            color = f"C{i}"
            ax.plot([r.level for r in pooled], [r.rate * 100 for r in pooled], "o-",
                    color=color, label=method)
            ax.scatter([r.level for r in mine if r.horizon], [r.rate * 100 for r in mine
                       if r.horizon], color=color, s=12, alpha=0.5)
        ax.set(title=f'"{question}"', xlabel="stated likelihood (%)", xlim=(40, 100),
               ylim=(35, 100))
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("share of forecasts that came true (%)")
    axes[1].legend(loc="lower right")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
