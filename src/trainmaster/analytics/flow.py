"""SAFe's flow metrics over columnar status histories (DOMAIN.md, Flow metrics).

A window is [window_start, window_end): aware datetimes, or dates meaning whole local days
in `tz` (both ends inclusive). Completions count at an item's first entry into done.
Per team / ART / portfolio results come from a group key per change (`group=`).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

import numpy as np

from trainmaster.analytics.flow_history import (
    DAY_S,
    StatusHistory,
    day_index,
    day_starts,
    instant,
    local_days,
    to_dates,
    to_datetime,
)
from trainmaster.analytics.flow_timeline import (
    ItemTimeline,
    build_timeline,
    counts_at,
    status_at,
)
from trainmaster.analytics.flow_workflow import Category, WorkflowMapping
from trainmaster.analytics.percentiles import FLOW_PERCENTILES, flow_percentiles
from trainmaster.domain.errors import Invalid, require

Bucket = Literal["day", "week", "iteration"]
UNSPECIFIED = "unspecified"


@dataclass(frozen=True)
class Window:
    """[start, end) in epoch seconds plus the zone that defines its days."""

    start: int
    end: int
    tz: str | ZoneInfo

    @classmethod
    def of(cls, start: date | datetime, end: date | datetime, tz: str | ZoneInfo) -> Window:
        s, e = instant(start, tz), instant(end, tz, end_of_day=True)
        require(e > s, "window_end must come after window_start", field="window_end")
        return cls(s, e, tz)

    @property
    def first_day(self) -> int:
        return int(local_days(np.array([self.start]), self.tz)[0])

    @property
    def last_day(self) -> int:
        return int(local_days(np.array([self.end - 1]), self.tz)[0])

    def days(self) -> np.ndarray:
        """The window's local days (int days since the epoch)."""
        return np.arange(self.first_day, self.last_day + 1)

    def day_ends(self) -> np.ndarray:
        """Last second of each local day of the window (the window's end for the last)."""
        return np.minimum(day_starts(self.days() + 1, self.tz), self.end) - 1

    def day_slots(self, seconds: np.ndarray) -> np.ndarray:
        """Per instant: index of the first day end at or after it (number of days: none)."""
        slot = np.maximum(local_days(seconds, self.tz) - self.first_day, 0)
        slot[seconds >= self.end] = self.last_day - self.first_day + 1
        return slot


@dataclass(frozen=True)
class Velocity:
    """Items completed per bucket; `starts` are the buckets' first local days."""

    bucket: str
    starts: tuple[date, ...]
    counts: tuple[int, ...]
    total: int


@dataclass(frozen=True)
class FlowTime:
    """Flow time in days of the items completed in the window."""

    count: int
    percentiles: dict[int | float, float | None]
    mean: float | None


@dataclass(frozen=True)
class FlowLoad:
    """WIP at the end of the window and at the end of each local day in it."""

    at_end: int
    days: tuple[date, ...]
    wip: tuple[int, ...]


@dataclass(frozen=True)
class FlowEfficiency:
    """Σ active time / Σ flow time over items completed in the window (None: no time)."""

    value: float | None
    median_item: float | None
    items: int


@dataclass(frozen=True)
class FlowDistribution:
    """Share and count of each work type among items completed or in progress."""

    completed: dict[str, float]
    completed_counts: dict[str, int]
    in_progress: dict[str, float]
    in_progress_counts: dict[str, int]


@dataclass(frozen=True)
class FlowMetrics:
    """The flow metrics of one set of items over one window."""

    window_start: datetime
    window_end: datetime
    items: int
    velocity: Velocity
    flow_time: FlowTime
    load: FlowLoad
    efficiency: FlowEfficiency
    distribution: FlowDistribution


@dataclass(frozen=True)
class FlowReport:
    """Metrics over all items and per group key (empty without `group`)."""

    overall: FlowMetrics
    groups: Mapping[Hashable, FlowMetrics] = field(default_factory=dict)


def compute_flow_metrics(history: StatusHistory, mapping: WorkflowMapping,
                         window_start: date | datetime, window_end: date | datetime,
                         tz: str | ZoneInfo = "UTC", group: np.ndarray | None = None,
                         bucket: Bucket = "week",
                         iteration_starts: Sequence[date] | None = None) -> FlowReport:
    """All flow metrics for the window, overall and per `group` key (one key per change;
    an item belongs to the group of its latest change)."""
    require(group is None or len(group) == len(history.item_ids),
            "needs one key per status change", field="group")
    window = Window.of(window_start, window_end, tz)
    timeline = build_timeline(history, mapping, group)
    overall = metrics_for(timeline, window, bucket, iteration_starts)
    groups: dict[Hashable, FlowMetrics] = {}
    if timeline.group is not None:
        for key in np.unique(timeline.group):
            sub = timeline.subset(timeline.group == key)
            groups[key.item() if hasattr(key, "item") else key] = metrics_for(
                sub, window, bucket, iteration_starts)
    return FlowReport(overall, groups)


def metrics_for(timeline: ItemTimeline, window: Window, bucket: Bucket = "week",
                iteration_starts: Sequence[date] | None = None) -> FlowMetrics:
    """The flow metrics of one prepared timeline."""
    return FlowMetrics(
        window_start=to_datetime(window.start), window_end=to_datetime(window.end),
        items=int(timeline.items.size),
        velocity=flow_velocity(timeline, window, bucket, iteration_starts),
        flow_time=flow_time(timeline, window), load=flow_load(timeline, window),
        efficiency=flow_efficiency(timeline, window),
        distribution=flow_distribution(timeline, window))


