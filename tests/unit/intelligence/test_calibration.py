"""Calibration maps, reliability tables and the scores that judge probabilities."""

from __future__ import annotations

import numpy as np
import pytest

from trainmaster.domain.errors import Invalid
from trainmaster.intelligence.calibration import (
    GroupRecalibrator,
    PlattCalibrator,
    brier_score,
    expected_calibration_error,
    fit_isotonic,
    fit_platt,
    fit_temperature,
    logit,
    recalibrate_from_history,
    reliability_table,
    roc_auc,
    softmax,
)


def _overconfident(n: int = 4000, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Scores whose true log-odds are half of what they claim."""
    rng = np.random.default_rng(seed)
    scores = rng.normal(0.0, 3.0, n)
    outcomes = (rng.random(n) < 1.0 / (1.0 + np.exp(-0.5 * scores))).astype(float)
    return scores, outcomes


def test_platt_recovers_the_slope_of_overconfident_scores():
    scores, outcomes = _overconfident()
    mapping = fit_platt(scores, outcomes)
    assert mapping.slope == pytest.approx(0.5, abs=0.07)
    assert mapping.intercept == pytest.approx(0.0, abs=0.1)


def test_platt_maps_scores_to_the_observed_frequencies():
    scores, outcomes = _overconfident()
    p = fit_platt(scores, outcomes).apply(scores)
    for b in reliability_table(outcomes, p, bins=5):
        if b.count > 200:
            assert b.observed_rate == pytest.approx(b.mean_predicted, abs=0.05)


def test_isotonic_maps_a_step_rule_to_its_frequencies():
    scores = np.r_[np.zeros(100), np.ones(100)]
    outcomes = np.r_[np.ones(20), np.zeros(80), np.ones(70), np.zeros(30)]
    p = fit_isotonic(scores, outcomes).apply([0.0, 1.0])
    assert p.tolist() == pytest.approx([0.2, 0.7])


def test_isotonic_refuses_outcomes_of_one_kind():
    with pytest.raises(Invalid):
        fit_isotonic([0.1, 0.2], [1, 1])


def test_prior_keeps_a_short_history_near_the_prior_map():
    loose = fit_platt([2.0, 2.5], [0, 0])
    held = fit_platt([2.0, 2.5], [0, 0], prior_strength=50.0)
    assert abs(held.slope - 1.0) < abs(loose.slope - 1.0)
    assert fit_platt([], []) == PlattCalibrator()


def test_slope_floor_stops_a_recalibration_from_reversing_the_ranking():
    scores = np.r_[np.full(50, -2.0), np.full(50, 2.0)]
    outcomes = np.r_[np.ones(50), np.zeros(50)]
    assert fit_platt(scores, outcomes).slope < 0
    assert fit_platt(scores, outcomes, min_slope=0.0).slope == 0.0


def test_group_recalibration_learns_each_groups_own_rate():
    rng = np.random.default_rng(1)
    p = np.full(400, 0.5)
    optimistic = (rng.random(400) < 0.8).astype(float)
    steady = (rng.random(400) < 0.5).astype(float)
    groups = GroupRecalibrator(prior_strength=1.0)
    groups.fit_group("optimistic", p, optimistic)
    groups.fit_group("steady", p, steady)
    assert groups.apply("optimistic", [0.5])[0] == pytest.approx(0.8, abs=0.05)
    assert groups.apply("steady", [0.5])[0] == pytest.approx(0.5, abs=0.06)
    assert groups.apply("unknown", [0.3])[0] == pytest.approx(0.3)


def test_recalibrate_from_history_moves_probabilities_toward_what_happened():
    past = np.full(200, 0.2)
    outcomes = np.r_[np.ones(120), np.zeros(80)]
    assert recalibrate_from_history(past, outcomes, [0.2])[0] == pytest.approx(0.6, abs=0.05)


def test_temperature_softens_overconfident_class_scores():
    rng = np.random.default_rng(2)
    labels = rng.integers(0, 3, 3000)
    true_logits = rng.normal(0.0, 1.0, (3000, 3))
    true_logits[np.arange(3000), labels] += 1.0
    t = fit_temperature(true_logits * 4.0, labels)
    assert t == pytest.approx(4.0, rel=0.25)
    assert softmax(np.array([[0.0, 0.0]])).tolist() == [[0.5, 0.5]]


def test_reliability_table_bins_predictions_and_skips_empty_bins():
    table = reliability_table([0, 1, 1, 0, 1], [0.05, 0.15, 0.95, 0.92, 1.0], bins=10)
    assert [(b.lower, b.count) for b in table] == [(0.0, 1), (0.1, 1), (0.9, 3)]
    top = table[-1]
    assert top.observed_rate == pytest.approx(2 / 3)
    assert top.mean_predicted == pytest.approx((0.95 + 0.92 + 1.0) / 3)
    assert expected_calibration_error(table) == pytest.approx(
        (0.05 + 0.85 + 3 * abs(2 / 3 - top.mean_predicted)) / 5)


def test_brier_and_auc_of_known_cases():
    assert brier_score([1, 0], [1.0, 0.0]) == 0.0
    assert brier_score([1, 0], [0.5, 0.5]) == 0.25
    assert roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75
    assert roc_auc([0, 1], [0.5, 0.5]) == 0.5
    assert np.isnan(roc_auc([1, 1], [0.2, 0.3]))


def test_outcomes_must_be_zero_or_one():
    with pytest.raises(Invalid):
        brier_score([2, 0], [0.5, 0.5])


def test_logit_is_the_inverse_of_the_platt_identity():
    p = np.array([0.1, 0.5, 0.9])
    assert PlattCalibrator().apply(logit(p)) == pytest.approx(p)
