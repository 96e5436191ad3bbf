"""Monte Carlo forecasts (DOMAIN.md, Forecasting): exact cases, seeds, both methods."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainmaster.analytics.forecast import (
    Method,
    Sampler,
    ThroughputHistory,
    forecast_how_many,
    forecast_when,
    likelihood_by,
)
from trainmaster.analytics.percentiles import at_least_percentiles, finish_day_percentiles
from trainmaster.domain.errors import Invalid

START = date(2024, 1, 1)
METHODS = [Method.TEXTBOOK, Method.MIXED_WINDOWS]


def history(counts: list[int]) -> ThroughputHistory:
    return ThroughputHistory(START, np.array(counts, dtype=np.int64))


@pytest.mark.parametrize("method", METHODS)
def test_constant_throughput_gives_certain_answers(method):
    steady = history([2] * 120)
    when = forecast_when(steady, 10, trials=500, seed=1, method=method)
    assert when.days == {50: 5, 85: 5, 95: 5}
    assert when.start == date(2024, 4, 30)  # the day after the history
    assert when.percentiles[95] == date(2024, 5, 4)
    how_many = forecast_how_many(steady, 14, trials=500, seed=1, method=method)
    assert how_many.percentiles == {50: 28, 85: 28, 95: 28}
    assert how_many.end == date(2024, 5, 13)


def test_textbook_when_follows_the_geometric_law_on_alternating_days():
    # a day finishes one item with probability 1/2: P(done by day k) = 1 - 2^-k
    alternating = history([0, 1] * 45)
    when = forecast_when(alternating, 1, trials=20_000, seed=3, method="textbook")
    assert when.days == {50: 1, 85: 3, 95: 5}


def test_textbook_samples_the_last_window_days_only():
    old_then_idle = history([5] * 200 + [0] * 89 + [1])
    when = forecast_when(old_then_idle, 3, trials=2000, seed=1, method="textbook")
    assert when.sample.start == START + timedelta(days=200) and when.sample.days == 90
    assert when.days[50] > 90  # the busy old days are outside the 90-day window
    assert forecast_when(old_then_idle, 3, trials=2000, seed=1, method="textbook",
                         window_days=290).days[50] < 5


def test_mixed_windows_reach_back_to_the_latest_completion():
    rng = np.random.default_rng(0)
    sampler = Sampler(np.array([1] + [0] * 400), Method.MIXED_WINDOWS, 1000, rng)
    assert sampler.widths.min() == 401 and not sampler.empty.any()


def test_mixed_windows_span_whole_weeks_up_to_eight_years():
    rng = np.random.default_rng(0)
    sampler = Sampler(np.ones(3000, dtype=np.int64), Method.MIXED_WINDOWS, 5000, rng)
    assert (sampler.widths % 7 == 0).all()
    assert sampler.widths.min() == 7 and sampler.widths.max() <= 2926
    assert 0.3 < np.mean(sampler.widths <= 90) < 0.6  # log-uniform: short windows are common


def test_mixed_windows_spread_wider_than_textbook_after_a_regime_change():
    changed = history([8] * 300 + [2] * 90)
    textbook = forecast_how_many(changed, 30, trials=4000, seed=2, method="textbook")
    mixed = forecast_how_many(changed, 30, trials=4000, seed=2, method="mixed-windows")
    assert textbook.percentiles[50] == 60
    assert np.percentile(mixed.totals, 90) > 100  # some trials expect the old pace back
    assert mixed.totals.std() > textbook.totals.std()


@pytest.mark.parametrize("method", METHODS)
def test_same_seed_same_forecast(method):
    noisy = history(np.random.default_rng(5).poisson(3, 200).tolist())
    a = forecast_when(noisy, 150, trials=3000, seed=42, method=method)
    b = forecast_when(noisy, 150, trials=3000, seed=42, method=method)
    c = forecast_when(noisy, 150, trials=3000, seed=43, method=method)
    assert a.percentiles == b.percentiles
    assert np.array_equal(a.finish_days, b.finish_days)
    assert not np.array_equal(a.finish_days, c.finish_days)


def test_a_history_without_completions_never_finishes():
    idle = history([0] * 100)
    when = forecast_when(idle, 5, trials=200, seed=1)
    assert when.percentiles == {50: None, 85: None, 95: None}
    assert forecast_how_many(idle, 10, trials=200, seed=1).percentiles[50] == 0


def test_trials_beyond_max_days_count_as_unfinished():
    slow = history([1] + [0] * 99)
    when = forecast_when(slow, 50, trials=500, seed=1, method="textbook", max_days=365)
    assert when.percentiles[50] is None
    assert (when.finish_days == 0).all()


def test_likelihood_by_a_date():
    steady = history([1] * 90)
    assert likelihood_by(steady, 10, date(2024, 4, 9), trials=300, seed=1).likelihood == 1.0
    assert likelihood_by(steady, 10, date(2024, 4, 8), trials=300, seed=1).likelihood == 0.0
    half = likelihood_by(history([0, 1] * 45), 1, date(2024, 3, 31), trials=20_000, seed=1,
                         method="textbook")
    assert half.likelihood == pytest.approx(0.5, abs=0.02)


def test_forecast_states_its_sample_and_trials():
    when = forecast_when(history([1, 2, 0] * 40), 20, trials=1234, seed=9)
    assert when.trials == 1234 and when.seed == 9 and when.remaining == 20
    assert when.sample.method == "mixed-windows" and when.sample.end == date(2024, 4, 29)
    assert when.finish_days.shape == (1234,)


def test_from_dates_counts_zero_days():
    dates = np.array(["2024-01-01", "2024-01-01", "2024-01-04"], dtype="datetime64[D]")
    th = ThroughputHistory.from_dates(dates)
    assert th.counts.tolist() == [2, 0, 0, 1] and th.last_day == date(2024, 1, 4)
    padded = ThroughputHistory.from_dates(dates, last_day=date(2024, 1, 6))
    assert padded.counts.tolist() == [2, 0, 0, 1, 0, 0]


@pytest.mark.parametrize("call", [
    lambda h: forecast_when(h, 0),
    lambda h: forecast_how_many(h, 0),
    lambda h: forecast_when(h, 5, method="magic"),
    lambda h: forecast_when(h, 5, trials=0),
    lambda h: likelihood_by(h, 5, date(2023, 1, 1)),
])
def test_bad_input_is_refused(call):
    with pytest.raises(Invalid):
        call(history([1] * 10))


def test_throughput_must_be_whole_non_negative_counts():
    with pytest.raises(Invalid):
        ThroughputHistory(START, np.array([1, -1]))
    with pytest.raises(Invalid):
        ThroughputHistory(START, np.array([]))


def test_percentile_conventions_never_interpolate():
    totals = np.arange(1, 101)  # 1..100
    assert at_least_percentiles(totals, [50, 85, 95]) == {50: 51, 85: 16, 95: 6}
    days = np.array([3, 1, 2, 0])  # one trial never finished
    assert finish_day_percentiles(days, [50, 75, 95]) == {50: 2, 75: 3, 95: None}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=5, max_size=120), st.integers(1, 60),
       st.sampled_from(METHODS), st.integers(0, 2**16))
def test_likelier_answers_are_never_more_ambitious(counts, remaining, method, seed):
    th = history(counts)
    when = forecast_when(th, remaining, trials=300, seed=seed, method=method)
    dates = [when.percentiles[p] for p in (50, 85, 95)]
    if all(d is not None for d in dates):
        assert dates[0] <= dates[1] <= dates[2]
    many = forecast_how_many(th, 20, trials=300, seed=seed, method=method).percentiles
    assert many[50] >= many[85] >= many[95] >= 0
