"""Calibration of predicted probabilities and the scores that judge them.

A probability is *calibrated* when, among the items given p = 0.3, about 30 % turn out
positive. This module fits the usual maps from a model's raw score to a calibrated
probability (Platt's logistic map, isotonic regression, temperature scaling for several
classes), re-fits a Platt map per group (team, board) from that group's own history with a
prior that pulls it toward the global map while the group has little history, and measures
the result: Brier score, ROC AUC and a reliability table.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.isotonic import IsotonicRegression

from trainmaster.domain.errors import Invalid

_EPS = 1e-6


def sigmoid(z: ArrayLike) -> NDArray[np.float64]:
    """The logistic function, computed without overflow."""
    arr = np.asarray(z, dtype=float)
    return np.exp(-np.logaddexp(0.0, -arr))


def logit(p: ArrayLike) -> NDArray[np.float64]:
    """The log-odds of probabilities, clipped away from 0 and 1."""
    q = np.clip(np.asarray(p, dtype=float), _EPS, 1.0 - _EPS)
    return np.log(q) - np.log1p(-q)


def _binary_outcomes(y: ArrayLike, n: int) -> NDArray[np.float64]:
    out = np.asarray(y, dtype=float).ravel()
    if out.shape[0] != n:
        raise Invalid(f"outcomes: expected {n} values, got {out.shape[0]}")
    if not np.isin(out, (0.0, 1.0)).all():
        raise Invalid("outcomes: every outcome must be 0 or 1")
    return out


@dataclass(frozen=True)
class PlattCalibrator:
    """p = sigmoid(slope * score + intercept); the identity on log-odds is (1, 0)."""

    slope: float = 1.0
    intercept: float = 0.0

    def apply(self, scores: ArrayLike) -> NDArray[np.float64]:
        return sigmoid(self.slope * np.asarray(scores, dtype=float) + self.intercept)


def fit_platt(
    scores: ArrayLike,
    outcomes: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    prior: PlattCalibrator = PlattCalibrator(),
    prior_strength: float = 0.0,
    min_slope: float | None = None,
) -> PlattCalibrator:
    """Fit Platt's map by Newton's method on the (weighted) log-loss.

    ``prior_strength`` > 0 adds a quadratic penalty ``strength / 2 * |theta - prior|^2`` so a
    map fitted on few outcomes stays near ``prior``; with no outcomes the prior is returned.
    Targets are smoothed as Platt proposed, so a perfectly separated set does not diverge.
    With ``min_slope`` the slope is held at that floor when the fit would go below it (a
    re-calibration must not turn a model's ranking upside down).
    """
    s = np.asarray(scores, dtype=float).ravel()
    y = _binary_outcomes(outcomes, s.shape[0])
    w = np.ones_like(s) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    if s.size == 0:
        return prior
    n_pos, n_neg = float(w[y == 1].sum()), float(w[y == 0].sum())
    t = np.where(y == 1, (n_pos + 1.0) / (n_pos + 2.0), 1.0 / (n_neg + 2.0))
    theta0 = np.array([prior.slope, prior.intercept])
    design = np.column_stack([s, np.ones_like(s)])
    theta = _newton(design, t, w, theta0, max(prior_strength, 1e-9), free=(0, 1))
    if min_slope is not None and theta[0] < min_slope:
        theta0 = np.array([min_slope, prior.intercept])
        theta = _newton(design, t, w, theta0, max(prior_strength, 1e-9), free=(1,))
    return PlattCalibrator(slope=float(theta[0]), intercept=float(theta[1]))


def _newton(design: NDArray, t: NDArray, w: NDArray, theta0: NDArray, ridge: float,
            free: tuple[int, ...]) -> NDArray[np.float64]:
    """Penalised logistic fit of the ``free`` parameters (others stay at ``theta0``).

    Newton steps, halved until the penalised loss goes down, so the fit cannot diverge.
    """
    cols = list(free)

    def loss(theta: NDArray) -> float:
        z = design @ theta
        nll = np.sum(w * (np.logaddexp(0.0, z) - t * z))
        return float(nll + 0.5 * ridge * np.sum((theta[cols] - theta0[cols]) ** 2))

    theta = theta0.astype(float).copy()
    current = loss(theta)
    for _ in range(100):
        p = sigmoid(design @ theta)
        sub = design[:, cols]
        grad = sub.T @ (w * (p - t)) + ridge * (theta[cols] - theta0[cols])
        hess = (sub * (w * p * (1.0 - p))[:, None]).T @ sub + ridge * np.eye(len(cols))
        step = np.linalg.solve(hess, grad)
        for _ in range(30):
            trial = theta.copy()
            trial[cols] -= step
            if loss(trial) <= current:
                break
            step = step / 2.0
        theta, previous, current = trial, current, loss(trial)
        if np.abs(step).max() < 1e-9 or previous - current < 1e-12:
            break
    return theta


@dataclass(frozen=True)
class IsotonicCalibrator:
    """A non-decreasing step map from score to probability (linear between knots)."""

    knots: tuple[float, ...]
    values: tuple[float, ...]

    def apply(self, scores: ArrayLike) -> NDArray[np.float64]:
        return np.interp(np.asarray(scores, dtype=float), self.knots, self.values)


def fit_isotonic(
    scores: ArrayLike, outcomes: ArrayLike, *, sample_weight: ArrayLike | None = None
) -> IsotonicCalibrator:
    """Fit an isotonic map; needs both outcomes present."""
    s = np.asarray(scores, dtype=float).ravel()
    y = _binary_outcomes(outcomes, s.shape[0])
    if len(np.unique(y)) < 2:
        raise Invalid("outcomes: isotonic calibration needs both positive and negative outcomes")
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
    iso.fit(s, y, sample_weight=sample_weight)
    knots = np.asarray(iso.X_thresholds_, dtype=float)
    values = np.clip(np.asarray(iso.y_thresholds_, dtype=float), _EPS, 1.0 - _EPS)
    return IsotonicCalibrator(knots=tuple(knots.tolist()), values=tuple(values.tolist()))


def softmax(scores: ArrayLike, temperature: float = 1.0) -> NDArray[np.float64]:
    """Row-wise softmax of ``scores / temperature``."""
    z = np.asarray(scores, dtype=float) / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_temperature(scores: ArrayLike, labels: ArrayLike) -> float:
    """The temperature that minimises the log-loss of ``softmax(scores / T)``.

    ``labels`` are column indices into ``scores``. A golden-section search over log T.
    """
    z = np.asarray(scores, dtype=float)
    idx = np.asarray(labels, dtype=int)
    if z.ndim != 2 or z.shape[0] != idx.shape[0]:
        raise Invalid("scores: expected one row of class scores per label")
    rows = np.arange(z.shape[0])

    def loss(log_t: float) -> float:
        return float(-np.log(softmax(z, float(np.exp(log_t)))[rows, idx] + 1e-12).mean())

    lo, hi = np.log(1e-3), np.log(1e3)
    ratio = (np.sqrt(5.0) - 1.0) / 2.0
    for _ in range(80):
        a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
        if loss(a) < loss(b):
            hi = b
        else:
            lo = a
    return float(np.exp((lo + hi) / 2.0))


@dataclass
class GroupRecalibrator:
    """Per-group Platt maps on the log-odds of a base probability.

    Each group's map is fitted on that group's own past (probability, outcome) pairs with a
    prior pulling it toward the identity, so a group with a short history keeps the global
    model's probabilities and a group with a long one gets its own calibration.
    """

    prior_strength: float = 4.0
    maps: dict[Hashable, PlattCalibrator] = field(default_factory=dict)

    def fit_group(self, group: Hashable, probabilities: ArrayLike, outcomes: ArrayLike) -> None:
        self.maps[group] = fit_platt(
            logit(probabilities), outcomes, prior_strength=self.prior_strength, min_slope=0.0
        )

    def apply(self, group: Hashable, probabilities: ArrayLike) -> NDArray[np.float64]:
        mapping = self.maps.get(group, PlattCalibrator())
        return mapping.apply(logit(probabilities))


def recalibrate_from_history(
    past_probabilities: ArrayLike,
    past_outcomes: ArrayLike,
    probabilities: ArrayLike,
    *,
    prior_strength: float = 4.0,
) -> NDArray[np.float64]:
    """Re-map ``probabilities`` with a Platt map fitted on one group's own past."""
    mapping = fit_platt(logit(past_probabilities), past_outcomes, prior_strength=prior_strength,
                        min_slope=0.0)
    return mapping.apply(logit(probabilities))


@dataclass(frozen=True)
class ReliabilityBin:
    """One bin of a reliability table: predictions in [lower, upper) and what happened."""

    lower: float
    upper: float
    count: int
    mean_predicted: float
    observed_rate: float


def reliability_table(
    outcomes: ArrayLike, probabilities: ArrayLike, *, bins: int = 10
) -> list[ReliabilityBin]:
    """Equal-width bins over [0, 1]; empty bins are left out. The last bin includes 1."""
    p = np.asarray(probabilities, dtype=float).ravel()
    y = _binary_outcomes(outcomes, p.shape[0])
    if bins < 1:
        raise Invalid("bins: must be at least 1")
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, bins - 1)
    table = []
    for b in range(bins):
        mask = which == b
        if mask.any():
            table.append(
                ReliabilityBin(
                    lower=float(edges[b]),
                    upper=float(edges[b + 1]),
                    count=int(mask.sum()),
                    mean_predicted=float(p[mask].mean()),
                    observed_rate=float(y[mask].mean()),
                )
            )
    return table