def completed_in(timeline: ItemTimeline, window: Window) -> np.ndarray:
    """Item mask: first entry into done within the window."""
    return (timeline.done >= window.start) & (timeline.done < window.end)


def flow_velocity(timeline: ItemTimeline, window: Window, bucket: Bucket = "week",
                  iteration_starts: Sequence[date] | None = None) -> Velocity:
    """Completions per local day, Monday-based week or iteration (default: 14-day
    iterations from the window's first day). Completions before the first iteration start
    are not counted."""
    days = local_days(timeline.done[completed_in(timeline, window)], window.tz)
    first, last = window.first_day, window.last_day
    if bucket == "day":
        starts = np.arange(first, last + 1)
    elif bucket == "week":
        starts = np.arange(first - (first + 3) % 7, last + 1, 7)  # 1970-01-01 was a Thursday
    elif bucket == "iteration":
        starts = (np.array(sorted(day_index(d) for d in iteration_starts)) if iteration_starts
                  else np.arange(first, last + 1, 14))
    else:
        raise Invalid(f"unknown bucket {bucket!r} (day, week, iteration)", field="bucket")
    slot = np.searchsorted(starts, days, side="right") - 1
    counts = np.bincount(slot[slot >= 0], minlength=starts.size)
    return Velocity(bucket, to_dates(starts),
                    tuple(int(c) for c in counts), int(counts.sum()))


def flow_times_days(timeline: ItemTimeline, mask: np.ndarray) -> np.ndarray:
    """Flow time in days (float) of the masked items, which must be done."""
    return (timeline.done[mask] - timeline.start[mask]) / DAY_S


def flow_time(timeline: ItemTimeline, window: Window,
              levels: Sequence[float] = FLOW_PERCENTILES) -> FlowTime:
    """Median / 85th / 95th percentile flow time of items completed in the window."""
    values = flow_times_days(timeline, completed_in(timeline, window))
    return FlowTime(int(values.size), flow_percentiles(values, levels),
                    float(values.mean()) if values.size else None)


def wip_series(timeline: ItemTimeline, instants: np.ndarray) -> np.ndarray:
    """WIP (items in an active or waiting state) at each sorted instant (epoch s)."""
    weights = timeline.is_started_status().astype(float)
    return np.rint(counts_at(timeline, np.asarray(instants, np.int64), weights)).astype(int)


def flow_load(timeline: ItemTimeline, window: Window) -> FlowLoad:
    """WIP at the window's end and at the end of each of its local days."""
    weights = timeline.is_started_status().astype(float)
    wip = np.rint(counts_at(timeline, window.day_ends(), weights,
                            slot=window.day_slots(timeline.ev_at))).astype(int)
    return FlowLoad(int(wip[-1]), to_dates(window.days()), tuple(wip.tolist()))


def active_seconds(timeline: ItemTimeline, mask: np.ndarray) -> np.ndarray:
    """Seconds each masked (done) item spent in active states between start and done."""
    ev = mask[timeline.ev_item] & (timeline.ev_category == Category.ACTIVE)
    owner = timeline.ev_item[ev]
    lo = np.maximum(timeline.ev_at[ev], timeline.start[owner])
    hi = np.minimum(timeline.ev_next_at[ev], timeline.done[owner])
    spent = np.clip(hi - lo, 0, None).astype(float)
    per_item = np.bincount(owner, weights=spent, minlength=timeline.items.size)
    return per_item[mask]


def flow_efficiency(timeline: ItemTimeline, window: Window) -> FlowEfficiency:
    """Active time / flow time of items completed in the window; waiting and not-started
    time is inactive. Items with zero flow time are left out."""
    mask = completed_in(timeline, window)
    total = (timeline.done[mask] - timeline.start[mask]).astype(float)
    active = active_seconds(timeline, mask)
    timed = total > 0
    if not timed.any():
        return FlowEfficiency(None, None, 0)
    ratios = active[timed] / total[timed]
    return FlowEfficiency(float(active[timed].sum() / total[timed].sum()),
                          float(np.median(ratios)), int(timed.sum()))


def in_progress_at(timeline: ItemTimeline, t: int) -> np.ndarray:
    """Item mask: in an active or waiting state at instant `t`."""
    owners, statuses = status_at(timeline, t)
    mask = np.zeros(timeline.items.size, dtype=bool)
    mask[owners[timeline.is_started_status()[statuses]]] = True
    return mask


def flow_distribution(timeline: ItemTimeline, window: Window) -> FlowDistribution:
    """Work-type shares among items completed in the window and in progress at its end."""
    done_counts = _type_counts(timeline, completed_in(timeline, window))
    wip_counts = _type_counts(timeline, in_progress_at(timeline, window.end - 1))
    return FlowDistribution(_shares(done_counts), done_counts, _shares(wip_counts), wip_counts)


def _type_counts(timeline: ItemTimeline, mask: np.ndarray) -> dict[str, int]:
    names = (*timeline.work_type_names, UNSPECIFIED)
    codes = timeline.work_type[mask]
    codes = np.where(codes < 0, len(names) - 1, codes)
    counts = np.bincount(codes, minlength=len(names))
    return {name: int(c) for name, c in zip(names, counts, strict=True) if c}


def _shares(counts: dict[str, int]) -> dict[str, float]:
    total = sum(counts.values())
    return {k: v / total for k, v in counts.items()} if total else {}
