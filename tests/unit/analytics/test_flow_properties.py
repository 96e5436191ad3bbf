"""Properties of flow metrics on random histories, checked against a per-item reference."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from trainmaster.analytics.cfd import burn_up, cumulative_flow, flow_time_scatter
from trainmaster.analytics.flow import (
    Window,
    active_seconds,
    completed_in,
    flow_efficiency,
    flow_load,
    flow_time,
    flow_velocity,
)
from trainmaster.analytics.flow_history import StatusHistory, day_starts, utc_offsets
from trainmaster.analytics.flow_timeline import build_timeline
from trainmaster.analytics.flow_workflow import Category, default_mapping

STATUSES = ["To Do", "In Progress", "Blocked", "In Review", "Done", "Reopened", "Parked"]
T0 = datetime(2024, 3, 1, tzinfo=UTC)
ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"]

changes = st.lists(st.tuples(st.integers(0, 11), st.sampled_from(STATUSES),
                             st.integers(0, 30 * 24 * 60)), min_size=1, max_size=60)


def build(rows: list[tuple[int, str, int]]) -> StatusHistory:
    return StatusHistory.from_changes([r[0] for r in rows], [r[1] for r in rows],
                                      [T0 + timedelta(minutes=r[2]) for r in rows])


def window(tz: str) -> Window:
    return Window.of(date(2024, 3, 3), date(2024, 3, 25), tz)


def reference_items(rows: list[tuple[int, str, int]]) -> dict[int, tuple[float, float]]:
    """Per item, looping over its changes: (first start, first done) in minutes."""
    mapping = default_mapping()
    out = {}
    for item in {r[0] for r in rows}:
        mine = sorted((r for r in rows if r[0] == item), key=lambda r: r[2])
        start = done = float("inf")
        for _, status, minute in mine:
            category = mapping.category(status)
            if category in (Category.ACTIVE, Category.WAITING):
                start = min(start, minute)
            if category is Category.DONE:
                done = min(done, minute)
        out[item] = (min(start, done), done)
    return out


@settings(max_examples=60, deadline=None)
@given(changes, st.sampled_from(ZONES))
def test_cfd_bands_are_never_negative_and_sum_to_existing_items(rows, tz):
    tl = build_timeline(build(rows), default_mapping())
    w = window(tz)
    cfd = cumulative_flow(tl, w)
    assert (cfd.counts >= 0).all()
    days = np.arange(w.first_day, w.last_day + 1)
    ends = np.minimum(day_starts(days + 1, tz), w.end) - 1
    existing = (tl.first_seen[None, :] <= ends[:, None]).sum(axis=1)
    assert (cfd.counts.sum(axis=0) == existing).all()
    by_status = cumulative_flow(tl, w, by="status")
    assert (by_status.counts >= 0).all()
    assert (by_status.counts.sum(axis=0) == cfd.counts.sum(axis=0)).all()


@settings(max_examples=60, deadline=None)
@given(changes, st.sampled_from(ZONES))
def test_wip_is_the_active_and_waiting_bands_and_burn_up_done_the_done_band(rows, tz):
    tl = build_timeline(build(rows), default_mapping())
    cfd = cumulative_flow(tl, window(tz))
    load = flow_load(tl, window(tz))
    assert list(load.wip) == (cfd.counts[1] + cfd.counts[2]).tolist()
    burn = burn_up(tl, window(tz))
    assert list(burn.done) == cfd.counts[3].tolist()
    assert list(burn.scope) == cfd.counts.sum(axis=0).tolist()


@settings(max_examples=60, deadline=None)
@given(changes)
def test_flow_times_match_a_per_item_reference_and_are_never_negative(rows):
    tl = build_timeline(build(rows), default_mapping())
    w = window("UTC")
    scatter = flow_time_scatter(tl, w)
    ref = reference_items(rows)
    lo = (w.start - int(T0.timestamp())) / 60
    hi = (w.end - int(T0.timestamp())) / 60
    expected = {i: (d - s) / 1440 for i, (s, d) in ref.items() if lo <= d < hi}
    got = dict(zip(scatter.item_ids.tolist(), scatter.flow_days.tolist(), strict=True))
    assert got.keys() == expected.keys()
    assert all(abs(got[i] - expected[i]) < 1e-9 for i in got)
    assert (scatter.flow_days >= 0).all()
    assert flow_velocity(tl, w, "day").total == len(expected)


@settings(max_examples=60, deadline=None)
@given(changes)
def test_percentiles_are_ordered_and_efficiency_lies_between_zero_and_one(rows):
    tl = build_timeline(build(rows), default_mapping())
    w = window("UTC")
    p = flow_time(tl, w).percentiles
    if p[50] is not None:
        assert p[50] <= p[85] <= p[95]
    eff = flow_efficiency(tl, w)
    if eff.value is not None:
        assert 0.0 <= eff.value <= 1.0 and 0.0 <= eff.median_item <= 1.0
    mask = completed_in(tl, w)
    spent = active_seconds(tl, mask)
    assert (spent >= 0).all()
    assert (spent <= tl.done[mask] - tl.start[mask]).all()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(946_684_800, 1_893_456_000), min_size=1, max_size=50),
       st.sampled_from(ZONES + ["Australia/Lord_Howe", "Pacific/Apia"]))
def test_vectorised_utc_offsets_match_zoneinfo(instants, tz):
    expected = [int(datetime.fromtimestamp(t, tz=ZoneInfo(tz)).utcoffset().total_seconds())
                for t in instants]
    assert utc_offsets(np.array(instants), tz).tolist() == expected
