"""The additive risk model: it learns rules, explains itself, calibrates and round-trips."""

from __future__ import annotations

import numpy as np
import pytest

from trainmaster.domain.errors import Invalid
from trainmaster.intelligence.calibration import reliability_table
from trainmaster.intelligence.risk import (
    SPRINT_RISK_FEATURES,
    risk_model_from_bytes,
    train_risk_model,
)


def _sprints(n: int = 600, seed: int = 0) -> tuple[list[dict[str, float]], np.ndarray]:
    """Overloaded sprints miss; open impediments add a little; noise does nothing."""
    rng = np.random.default_rng(seed)
    rows, outcomes = [], []
    for _ in range(n):
        row = {"load_vs_capacity": float(rng.uniform(0.5, 1.6)),
               "impediments_open": float(rng.integers(0, 4)),
               "noise": float(rng.normal())}
        logit = 6.0 * (row["load_vs_capacity"] - 1.1) + 0.4 * row["impediments_open"] - 0.6
        rows.append(row)
        outcomes.append(float(rng.random() < 1.0 / (1.0 + np.exp(-logit))))
    return rows, np.array(outcomes)


@pytest.fixture(scope="module")
def model():
    rows, outcomes = _sprints()
    return train_risk_model(rows, outcomes)


def test_model_learns_that_overloaded_sprints_miss(model):
    light, heavy = model.predict_proba([
        {"load_vs_capacity": 0.6, "impediments_open": 0, "noise": 0.0},
        {"load_vs_capacity": 1.5, "impediments_open": 0, "noise": 0.0},
    ])
    assert light < 0.15 < 0.85 < heavy


def test_the_top_factor_names_the_feature_that_drives_the_prediction(model):
    [heavy, light] = model.explain([
        {"load_vs_capacity": 1.55, "impediments_open": 1, "noise": 0.1},
        {"load_vs_capacity": 0.55, "impediments_open": 1, "noise": 0.1},
    ], top=3)
    assert heavy.factors[0].name == "load_vs_capacity" and heavy.factors[0].contribution > 0
    assert light.factors[0].name == "load_vs_capacity" and light.factors[0].contribution < 0
    assert heavy.factors[0].value == 1.55
    assert abs(next(f for f in heavy.factors if f.name == "noise").contribution) < 0.5


def test_probabilities_match_observed_frequencies_on_new_rows(model):
    rows, outcomes = _sprints(3000, seed=7)
    for b in reliability_table(outcomes, model.predict_proba(rows), bins=5):
        if b.count >= 300:
            assert b.observed_rate == pytest.approx(b.mean_predicted, abs=0.07)


def test_group_recalibration_follows_a_teams_own_history(model):
    rows, _ = _sprints(300, seed=3)
    always_missing = np.ones(300)
    always_missing[:30] = 0.0
    team = model.recalibrated_for("team-a", rows, always_missing, prior_strength=1.0)
    row = [{"load_vs_capacity": 0.9, "impediments_open": 1, "noise": 0.0}]
    assert team.predict_proba(row, group="team-a")[0] > model.predict_proba(row)[0] + 0.2
    assert team.predict_proba(row, group="team-b")[0] == pytest.approx(model.predict_proba(row)[0])
    assert "team-a" not in model.group_maps


def test_model_round_trips_through_bytes(model):
    again = risk_model_from_bytes(model.to_bytes())
    rows, _ = _sprints(20, seed=5)
    assert again.predict_proba(rows) == pytest.approx(model.predict_proba(rows))
    assert again.feature_names == model.feature_names
    with pytest.raises(Invalid):
        risk_model_from_bytes(b"\x80\x05N.")


def test_missing_values_take_the_training_median_and_missing_features_are_refused(model):
    p = model.predict_proba([{"load_vs_capacity": 1.5, "impediments_open": float("nan"),
                              "noise": 0.0}])
    assert p[0] > 0.7
    with pytest.raises(Invalid, match="impediments_open"):
        model.predict_proba([{"load_vs_capacity": 1.0, "noise": 0.0}])


def test_training_needs_both_outcomes_and_a_known_calibration():
    rows, outcomes = _sprints(40)
    with pytest.raises(Invalid):
        train_risk_model(rows, np.zeros(40))
    with pytest.raises(Invalid):
        train_risk_model(rows, outcomes, calibration="magic")


def test_isotonic_calibration_is_available():
    rows, outcomes = _sprints(400, seed=2)
    iso = train_risk_model(rows, outcomes, calibration="isotonic")
    light, heavy = iso.predict_proba([
        {"load_vs_capacity": 0.6, "impediments_open": 0, "noise": 0.0},
        {"load_vs_capacity": 1.5, "impediments_open": 0, "noise": 0.0},
    ])
    assert light < 0.2 < 0.7 < heavy


def test_sprint_feature_names_are_unique_and_described():
    names = [f.name for f in SPRINT_RISK_FEATURES]
    assert len(names) == len(set(names))
    assert all(f.description for f in SPRINT_RISK_FEATURES)