def expected_calibration_error(table: Sequence[ReliabilityBin]) -> float:
    """Count-weighted mean |observed - predicted| over a reliability table's bins."""
    total = sum(b.count for b in table)
    if total == 0:
        return float("nan")
    return sum(b.count * abs(b.observed_rate - b.mean_predicted) for b in table) / total


def brier_score(outcomes: ArrayLike, probabilities: ArrayLike) -> float:
    """Mean squared difference between probability and outcome (lower is better)."""
    p = np.asarray(probabilities, dtype=float).ravel()
    y = _binary_outcomes(outcomes, p.shape[0])
    return float(np.mean((p - y) ** 2))


def roc_auc(outcomes: ArrayLike, scores: ArrayLike) -> float:
    """Area under the ROC curve (ties count half); NaN when only one outcome is present."""
    s = np.asarray(scores, dtype=float).ravel()
    y = _binary_outcomes(outcomes, s.shape[0])
    n_pos = int(y.sum())
    n_neg = y.size - n_pos
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(s.size, dtype=float)
    sorted_s = s[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_s)) + 1]
    ends = np.r_[starts[1:], s.size]
    for a, b in zip(starts, ends, strict=True):
        ranks[order[a:b]] = (a + b + 1) / 2.0
    return float((ranks[y == 1].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def score_summary(outcomes: ArrayLike, probabilities: ArrayLike) -> Mapping[str, float]:
    """AUC, Brier score, the base-rate Brier score and the expected calibration error."""
    p = np.asarray(probabilities, dtype=float).ravel()
    y = _binary_outcomes(outcomes, p.shape[0])
    return {
        "n": float(y.size),
        "positive_rate": float(y.mean()) if y.size else float("nan"),
        "auc": roc_auc(y, p),
        "brier": brier_score(y, p),
        "ece": expected_calibration_error(reliability_table(y, p)),
    }
