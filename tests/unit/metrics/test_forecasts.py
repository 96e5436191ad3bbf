from datetime import date

import numpy as np
import pytest

from tests.factories import make_feature
from tests.unit.metrics.conftest import NOW, add_story
from trainmaster.analytics.forecast import ThroughputHistory
from trainmaster.domain.access import SYSTEM
from trainmaster.domain.errors import Invalid, NotFound
from trainmaster.services import forecasts


def forecast(uow, **kw):
    return forecasts.forecast_remaining(uow, SYSTEM, at=NOW, trials=2_000, **kw)


def test_rest_of_pi_scope_counts_stories_not_done(uow, train):
    f = forecast(uow, pi_id=train["pi"])
    assert (f.total, f.done, f.remaining) == (14, 6, 8)
    assert f.deadline == date(2027, 1, 10) and f.start == date(2026, 11, 24)


def test_forecast_states_sample_trials_percentiles_and_method(uow, train):
    f = forecast(uow, pi_id=train["pi"])
    assert f.when.trials == 2_000 and f.when.sample.method == "mixed-windows"
    assert set(f.when.percentiles) == {50, 85, 95}
    assert f.when.percentiles[50] <= f.when.percentiles[85] <= f.when.percentiles[95]
    assert 0.0 <= f.likelihood <= 1.0
    assert f.how_many.percentiles[85] <= f.how_many.percentiles[50]


def test_same_seed_same_forecast(uow, train):
    a, b = (forecast(uow, pi_id=train["pi"], seed=5) for _ in range(2))
    assert a.when.percentiles == b.when.percentiles and a.likelihood == b.likelihood


def test_a_steady_train_is_very_likely_to_finish_eight_stories_in_seven_weeks(uow, train):
    f = forecast(uow, pi_id=train["pi"], method="textbook")
    assert f.when.sample.method == "textbook" and f.when.sample.days == 90
    assert f.likelihood > 0.99


def test_team_scope_forecasts_that_teams_stories_from_its_own_throughput(uow, train):
    f = forecast(uow, pi_id=train["pi"], team_id=train["kestrel"])
    assert (f.total, f.remaining, f.team) == (7, 5, "Kestrel")
    assert f.label == "rest of PI 26.5 scope (Kestrel)"


def test_feature_forecast_covers_its_stories(uow, train):
    feature = uow.items.add(make_feature(key="F-9", team_id=train["osprey"],
                                         pi_id=train["pi"]))
    for k in range(3):
        story_id = add_story(uow, f"F9-{k}", train["osprey"], train["pi"], [
            ("todo", date(2026, 11, 2))])
        uow.items.get(story_id).parent_id = feature.id
    uow.commit()
    f = forecast(uow, item_id=feature.id)
    assert (f.kind, f.remaining, f.team) == ("feature", 3, "Osprey")
    assert f.sentence.startswith("feature F-9: ")


def test_nothing_remaining_is_certain(uow, train):
    feature = uow.items.add(make_feature(key="F-8", pi_id=train["pi"]))
    story_id = add_story(uow, "F8-0", train["osprey"], train["pi"], [
        ("in_progress", date(2026, 11, 3)), ("done", date(2026, 11, 4))])
    uow.items.get(story_id).parent_id = feature.id
    uow.commit()
    f = forecast(uow, item_id=feature.id)
    assert f.remaining == 0 and f.likelihood == 1.0 and f.when is None
    assert "all 1 stories done" in f.sentence


def test_a_story_is_not_forecast(uow, train):
    story = uow.items.first(key="WIP-0")
    with pytest.raises(Invalid, match="feature or an epic"):
        forecast(uow, item_id=story.id)


def test_a_feature_without_stories_is_not_found(uow, train):
    feature = uow.items.add(make_feature(key="F-7"))
    uow.commit()
    with pytest.raises(NotFound, match="no stories"):
        forecast(uow, item_id=feature.id)


def test_either_pi_or_item(uow, train):
    with pytest.raises(Invalid):
        forecasts.forecast_remaining(uow, SYSTEM, at=NOW)


def test_sentence_reports_likelihood_and_backtested_hit_rate(uow, train):
    f = forecast(uow, pi_id=train["pi"])
    assert f.sentence.startswith("rest of PI 26.5 scope: ")
    assert "% likely by 2027-01-10" in f.sentence
    assert f.accuracy is not None and "back-tested hit rate" in f.sentence


def test_backtest_of_a_constant_throughput_always_comes_true():
    history = ThroughputHistory(date(2026, 1, 1), np.full(240, 2, dtype=np.int64))
    acc = forecasts.backtest_accuracy(history, trials=300)
    assert acc.cuts > 5
    assert acc.rate("when", 85) == 1.0 and acc.rate("how many", 85) == 1.0


def test_backtest_needs_enough_history():
    history = ThroughputHistory(date(2026, 1, 1), np.ones(60, dtype=np.int64))
    assert forecasts.backtest_accuracy(history, trials=200) is None


def test_forecast_dict_carries_the_backtest(uow, train):
    data = forecasts.forecast_dict(forecast(uow, pi_id=train["pi"]))
    assert data["remaining"] == 8 and data["sample"]["method"] == "mixed-windows"
    assert set(data["backtest"]["hit_rates"]) == {"when", "how many"}
