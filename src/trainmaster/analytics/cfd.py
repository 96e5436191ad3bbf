"""Charts' data over status histories: cumulative flow, flow-time scatter, aging WIP,
burn-up and throughput histogram. Days are local days in the window's zone; a day's value
is the state at its end."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

import numpy as np

from trainmaster.analytics.flow import Window, completed_in, flow_times_days, in_progress_at
from trainmaster.analytics.flow_history import (
    DAY_S,
    instant,
    local_days,
    to_dates,
    to_datetime,
)
from trainmaster.analytics.flow_timeline import ItemTimeline, counts_at, status_at
from trainmaster.analytics.flow_workflow import CATEGORY_NAMES, Category
from trainmaster.analytics.percentiles import FLOW_PERCENTILES, flow_percentiles
from trainmaster.domain.errors import Invalid, require


@dataclass(frozen=True, eq=False)
class CumulativeFlow:
    """counts[b, d] = items in band b at the end of day d; bands in workflow order."""

    days: tuple[date, ...]
    bands: tuple[str, ...]
    counts: np.ndarray


@dataclass(frozen=True, eq=False)
class FlowTimeScatter:
    """One point per item completed in the window, with percentile lines (days)."""

    item_ids: np.ndarray
    done_days: np.ndarray
    flow_days: np.ndarray
    percentiles: dict[int | float, float | None]


@dataclass(frozen=True, eq=False)
class AgingWip:
    """Each in-progress item's age against reference flow-time percentiles (days).

    `beyond[i]` is the highest percentile level item i's age exceeds (0: none).
    """

    now: datetime
    item_ids: np.ndarray
    statuses: tuple[str, ...]
    ages_days: np.ndarray
    percentiles: dict[int | float, float | None]
    beyond: np.ndarray


@dataclass(frozen=True)
class BurnUp:
    """Scope (items that exist) and done (items in a done state) at each day's end."""

    unit: str
    days: tuple[date, ...]
    scope: tuple[float, ...]
    done: tuple[float, ...]


@dataclass(frozen=True)
class ThroughputHistogram:
    """How many days of the window completed 0, 1, 2 ... items."""

    per_day: tuple[int, ...]
    days: tuple[int, ...]


def cumulative_flow(timeline: ItemTimeline, window: Window,
                    by: Literal["category", "status"] = "category") -> CumulativeFlow:
    """Cumulative flow: items per category (or status) at the end of each local day."""
    if by == "category":
        band_of_status = timeline.category_of_status.astype(np.int64)
        bands = tuple(CATEGORY_NAMES[c] for c in Category)
    elif by == "status":
        order = timeline.mapping.band_order(timeline.status_names)
        band_of_status = np.empty(len(order), dtype=np.int64)
        band_of_status[order] = np.arange(len(order))
        bands = tuple(timeline.status_names[i] for i in order)
    else:
        raise Invalid(f"unknown band kind {by!r} (category, status)", field="by")
    days = window.days()
    slot = window.day_slots(timeline.ev_at)
    width = len(bands) + 1  # one spare band stands for "did not exist yet"
    band_or_none = np.append(band_of_status, width - 1)  # index -1 (no previous) -> spare
    size = (days.size + 1) * width
    entered = np.bincount(slot * width + band_of_status[timeline.ev_status], minlength=size)
    left = np.bincount(slot * width + band_or_none[timeline.ev_prev_status], minlength=size)
    grid = np.cumsum((entered - left).reshape(days.size + 1, width)[: days.size, :-1], axis=0)
    return CumulativeFlow(to_dates(days), bands, np.ascontiguousarray(grid.T))


def flow_time_scatter(timeline: ItemTimeline, window: Window,
                      levels: Sequence[float] = FLOW_PERCENTILES) -> FlowTimeScatter:
    """Flow time against completion day for items completed in the window."""
    mask = completed_in(timeline, window)
    values = flow_times_days(timeline, mask)
    done_days = local_days(timeline.done[mask], window.tz).astype("datetime64[D]")
    return FlowTimeScatter(timeline.items[mask], done_days, values,
                           flow_percentiles(values, levels))


def aging_wip(timeline: ItemTimeline, now: datetime | date, tz: str = "UTC",
              reference: Mapping[int | float, float | None] | None = None,
              lookback_days: int = 90) -> AgingWip:
    """Age (now − start) of each item in progress at `now`; reference percentiles default
    to the flow times of items completed in the `lookback_days` before `now`."""
    t = instant(now, tz, end_of_day=not isinstance(now, datetime)) - 1
    require(lookback_days > 0, "must be positive", field="lookback_days")
    if reference is None:
        back = Window(t + 1 - lookback_days * DAY_S, t + 1, tz)
        reference = flow_percentiles(flow_times_days(timeline, completed_in(timeline, back)))
    mask = in_progress_at(timeline, t)
    ages = (t + 1 - timeline.start[mask]) / DAY_S
    lines = sorted((p, v) for p, v in reference.items() if v is not None)
    beyond = np.zeros(ages.size, dtype=float)
    for p, v in lines:
        beyond[ages > v] = p
    owners, statuses = status_at(timeline, t)
    status_of_item = np.full(timeline.items.size, -1, dtype=np.int64)
    status_of_item[owners] = statuses
    names = tuple(timeline.status_names[s] for s in status_of_item[mask])
    return AgingWip(to_datetime(t + 1), timeline.items[mask], names, ages,
                    dict(reference), beyond)


def burn_up(timeline: ItemTimeline, window: Window, unit: Literal["items", "points"] = "items"
            ) -> BurnUp:
    """Scope and done per local day, counted in items or in points (missing points = 0)."""
    require(unit in ("items", "points"), "is items or points", field="unit")
    weight = None if unit == "items" else np.nan_to_num(timeline.points)
    ends, slot = window.day_ends(), window.day_slots(timeline.ev_at)
    exists = np.ones(len(timeline.status_names))
    is_done = (timeline.category_of_status == Category.DONE).astype(float)
    scope = counts_at(timeline, ends, exists, weight, slot)
    done = counts_at(timeline, ends, is_done, weight, slot)
    return BurnUp(unit, to_dates(window.days()), tuple(_tidy(v) for v in scope),
                  tuple(_tidy(v) for v in done))


def _tidy(value: float) -> float:
    return float(round(value, 9))


def throughput_per_day(timeline: ItemTimeline, window: Window) -> tuple[int, np.ndarray]:
    """(first local day as days since epoch, completions per local day of the window)."""
    days = local_days(timeline.done[completed_in(timeline, window)], window.tz)
    first = window.first_day
    return first, np.bincount(days - first, minlength=window.last_day - first + 1)


def throughput_histogram(timeline: ItemTimeline, window: Window) -> ThroughputHistogram:
    """Distribution of daily throughput over the window's days, zero days included."""
    _, counts = throughput_per_day(timeline, window)
    freq = np.bincount(counts)
    return ThroughputHistogram(tuple(range(freq.size)), tuple(int(f) for f in freq))
