"""The hidden model that decides how a team's plan turns out.

The simulation draws these quantities, runs them and keeps only what people would see
(status histories, moved items, business value). Prediction features learn from those traces,
so every effect is causal and stated here:

1. Capacity (DOMAIN.md): per 2-week iteration, 8 points for every developer/tester scaled by
   allocation, minus 1 point per person per vacation or holiday day in the iteration.
2. Planning: a team plans `ambition ×` the capacity it expects per iteration, knowing only
   40–100 % of its absences, so iterations with many people away, and teams with high
   ambition, are overloaded (load > capacity). Work the team still carries from the last PI
   is taken off its first iterations.
3. Work rate: a team delivers `capacity × reliability × noise` points per iteration, spread
   over its working days; the IP iteration runs at half rate. Reliability (0.8–1.3) is the
   team's chronic trait, and less reliable teams meet more impediments.
4. One queue per team: stories are worked in plan order (iteration, then feature priority);
   a story is done when the team's cumulative work reaches its cumulative effort. Effort =
   points × estimation error × (1 + 0.6 × overload), overload being the share by which its
   iteration's load exceeds capacity (capped at 1): multitasking costs. Work left at an
   iteration's end slips into the next one, so overload makes stories slip and features miss
   their planned iteration; leftovers of a PI are finished first in the next one.
5. Scope added after planning (Poisson per team-iteration with the team's churn) joins the
   queue: urgent items right behind the work in progress, the rest after the iteration's
   planned work. Either way planned work moves later.
6. Each open impediment cuts the team's rate by 40 % while it is open (at most 15 working
   days) and blocks some of the team's stories in progress until it is resolved.
7. Dependencies: the consumer's integration stories (the last 40 % of its feature) stay
   blocked until the provider feature is done, so late dependencies (provider planned after
   the consumer) make the consumer feature finish later.
8. Flow time of a story grows with its points and with the overload of its iteration.
9. Business value: at Inspect & Adapt, Business Owners score an objective by the share of its
   linked feature points done and the share of its features done in their planned iteration:
   actual = planned × (0.15 + 0.55 × done share + 0.35 × on-time share + noise).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

POINTS_PER_PERSON = 8.0
IP_RATE_SHARE = 0.5
ITERATION_NOISE = 0.10
ESTIMATION_ERROR = 0.25
OVERLOAD_PENALTY = 0.6
IMPEDIMENT_DRAG = 0.4
IMPEDIMENT_DRAG_DAYS = 15.0
INTEGRATION_SHARE = 0.4
BV_BASE, BV_DONE, BV_ON_TIME, BV_NOISE = 0.15, 0.55, 0.35, 0.08


@dataclass(frozen=True)
class TeamTraits:
    reliability: float        # points delivered per point of capacity
    ambition: float           # points planned per point of nominal capacity
    churn: float              # stories added per iteration after planning (mean)
    impediment_rate: float    # impediments raised per PI (mean)


def draw_traits(rng: np.random.Generator, teams: int) -> list[TeamTraits]:
    reliability = np.clip(rng.normal(1.05, 0.08, teams), 0.8, 1.3)
    ambition = np.clip(rng.lognormal(np.log(0.9), 0.12, teams), 0.7, 1.3)
    churn = rng.gamma(1.5, 1.0, teams)
    impediments = 0.4 + 2.5 * (1.3 - reliability)
    return [TeamTraits(float(r), float(a), float(c), float(i))
            for r, a, c, i in zip(reliability, ambition, churn, impediments, strict=True)]


def iteration_capacity(allocations: Sequence[float], absent_days: Sequence[int],
                       holiday_days: int) -> float:
    """DOMAIN.md capacity of one 2-week iteration for the team's developers and testers."""
    per_person = (POINTS_PER_PERSON * np.asarray(allocations, dtype=float)
                  - np.asarray(absent_days, dtype=float) - holiday_days)
    return max(0.0, float(per_person.sum()))


def daily_rate(size: int, nominal: float, reliability: float,
               iterations: Sequence[tuple[int, int, float, bool]]) -> np.ndarray:
    """Points a team delivers on each working day of the axis.

    `iterations` holds (first day, end day, capacity × noise, is IP); outside them the team
    works at its nominal capacity.
    """
    rate = np.full(size, nominal / 10.0)
    for lo, hi, points, is_ip in iterations:
        if hi > lo:
            rate[lo:hi] = points * (IP_RATE_SHARE if is_ip else 1.0) / (hi - lo)
    return rate * reliability


def impediment_drag(size: int, spans: Sequence[tuple[float, float]]) -> np.ndarray:
    """Rate factor per working day: each open impediment takes IMPEDIMENT_DRAG away."""
    drag = np.ones(size)
    for raised, resolved in spans:
        lo = int(np.clip(raised, 0, size))
        hi = int(np.clip(np.ceil(min(resolved, raised + IMPEDIMENT_DRAG_DAYS)), 0, size))
        drag[lo:hi] *= 1.0 - IMPEDIMENT_DRAG
    return drag


def cumulative(rate: np.ndarray) -> np.ndarray:
    """Work done before each working day: W[d] (one entry more than days)."""
    return np.concatenate(([0.0], np.cumsum(rate)))


def level_at(work: np.ndarray, rate: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Cumulative work at axis times `u`."""
    day = np.clip(np.floor(u).astype(np.int64), 0, len(rate) - 1)
    return work[day] + np.clip(u - day, 0.0, 1.0) * rate[day]


def time_at(work: np.ndarray, rate: np.ndarray, level: np.ndarray) -> np.ndarray:
    """Axis time at which cumulative work reaches `level` (inf beyond the axis)."""
    day = np.searchsorted(work, level, side="left") - 1
    beyond = day >= len(rate)
    day = np.clip(day, 0, len(rate) - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        u = day + (level - work[day]) / rate[day]
    return np.where(beyond | ~np.isfinite(u), np.inf, u)


def queue_levels(effort: np.ndarray, release: np.ndarray, start: float) -> np.ndarray:
    """Work level at which each job of a one-server queue is done.

    Jobs run in the given order, none before its release level nor before `start`:
    C_k = max(C_{k-1}, release_k) + effort_k, computed without a loop.
    """
    done = np.cumsum(effort)
    wait = np.maximum.accumulate(np.maximum(release - (done - effort), start))
    return done + wait


def effort(rng: np.random.Generator, points: np.ndarray, overload: np.ndarray) -> np.ndarray:
    """Work a story takes: points × estimation error × context switching when overloaded."""
    sigma = ESTIMATION_ERROR
    switching = 1.0 + OVERLOAD_PENALTY * np.clip(overload, 0.0, 1.0)
    return points * rng.lognormal(-sigma * sigma / 2, sigma, len(points)) * switching


def flow_days(rng: np.random.Generator, points: np.ndarray, overload: np.ndarray) -> np.ndarray:
    """Working days from start to done; longer for big stories and overloaded iterations."""
    base = (0.6 + 0.55 * points) * rng.lognormal(0.0, 0.35, len(points))
    return np.clip(base * (1.0 + 0.6 * np.clip(overload, 0.0, 1.0)), 0.3, 15.0)


def actual_bv(rng: np.random.Generator, planned: np.ndarray, done_share: np.ndarray,
              on_time_share: np.ndarray) -> np.ndarray:
    """Business Owners' score at Inspect & Adapt (0–10)."""
    ratio = (BV_BASE + BV_DONE * done_share + BV_ON_TIME * on_time_share
             + rng.normal(0.0, BV_NOISE, len(planned)))
    return np.clip(np.round(planned * ratio), 0, 10).astype(int)
