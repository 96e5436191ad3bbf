"""Flow metrics on small hand-computed histories (DOMAIN.md, Flow metrics)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import numpy as np
import pytest

from trainmaster.analytics.flow import (
    Window,
    compute_flow_metrics,
    flow_efficiency,
    flow_load,
    flow_time,
    flow_velocity,
)
from trainmaster.analytics.flow_history import StatusHistory, local_days
from trainmaster.analytics.flow_timeline import build_timeline
from trainmaster.analytics.flow_workflow import Category, WorkflowMapping, default_mapping
from trainmaster.domain.errors import Invalid

JAN = date(2024, 1, 1)


def at(day: int, hour: int = 9, month: int = 1) -> datetime:
    return datetime(2024, month, day, hour, tzinfo=UTC)


def make_history(rows: list[tuple[int, str, datetime]], types: dict[int, str] | None = None,
                 points: dict[int, float] | None = None) -> StatusHistory:
    return StatusHistory.from_changes(
        [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows],
        None if types is None else [types[r[0]] for r in rows],
        None if points is None else [points[r[0]] for r in rows])


# 1 blocked once; 2 skips the started states; 3 is reopened and done again; 4 never starts;
# 5 starts straight in review and stays; 6 is created done.
ROWS = [
    (1, "To Do", at(1)), (1, "In Progress", at(2)), (1, "Blocked", at(3)),
    (1, "In Progress", at(4)), (1, "Done", at(6)),
    (2, "To Do", at(1)), (2, "Done", at(3)),
    (3, "To Do", at(2)), (3, "In Progress", at(3)), (3, "Done", at(5)),
    (3, "Reopened", at(7)), (3, "In Progress", at(8)), (3, "Done", at(10)),
    (4, "To Do", at(2)),
    (5, "In Review", at(9)),
    (6, "Done", at(15)),
]
TYPES = {1: "business", 2: "defect", 3: "business", 4: "enabler", 5: "enabler", 6: "defect"}
POINTS = {1: 3, 2: 1, 3: 5, 4: 8, 5: 2, 6: 1}
HISTORY = make_history(ROWS, TYPES, POINTS)


def january(tz: str = "UTC") -> Window:
    return Window.of(JAN, date(2024, 1, 31), tz)


def timeline():
    return build_timeline(HISTORY, default_mapping())


def test_flow_time_runs_from_first_start_to_first_done_for_reopened_items():
    tl = timeline()
    start = dict(zip(tl.items.tolist(), tl.start.tolist(), strict=True))
    done = dict(zip(tl.items.tolist(), tl.done.tolist(), strict=True))
    assert (done[3] - start[3]) / 86_400 == 2.0  # 01-03 -> 01-05, not the second done


def test_flow_time_percentiles_interpolate_over_completed_items():
    result = flow_time(timeline(), january())
    # completed: 1 (4 d), 2 (0 d, skipped), 3 (2 d), 6 (0 d, created done); 4 and 5 are not
    assert result.count == 4
    assert result.percentiles == {50: 1.0, 85: pytest.approx(3.1), 95: pytest.approx(3.7)}
    assert result.mean == 1.5


def test_item_done_before_its_first_start_has_zero_flow_time():
    rows = [(7, "To Do", at(1)), (7, "Done", at(3)), (7, "Reopened", at(4)),
            (7, "In Progress", at(5)), (7, "Done", at(6))]
    result = flow_time(build_timeline(make_history(rows), default_mapping()), january())
    assert result.percentiles[50] == 0.0


def test_never_started_items_have_no_flow_time_and_no_wip():
    rows = [(4, "To Do", at(2)), (8, "Backlog", at(3))]
    tl = build_timeline(make_history(rows), default_mapping())
    assert flow_time(tl, january()).count == 0
    assert flow_load(tl, january()).at_end == 0


def test_velocity_counts_each_item_once_at_its_first_done_per_week():
    result = flow_velocity(timeline(), january(), "week")
    assert result.starts == tuple(JAN + timedelta(days=7 * k) for k in range(5))
    assert result.counts == (3, 0, 1, 0, 0)
    assert result.total == 4


def test_velocity_per_day_and_per_iteration():
    tl = timeline()
    daily = flow_velocity(tl, january(), "day")
    assert len(daily.counts) == 31
    assert [daily.counts[d - 1] for d in (3, 5, 6, 15)] == [1, 1, 1, 1]
    assert flow_velocity(tl, january(), "iteration").counts == (3, 1, 0)
    custom = flow_velocity(tl, january(), "iteration", [date(2024, 1, 4), date(2024, 1, 18)])
    assert custom.counts == (3, 0)  # item 2, done on 01-03, precedes the first iteration


def test_velocity_refuses_an_unknown_bucket():
    with pytest.raises(Invalid):
        flow_velocity(timeline(), january(), "month")  # type: ignore[arg-type]


def test_flow_load_counts_active_and_waiting_items_at_each_day_end():
    load = flow_load(timeline(), january())
    assert load.wip[:10] == (0, 1, 2, 2, 1, 0, 0, 1, 2, 1)
    assert load.at_end == 1
    assert load.days[0] == JAN and len(load.days) == 31


def test_flow_efficiency_is_active_time_over_flow_time():
    result = flow_efficiency(timeline(), january())
    # item 1: 3 of 4 days active (one blocked); item 3: 2 of 2; zero-time items left out
    assert result.value == pytest.approx(5 / 6)
    assert result.median_item == pytest.approx(0.875)
    assert result.items == 2


def test_flow_distribution_shares_work_types_completed_and_in_progress():
    report = compute_flow_metrics(HISTORY, default_mapping(), JAN, date(2024, 1, 31))
    dist = report.overall.distribution
    assert dist.completed == {"business": 0.5, "defect": 0.5}
    assert dist.completed_counts == {"business": 2, "defect": 2}
    assert dist.in_progress == {"enabler": 1.0}


def test_distribution_without_work_types_is_unspecified():
    history = make_history([(1, "In Progress", at(2)), (1, "Done", at(3))])
    report = compute_flow_metrics(history, default_mapping(), JAN, date(2024, 1, 31))
    assert report.overall.distribution.completed == {"unspecified": 1.0}


def test_groups_split_metrics_per_team():
    team = np.array(["A" if r[0] <= 3 else "B" for r in ROWS])
    report = compute_flow_metrics(HISTORY, default_mapping(), JAN, date(2024, 1, 31),
                                  group=team)
    assert set(report.groups) == {"A", "B"}
    assert report.groups["A"].flow_time.percentiles[50] == 2.0
    assert report.groups["B"].flow_time.count == 1
    assert report.groups["A"].load.at_end == 0 and report.groups["B"].load.at_end == 1
    assert report.groups["A"].items + report.groups["B"].items == report.overall.items == 6


def test_group_needs_one_key_per_change():
    with pytest.raises(Invalid):
        compute_flow_metrics(HISTORY, default_mapping(), JAN, date(2024, 1, 31),
                             group=np.array([1, 2]))


def test_window_of_datetimes_is_half_open():
    tl = timeline()
    window = Window.of(at(3), at(6), "UTC")  # item 1 finishes exactly at the end: outside
    assert flow_velocity(tl, window, "day").total == 2


def test_day_buckets_follow_the_time_zone():
    late = datetime(2024, 1, 10, 23, 30, tzinfo=UTC)  # 11 January in Berlin
    history = make_history([(1, "In Progress", at(9)), (1, "Done", late)])
    tl = build_timeline(history, default_mapping())
    utc = flow_velocity(tl, january("UTC"), "day")
    berlin = flow_velocity(tl, january("Europe/Berlin"), "day")
    assert utc.counts[9] == 1 and berlin.counts[10] == 1


def test_aware_inputs_in_any_zone_are_stored_in_utc():
    plus_two = timezone(timedelta(hours=2))
    history = make_history([(1, "In Progress", datetime(2024, 1, 2, 11, tzinfo=plus_two))])
    assert history.at[0] == np.datetime64("2024-01-02T09:00:00")


def test_naive_datetimes_are_refused():
    with pytest.raises(Invalid):
        make_history([(1, "In Progress", datetime(2024, 1, 2, 9))])


def test_local_days_cross_a_daylight_saving_switch():
    # New York springs forward on 2024-03-10 at 07:00 UTC
    instants = np.array([np.datetime64("2024-03-10T06:59:59"), np.datetime64("2024-03-11T03:30"),
                         np.datetime64("2024-03-11T04:30")]).astype("datetime64[s]")
    days = local_days(instants.astype(np.int64), "America/New_York").astype("datetime64[D]")
    assert [str(d) for d in days] == ["2024-03-10", "2024-03-10", "2024-03-11"]


def test_a_local_day_with_a_daylight_saving_switch_lasts_23_hours():
    window = Window.of(date(2024, 3, 10), date(2024, 3, 10), "America/New_York")
    assert window.end - window.start == 23 * 3600


def test_unknown_time_zone_is_refused():
    with pytest.raises(Invalid):
        Window.of(JAN, date(2024, 1, 2), "Mars/Olympus")


def test_history_columns_must_have_equal_lengths():
    with pytest.raises(Invalid):
        StatusHistory(np.array([1, 2]), np.array([0]), np.array(["2024-01-01"], "datetime64[s]"),
                      ("To Do",))


def test_status_codes_must_index_the_names():
    with pytest.raises(Invalid):
        StatusHistory(np.array([1]), np.array([3]), np.array(["2024-01-01"], "datetime64[s]"),
                      ("To Do",))


def test_mapping_matches_names_loosely_and_leaves_unknown_statuses_not_started():
    mapping = default_mapping()
    assert mapping.category("IN_PROGRESS") is Category.ACTIVE
    assert mapping.category("ready-for-test") is Category.WAITING
    assert mapping.category("Validating on staging") is Category.ACTIVE
    assert mapping.category("Won't Do") is Category.NOT_STARTED


def test_custom_mapping_accepts_started_as_active():
    mapping = WorkflowMapping.from_names({"Doing": "started", "Parked": "waiting",
                                          "Shipped": "done"})
    assert mapping.category("doing") is Category.ACTIVE
    assert mapping.category("Shipped") is Category.DONE
    with pytest.raises(Invalid):
        WorkflowMapping.from_names({"Doing": "busy"})


def test_window_end_must_follow_its_start():
    with pytest.raises(Invalid):
        Window.of(date(2024, 2, 1), JAN, "UTC")
