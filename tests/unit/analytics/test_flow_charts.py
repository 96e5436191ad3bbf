"""Chart data on the hand-computed history of test_flow: CFD, scatter, aging, burn-up."""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import pytest

from tests.unit.analytics.test_flow import HISTORY, JAN, january, make_history, timeline
from trainmaster.analytics.cfd import (
    aging_wip,
    burn_up,
    cumulative_flow,
    flow_time_scatter,
    throughput_histogram,
    throughput_per_day,
)
from trainmaster.analytics.flow import Window
from trainmaster.analytics.flow_timeline import build_timeline
from trainmaster.analytics.flow_workflow import default_mapping
from trainmaster.domain.errors import Invalid


def test_cfd_counts_items_per_category_at_each_day_end():
    cfd = cumulative_flow(timeline(), january())
    assert cfd.bands == ("not_started", "active", "waiting", "done")
    first_ten = cfd.counts[:, :10].T.tolist()
    assert first_ten == [
        [2, 0, 0, 0], [3, 1, 0, 0], [1, 1, 1, 1], [1, 2, 0, 1], [1, 1, 0, 2],
        [1, 0, 0, 3], [2, 0, 0, 2], [1, 1, 0, 2], [1, 2, 0, 2], [1, 1, 0, 3],
    ]
    assert cfd.counts[:, 14].tolist() == [1, 1, 0, 4]  # item 6 arrives done on 01-15


def test_cfd_by_status_orders_bands_by_workflow():
    cfd = cumulative_flow(timeline(), january(), by="status")
    assert cfd.bands == ("To Do", "In Progress", "Blocked", "In Review", "Reopened", "Done")
    day7 = dict(zip(cfd.bands, cfd.counts[:, 6].tolist(), strict=True))
    assert day7 == {"To Do": 1, "In Progress": 0, "Blocked": 0, "In Review": 0,
                    "Reopened": 1, "Done": 2}


def test_cfd_refuses_an_unknown_band_kind():
    with pytest.raises(Invalid):
        cumulative_flow(timeline(), january(), by="team")  # type: ignore[arg-type]


def test_changes_before_the_window_set_its_first_day():
    window = Window.of(date(2024, 1, 8), date(2024, 1, 9), "UTC")
    cfd = cumulative_flow(timeline(), window)
    assert cfd.counts[:, 0].tolist() == [1, 1, 0, 2]


def test_scatter_has_one_point_per_completed_item_and_percentile_lines():
    scatter = flow_time_scatter(timeline(), january())
    points = dict(zip(scatter.item_ids.tolist(), scatter.flow_days.tolist(), strict=True))
    assert points == {1: 4.0, 2: 0.0, 3: 2.0, 6: 0.0}
    assert str(scatter.done_days[scatter.item_ids == 3][0]) == "2024-01-05"
    assert scatter.percentiles[50] == 1.0


def test_aging_wip_compares_ages_with_recent_flow_time_percentiles():
    aging = aging_wip(timeline(), datetime(2024, 1, 12, tzinfo=UTC))
    assert aging.item_ids.tolist() == [5]
    assert aging.statuses == ("In Review",)
    assert aging.ages_days.tolist() == [2.625]
    assert aging.percentiles == {50: 2.0, 85: pytest.approx(3.4), 95: pytest.approx(3.8)}
    assert aging.beyond.tolist() == [50]


def test_aging_wip_takes_given_reference_lines():
    aging = aging_wip(timeline(), date(2024, 1, 20), reference={50: 5.0, 85: 10.0, 95: 20.0})
    assert aging.ages_days.tolist() == [11.625]  # the end of 20 January
    assert aging.beyond.tolist() == [85]


def test_burn_up_in_items_and_points():
    items = burn_up(timeline(), january())
    assert items.scope[:3] == (2.0, 4.0, 4.0) and items.scope[14] == 6.0
    assert items.done[:10] == (0, 0, 1, 1, 2, 3, 2, 2, 2, 3)
    points = burn_up(timeline(), january(), unit="points")
    assert points.scope[14] == 20.0 and points.done[14] == 10.0


def test_burn_up_counts_missing_points_as_zero():
    history = make_history([(1, "Done", datetime(2024, 1, 2, tzinfo=UTC))], points={1: None})
    result = burn_up(build_timeline(history, default_mapping()), january(), unit="points")
    assert result.scope[-1] == 0.0


def test_throughput_histogram_counts_zero_days():
    hist = throughput_histogram(timeline(), january())
    assert hist.per_day == (0, 1) and hist.days == (27, 4)
    first, per_day = throughput_per_day(timeline(), january())
    assert per_day.sum() == 4 and np.flatnonzero(per_day).tolist() == [2, 4, 5, 14]
    assert first == (JAN - date(1970, 1, 1)).days


def test_history_subset_keeps_code_tables():
    sub = HISTORY.subset(HISTORY.item_ids == 5)
    assert sub.status_names == HISTORY.status_names and sub.item_ids.tolist() == [5]
