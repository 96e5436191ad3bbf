"""Monte Carlo forecasts from daily throughput (DOMAIN.md, Forecasting).

Two sampling methods:
- ``textbook``: every simulated day draws, with replacement, one day of the last
  `window_days` days (default 90, zero days included).
- ``mixed-windows`` (default): each trial first picks its own sample window, the last W
  days with W log-uniform between MIXED_MIN_DAYS and MIXED_MAX_DAYS rounded up to whole
  weeks (at most the history, at least back to the latest completion), then draws its days
  from that window. Trials
  thus disagree about which recent regime the future resembles, which the back-test on
  real Jira projects shows is needed for calibrated likelihoods (docs/evaluation.md).

Simulation is vectorised over trials: draws come as (trials x days) matrices, summed
cumulatively chunk by chunk until every trial has finished.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

import numpy as np

from trainmaster.analytics.percentiles import (
    FLOW_PERCENTILES,
    at_least_percentiles,
    finish_day_percentiles,
)
from trainmaster.domain.errors import Invalid, require

DEFAULT_TRIALS = 10_000
DEFAULT_WINDOW_DAYS = 90
DEFAULT_MAX_DAYS = 3_650
MIXED_MIN_DAYS = 3
MIXED_MAX_DAYS = 2_920


class Method(StrEnum):
    TEXTBOOK = "textbook"
    MIXED_WINDOWS = "mixed-windows"


DEFAULT_METHOD = Method.MIXED_WINDOWS


@dataclass(frozen=True, eq=False)
class ThroughputHistory:
    """Items completed per day from `first_day` on, zero days included."""

    first_day: date
    counts: np.ndarray

    def __post_init__(self) -> None:
        counts = np.asarray(self.counts)
        require(counts.ndim == 1 and counts.size > 0, "needs at least one day", field="counts")
        require(np.issubdtype(counts.dtype, np.integer) and counts.min() >= 0,
                "holds non-negative whole numbers", field="counts")

    @property
    def last_day(self) -> date:
        return self.first_day + timedelta(days=int(len(self.counts)) - 1)

    @classmethod
    def from_dates(cls, done: Sequence[date] | np.ndarray, first_day: date | None = None,
                   last_day: date | None = None) -> ThroughputHistory:
        """Daily counts of completion dates; the span defaults to first..last date."""
        days = np.asarray(done, dtype="datetime64[D]").astype(np.int64)
        lo = _day(first_day) if first_day else int(days.min()) if days.size else None
        hi = _day(last_day) if last_day else int(days.max()) if days.size else None
        if lo is None or hi is None:
            raise Invalid("needs completion dates or both first_day and last_day", field="done")
        require(hi >= lo, "last_day must not precede first_day", field="last_day")
        days = days[(days >= lo) & (days <= hi)]
        counts = np.bincount(days - lo, minlength=hi - lo + 1).astype(np.int64)
        return cls(date(1970, 1, 1) + timedelta(days=lo), counts)


@dataclass(frozen=True, eq=False)
class Sample:
    """What a forecast drew from: days `start`..`end` of the history, by `method`."""

    method: str
    start: date
    end: date
    days: int
    note: str


@dataclass(frozen=True, eq=False)
class WhenForecast:
    """Finish date of `remaining` items by likelihood (None: beyond `max_days`)."""

    remaining: int
    start: date
    trials: int
    seed: int | None
    sample: Sample
    percentiles: dict[int | float, date | None]
    days: dict[int | float, int | None]
    finish_days: np.ndarray


@dataclass(frozen=True, eq=False)
class HowManyForecast:
    """Items done in `days` days from `start`: at least N with each likelihood."""

    days: int
    start: date
    end: date
    trials: int
    seed: int | None
    sample: Sample
    percentiles: dict[int | float, int]
    totals: np.ndarray


@dataclass(frozen=True)
class Likelihood:
    """Share of trials that finish `remaining` items on or before `by`."""

    remaining: int
    start: date
    by: date
    likelihood: float
    trials: int
    seed: int | None
    sample: Sample


def _day(value: date) -> int:
    return (value - date(1970, 1, 1)).days


class Sampler:
    """Per-trial sample windows over the history, newest day first."""

    def __init__(self, counts: np.ndarray, method: Method | str, trials: int,
                 rng: np.random.Generator, window_days: int = DEFAULT_WINDOW_DAYS,
                 mixed_days: tuple[int, int] = (MIXED_MIN_DAYS, MIXED_MAX_DAYS)) -> None:
        require(trials > 0, "must be positive", field="trials")
        require(window_days > 0, "must be positive", field="window_days")
        require(0 < mixed_days[0] <= mixed_days[1], "needs 0 < shortest <= longest window",
                field="mixed_days")
        self.recent = np.ascontiguousarray(np.asarray(counts)[::-1], dtype=np.int32)
        n = self.recent.size
        self.method = _method(method)
        if self.method is Method.TEXTBOOK:
            self.widths = np.full(trials, min(window_days, n), dtype=np.int64)
        else:
            self.widths = _mixed_widths(self.recent, trials, rng, *mixed_days)
        prefix = np.concatenate([[0], np.cumsum(self.recent, dtype=np.int64)])
        self.empty = prefix[self.widths] == 0  # trials whose window holds no completion
        self.span = int(self.widths.max())
        self.rate = float(prefix[self.span] / self.span)

    def draw(self, rows: np.ndarray, days: int, rng: np.random.Generator) -> np.ndarray:
        """A (len(rows) x days) int32 matrix of simulated daily throughput for those trials."""
        widths = self.widths[rows]
        scaled = rng.random((rows.size, days), dtype=np.float32)
        scaled *= widths[:, None].astype(np.float32)
        index = scaled.astype(np.int32)
        np.minimum(index, (widths[:, None] - 1).astype(np.int32), out=index)  # float rounding
        return np.take(self.recent, index)


def _method(method: Method | str) -> Method:
    try:
        return Method(method)
    except ValueError:
        raise Invalid(f"unknown method {method!r} ({', '.join(m.value for m in Method)})",
                      field="method") from None


def _mixed_widths(recent: np.ndarray, trials: int, rng: np.random.Generator,
                  shortest: int, longest: int) -> np.ndarray:
    n = recent.size
    done = np.flatnonzero(recent)
    floor = int(done[0]) + 1 if done.size else n  # reach back to the latest completion
    logs = rng.uniform(np.log(shortest), np.log(longest + 1), size=trials)
    weeks = -(-np.exp(logs).astype(np.int64) // 7)  # whole weeks keep weekday mixes
    return np.clip(np.maximum(weeks * 7, floor), 1, n)


def simulate(sampler: Sampler, rng: np.random.Generator, horizons: Sequence[int] = (),
             targets: Sequence[int] = (), max_days: int = DEFAULT_MAX_DAYS
             ) -> tuple[np.ndarray, np.ndarray]:
    """(totals, finish): items done by the end of each horizon day (trials x horizons) and
    the day each target is reached (trials x targets; 1 = first day, 0 = beyond max_days)."""
    goal = np.asarray(targets, dtype=np.int64)
    marks = np.asarray(horizons, dtype=np.int64)
    require(bool(np.all(goal > 0)), "remaining items must be positive", field="remaining")
    require(bool(np.all(marks > 0)), "days must be positive", field="days")
    run = _Run(sampler, marks, goal, max_days)
    chunk = max(int(run.last_mark), int(run.top / max(sampler.rate, 1e-9) * 1.25) + 8)
    alive = run.still_running()
    while alive.size:
        width = min(chunk, run.horizon - run.day0)
        for rows in np.array_split(alive, -(-alive.size * width // _BLOCK)):
            run.advance(rows, sampler.draw(rows, width, rng))
        run.day0 += width
        alive = run.still_running(alive)
        chunk = max(64, chunk * 2)
    return run.totals, run.finish


_BLOCK = 1 << 22  # draws per matrix: bounds memory for long, slow simulations


class _Run:
    """The running state of one simulation."""

    def __init__(self, sampler: Sampler, marks: np.ndarray, goal: np.ndarray,
                 max_days: int) -> None:
        trials = sampler.widths.size
        self.sampler, self.marks, self.goal = sampler, marks, goal
        self.last_mark = int(marks.max()) if marks.size else 0
        self.top = int(goal.max()) if goal.size else 0
        self.max_days = max_days
        self.horizon = max(self.last_mark, max_days if goal.size else 0)
        self.totals = np.zeros((trials, marks.size), dtype=np.int64)
        self.finish = np.zeros((trials, goal.size), dtype=np.int64)
        self.running = np.zeros(trials, dtype=np.int64)
        self.day0 = 0
        peak = int(sampler.recent.max(initial=0)) * max(self.horizon, 1)
        self._wide = peak >= np.iinfo(np.int32).max  # int32 sums unless they could overflow

    def still_running(self, alive: np.ndarray | None = None) -> np.ndarray:
        """Trials that need more days: before the last horizon, or short of the top target
        with a window that holds completions, within max_days."""
        if alive is None:
            alive = np.arange(self.sampler.widths.size)
        if self.day0 < self.last_mark:
            return alive
        if self.day0 >= self.horizon:
            return alive[:0]
        return alive[(self.running[alive] < self.top) & ~self.sampler.empty[alive]]

    def advance(self, rows: np.ndarray, draws: np.ndarray) -> None:
        cum = np.cumsum(draws, axis=1, dtype=np.int64 if self._wide else np.int32)
        cum += self.running[rows, None].astype(cum.dtype)
        end = self.day0 + cum.shape[1]
        for j, mark in enumerate(self.marks):
            if self.day0 < mark <= end:
                self.totals[rows, j] = cum[:, mark - self.day0 - 1]
        for j, target in enumerate(self.goal):
            hit = (cum[:, -1] >= target) & (self.running[rows] < target)
            if hit.any():
                reached = self.day0 + 1 + np.count_nonzero(cum < target, axis=1)[hit]
                self.finish[rows[hit], j] = np.where(reached <= self.max_days, reached, 0)
        self.running[rows] = cum[:, -1]


def _prepare(throughput: ThroughputHistory, method: Method | str, trials: int,
             seed: int | None, window_days: int) -> tuple[Sampler, np.random.Generator, Sample]:
    rng = np.random.default_rng(seed)
    sampler = Sampler(throughput.counts, method, trials, rng, window_days)
    end = throughput.last_day
    begin = end - timedelta(days=sampler.span - 1)
    if sampler.method is Method.TEXTBOOK:
        note = f"each day drawn from the last {sampler.span} days"
    else:
        note = (f"each trial draws from the last W days, W log-uniform in "
                f"{MIXED_MIN_DAYS}..{MIXED_MAX_DAYS} rounded up to whole weeks (at most the "
                f"history, at least back to the latest completion)")
    return sampler, rng, Sample(sampler.method.value, begin, end, sampler.span, note)


def _start(throughput: ThroughputHistory, start: date | None) -> date:
    return start or throughput.last_day + timedelta(days=1)


def forecast_when(throughput: ThroughputHistory, remaining: int, start: date | None = None,
                  trials: int = DEFAULT_TRIALS, seed: int | None = None,
                  method: Method | str = DEFAULT_METHOD,
                  window_days: int = DEFAULT_WINDOW_DAYS,
                  percentiles: Sequence[float] = FLOW_PERCENTILES,
                  max_days: int = DEFAULT_MAX_DAYS) -> WhenForecast:
    """By when `remaining` items are done, from `start` (default: the day after the
    history), with each likelihood; a date is None when beyond `max_days`."""
    require(remaining >= 1, "must be at least 1", field="remaining")
    sampler, rng, sample = _prepare(throughput, method, trials, seed, window_days)
    _, finish = simulate(sampler, rng, targets=[remaining], max_days=max_days)
    days = finish_day_percentiles(finish[:, 0], percentiles)
    first = _start(throughput, start)
    dates = {p: None if d is None else first + timedelta(days=d - 1) for p, d in days.items()}
    return WhenForecast(remaining, first, trials, seed, sample, dates, days, finish[:, 0])


def forecast_how_many(throughput: ThroughputHistory, days: int, start: date | None = None,
                      trials: int = DEFAULT_TRIALS, seed: int | None = None,
                      method: Method | str = DEFAULT_METHOD,
                      window_days: int = DEFAULT_WINDOW_DAYS,
                      percentiles: Sequence[float] = FLOW_PERCENTILES) -> HowManyForecast:
    """How many items get done in `days` days from `start`: at least N with each
    likelihood (the (100 − p)th percentile of simulated totals)."""
    require(days >= 1, "must be at least 1", field="days")
    sampler, rng, sample = _prepare(throughput, method, trials, seed, window_days)
    totals, _ = simulate(sampler, rng, horizons=[days])
    first = _start(throughput, start)
    return HowManyForecast(days, first, first + timedelta(days=days - 1), trials, seed, sample,
                           at_least_percentiles(totals[:, 0], percentiles), totals[:, 0])


def likelihood_by(throughput: ThroughputHistory, remaining: int, by: date,
                  start: date | None = None, trials: int = DEFAULT_TRIALS,
                  seed: int | None = None, method: Method | str = DEFAULT_METHOD,
                  window_days: int = DEFAULT_WINDOW_DAYS) -> Likelihood:
    """Likelihood that `remaining` items are done on or before `by`."""
    require(remaining >= 1, "must be at least 1", field="remaining")
    first = _start(throughput, start)
    require(by >= first, f"must not precede the first forecast day {first}", field="by")
    sampler, rng, sample = _prepare(throughput, method, trials, seed, window_days)
    totals, _ = simulate(sampler, rng, horizons=[(by - first).days + 1])
    share = float(np.mean(totals[:, 0] >= remaining))
    return Likelihood(remaining, first, by, share, trials, seed, sample)
