"""Per-item first entries and per-change segments, computed once per history and mapping.

Conventions (DOMAIN.md, Flow metrics):
- *start* is an item's first entry into a started (active or waiting) state, *done* its
  first entry into a done state; a reopened item keeps its first entries.
- An item that reaches done without passing a started state (skipped states) starts when
  it is done, so its flow time is 0; likewise `start` never lies after `done`.
- An item's state at an instant is its latest change at or before that instant; changes
  at the same second apply in input order. Before its first change an item does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trainmaster.analytics.flow_history import NEVER, StatusHistory
from trainmaster.analytics.flow_workflow import Category, WorkflowMapping


@dataclass(frozen=True, eq=False)
class ItemTimeline:
    """Item-level arrays (index = position in `items`) and change-level arrays sorted by
    item then time. Times are int64 epoch seconds; NEVER marks "not reached"."""

    items: np.ndarray
    first_seen: np.ndarray
    start: np.ndarray
    done: np.ndarray
    work_type: np.ndarray
    points: np.ndarray
    group: np.ndarray | None
    ev_item: np.ndarray
    ev_at: np.ndarray
    ev_status: np.ndarray
    ev_prev_status: np.ndarray
    ev_next_at: np.ndarray
    category_of_status: np.ndarray
    status_names: tuple[str, ...]
    work_type_names: tuple[str, ...]
    mapping: WorkflowMapping

    @property
    def ev_category(self) -> np.ndarray:
        return self.category_of_status[self.ev_status]

    def is_started_status(self) -> np.ndarray:
        """Per status code: True for active or waiting."""
        cat = self.category_of_status
        return (cat == Category.ACTIVE) | (cat == Category.WAITING)

    def subset(self, keep: np.ndarray) -> ItemTimeline:
        """The timeline of the items where `keep` (item-level bool) is true."""
        ev_keep = keep[self.ev_item]
        new_index = np.cumsum(keep) - 1
        return ItemTimeline(
            items=self.items[keep], first_seen=self.first_seen[keep], start=self.start[keep],
            done=self.done[keep], work_type=self.work_type[keep], points=self.points[keep],
            group=None if self.group is None else self.group[keep],
            ev_item=new_index[self.ev_item[ev_keep]], ev_at=self.ev_at[ev_keep],
            ev_status=self.ev_status[ev_keep], ev_prev_status=self.ev_prev_status[ev_keep],
            ev_next_at=self.ev_next_at[ev_keep], category_of_status=self.category_of_status,
            status_names=self.status_names, work_type_names=self.work_type_names,
            mapping=self.mapping)


def build_timeline(history: StatusHistory, mapping: WorkflowMapping,
                   group: np.ndarray | None = None) -> ItemTimeline:
    """Sort the changes and derive each item's first entries; `group` is per change."""
    seconds = history.seconds
    order = _item_time_order(history.item_ids, seconds)
    ids, at = history.item_ids[order], seconds[order]
    status = np.asarray(history.statuses, dtype=np.int64)[order]
    n = ids.size
    is_first = np.ones(n, dtype=bool)
    is_first[1:] = ids[1:] != ids[:-1]
    is_last = np.ones(n, dtype=bool)
    is_last[:-1] = is_first[1:]
    heads, tails = np.flatnonzero(is_first), np.flatnonzero(is_last)
    cat_of_status = mapping.codes(history.status_names)
    cat = cat_of_status[status]
    started = (cat == Category.ACTIVE) | (cat == Category.WAITING)
    first_start = _first(np.where(started, at, NEVER), heads)
    done = _first(np.where(cat == Category.DONE, at, NEVER), heads)
    next_at = np.full(n, NEVER, dtype=np.int64)
    next_at[:-1] = at[1:]
    next_at[is_last] = NEVER
    prev_status = np.full(n, -1, dtype=np.int64)
    prev_status[1:] = status[:-1]
    prev_status[is_first] = -1
    return ItemTimeline(
        items=ids[heads], first_seen=at[heads], start=np.minimum(first_start, done), done=done,
        work_type=_latest(history.work_types, order[tails], -1).astype(np.int64),
        points=_latest(history.points, order[tails], np.nan).astype(float),
        group=None if group is None else np.asarray(group)[order[tails]],
        ev_item=np.cumsum(is_first) - 1, ev_at=at, ev_status=status,
        ev_prev_status=prev_status, ev_next_at=next_at, category_of_status=cat_of_status,
        status_names=history.status_names, work_type_names=history.work_type_names,
        mapping=mapping)


def _item_time_order(item_ids: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    """Indexes sorting by item then time; ties keep input order. One stable sort of a
    combined int64 key (fast when the input is already grouped, as from a database)."""
    if item_ids.size == 0:
        return np.zeros(0, dtype=np.int64)
    t = seconds - seconds.min()
    span = int(t.max()) + 1
    ids = item_ids - item_ids.min()
    if int(ids.max()) >= (1 << 62) // span:  # sparse ids: rank them first
        ids = np.unique(item_ids, return_inverse=True)[1].astype(np.int64)
    if int(ids.max()) >= (1 << 62) // span:
        return np.lexsort((seconds, item_ids))
    return np.argsort(ids * span + t, kind="stable")


def _first(values: np.ndarray, heads: np.ndarray) -> np.ndarray:
    if values.size == 0:
        return np.zeros(0, dtype=np.int64)
    return np.minimum.reduceat(values, heads)


def _latest(column: np.ndarray | None, rows: np.ndarray, missing: float) -> np.ndarray:
    if column is None:
        return np.full(rows.size, missing)
    return np.asarray(column)[rows]


def status_at(timeline: ItemTimeline, t: int) -> tuple[np.ndarray, np.ndarray]:
    """(item indexes, status codes) of the items that exist at instant `t` (epoch s)."""
    positions = np.flatnonzero(timeline.ev_at <= t)
    owners = timeline.ev_item[positions]
    last = np.ones(positions.size, dtype=bool)
    last[:-1] = owners[1:] != owners[:-1]
    return owners[last], timeline.ev_status[positions[last]]


def counts_at(timeline: ItemTimeline, instants: np.ndarray, weight_of_status: np.ndarray,
              item_weight: np.ndarray | None = None, slot: np.ndarray | None = None
              ) -> np.ndarray:
    """Σ weight of each item's current status at each sorted instant (changes at <= t).

    Built from +/- deltas at each change, so a series of N instants costs O(changes + N).
    `slot` (per change: index of the first instant at or after it) may be given.
    """
    if slot is None:
        slot = np.searchsorted(instants, timeline.ev_at, side="left")
    weight_or_none = np.append(weight_of_status.astype(float), 0.0)  # index -1: no previous
    delta = weight_or_none[timeline.ev_status] - weight_or_none[timeline.ev_prev_status]
    if item_weight is not None:
        delta = delta * item_weight[timeline.ev_item]
    sums = np.bincount(slot, weights=delta, minlength=instants.size + 1)[: instants.size]
    return np.cumsum(sums)
