"""Predictive risk: a calibrated, explainable classifier over named tabular features.

The model is additive: each feature passes through its own small spline basis (quantile
knots; a feature with two values stays linear), and a regularised logistic regression sums
them. So every prediction splits exactly into one log-odds contribution per named feature
against the average training row; the top ones are the prediction's factors. Probabilities
come from a Platt (or isotonic) map fitted on out-of-fold scores, and can be re-calibrated
per group (team, board) from that group's own history.

    model = train_risk_model(rows, outcomes)              # rows: list of {name: value}
    model = model.recalibrated_for("team-a", past_rows, past_outcomes)
    [prediction] = model.explain([row], group="team-a")   # probability + top factors
"""

from __future__ import annotations

import pickle
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from sklearn.preprocessing import SplineTransformer

from trainmaster.domain.errors import Invalid
from trainmaster.intelligence.calibration import (
    IsotonicCalibrator,
    PlattCalibrator,
    fit_isotonic,
    fit_platt,
    logit,
)

_FORMAT = "trainmaster.risk/1"

#: Rows of named feature values, or a matrix whose columns follow the feature names.
Rows = Sequence[Mapping[str, float]] | NDArray[np.float64]


@dataclass(frozen=True)
class FeatureSpec:
    name: str
    description: str


#: The named features a team-iteration risk model expects from the train's data.
SPRINT_RISK_FEATURES: tuple[FeatureSpec, ...] = (
    FeatureSpec("load_vs_capacity", "points planned into the iteration / team capacity"),
    FeatureSpec("committed_points", "points committed at the start of the iteration"),
    FeatureSpec("dependencies_late", "incoming dependencies whose provider lands later"),
    FeatureSpec("dependencies_at_risk", "incoming dependencies landing in the same iteration"),
    FeatureSpec("dependencies_unplanned", "incoming dependencies whose provider has no iteration"),
    FeatureSpec("scope_added_since_baseline", "points added since the baseline / baseline points"),
    FeatureSpec("completion_vs_ideal_burn", "accepted share minus the ideal share by now"),
    FeatureSpec("impediments_open", "impediments open for the team"),
    FeatureSpec("past_predictability", "the team's predictability over its past iterations (0-1+)"),
    FeatureSpec("past_miss_rate", "share of the team's past iterations that missed"),
    FeatureSpec("share_business", "share of planned points that are business features"),
    FeatureSpec("share_enabler", "share of planned points that are enablers"),
    FeatureSpec("share_defect", "share of planned points that are defects"),
    FeatureSpec("share_tech_debt", "share of planned points that are tech-debt items"),
)


@dataclass(frozen=True)
class RiskFactor:
    """One feature's push on a prediction, in log-odds against the average past row."""

    name: str
    value: float
    contribution: float


@dataclass(frozen=True)
class RiskPrediction:
    probability: float
    base_rate: float
    factors: tuple[RiskFactor, ...]
    group: Hashable | None = None


def feature_matrix(rows: Rows,
                   names: Sequence[str]) -> NDArray[np.float64]:
    """Rows of named values (or an array already in ``names`` order) as a float matrix."""
    if isinstance(rows, np.ndarray):
        x = rows.astype(float)
    else:
        named = list(rows)
        missing = sorted({n for r in named for n in names if n not in r})
        if missing:
            raise Invalid(f"rows: features missing: {missing}")
        x = np.array([[float(r[n]) for n in names] for r in named], dtype=float)
    x = x.reshape(-1, len(names)) if x.size else np.empty((0, len(names)))
    if x.shape[1] != len(names):
        raise Invalid(f"rows: expected {len(names)} features, got {x.shape[1]}")
    return x


@dataclass
class _Basis:
    """Per-feature spline (or linear) columns, standardised on the training rows."""

    splines: list[SplineTransformer | None]
    spans: list[tuple[int, int]] = field(default_factory=list)
    mean: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    scale: NDArray[np.float64] = field(default_factory=lambda: np.ones(0))

    @classmethod
    def fit(cls, x: NDArray[np.float64], knots: int) -> _Basis:
        splines: list[SplineTransformer | None] = []
        for j in range(x.shape[1]):
            q = np.unique(np.quantile(x[:, j], np.linspace(0.0, 1.0, knots)))
            if len(np.unique(x[:, j])) <= 2 or q.size < 3:
                splines.append(None)
            else:
                splines.append(SplineTransformer(knots=q.reshape(-1, 1), degree=2,
                                                 extrapolation="constant").fit(x[:, [j]]))
        basis = cls(splines)
        raw = basis._raw(x)
        basis.mean, basis.scale = raw.mean(axis=0), raw.std(axis=0)
        basis.scale[basis.scale == 0] = 1.0
        return basis

    def _raw(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        cols, spans, start = [], [], 0
        for j, spline in enumerate(self.splines):
            c = x[:, [j]] if spline is None else spline.transform(x[:, [j]])
            cols.append(c)
            spans.append((start, start + c.shape[1]))
            start += c.shape[1]
        self.spans = spans
        return np.hstack(cols)

    def transform(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        return (self._raw(x) - self.mean) / self.scale


class RiskModel:
    """A trained risk model; build it with `train_risk_model`."""

    def __init__(self, names: tuple[str, ...], medians: NDArray, basis: _Basis,
                 lr: LogisticRegression, calibrator: PlattCalibrator | IsotonicCalibrator,
                 base_rate: float) -> None:
        self.feature_names = names
        self._medians = medians
        self._basis = basis
        self._lr = lr
        self.calibrator = calibrator
        self.base_rate = base_rate
        self.group_maps: dict[Hashable, PlattCalibrator] = {}

    def _x(self, rows: Rows) -> NDArray[np.float64]:
        x = feature_matrix(rows, self.feature_names)
        return np.where(np.isnan(x), self._medians, x)

    def _contributions(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        z = self._basis.transform(x) * self._lr.coef_[0]
        return np.column_stack([z[:, a:b].sum(axis=1) for a, b in self._basis.spans])

    def _calibrate(self, score: NDArray, group: Hashable | None) -> NDArray[np.float64]:
        p = self.calibrator.apply(score)
        if group is not None and group in self.group_maps:
            p = self.group_maps[group].apply(logit(p))
        return p

    def predict_proba(self, rows: Rows, *,
                      group: Hashable | None = None) -> NDArray[np.float64]:
        """Calibrated probability of the outcome for each row (per-group map when known)."""
        x = self._x(rows)
        return self._calibrate(self._contributions(x).sum(axis=1) + self._lr.intercept_[0], group)

    def explain(self, rows: Rows, *,
                group: Hashable | None = None, top: int = 3) -> list[RiskPrediction]:
        """Probabilities with the ``top`` features by absolute contribution (signed)."""
        raw = feature_matrix(rows, self.feature_names)
        contrib = self._contributions(np.where(np.isnan(raw), self._medians, raw))
        p = self._calibrate(contrib.sum(axis=1) + self._lr.intercept_[0], group)
        scale = self._slope(group)
        out = []
        for i in range(contrib.shape[0]):
            order = np.argsort(-np.abs(contrib[i]), kind="mergesort")[:top]
            factors = tuple(RiskFactor(self.feature_names[j], float(raw[i, j]),
                                       round(float(contrib[i, j] * scale), 4)) for j in order)
            out.append(RiskPrediction(float(p[i]), self.base_rate, factors, group))
        return out

    def _slope(self, group: Hashable | None) -> float:
        slope = self.calibrator.slope if isinstance(self.calibrator, PlattCalibrator) else 1.0
        if group is not None and group in self.group_maps:
            slope *= self.group_maps[group].slope
        return slope

    def recalibrated_for(self, group: Hashable, rows: Rows,
                         outcomes: ArrayLike, *, prior_strength: float = 4.0) -> RiskModel:
        """A copy whose probabilities for ``group`` are re-fitted on that group's own past.

        The map is a Platt map on the global probabilities' log-odds, pulled toward the
        identity by ``prior_strength`` so a short history changes little; its slope is kept
        at or above 0, so the group's ranking is never reversed.
        """
        p = self.predict_proba(rows)
        mapping = fit_platt(logit(p), outcomes, prior_strength=prior_strength, min_slope=0.0)
        clone = pickle.loads(pickle.dumps(self))
        clone.group_maps = {**self.group_maps, group: mapping}
        return clone

    def to_bytes(self) -> bytes:
        return pickle.dumps((_FORMAT, self), protocol=pickle.HIGHEST_PROTOCOL)


def risk_model_from_bytes(blob: bytes) -> RiskModel:
    """Load a model stored with `RiskModel.to_bytes` (only load blobs you stored yourself)."""
    loaded = pickle.loads(blob)
    if not (isinstance(loaded, tuple) and loaded[0] == _FORMAT):
        raise Invalid("blob: not a stored risk model of this version")
    return loaded[1]


def _fit_scores(x: NDArray, y: NDArray, w: NDArray, knots: int, c: float
                ) -> tuple[_Basis, LogisticRegression]:
    basis = _Basis.fit(x, knots)
    lr = LogisticRegression(C=c, max_iter=3000).fit(basis.transform(x), y, sample_weight=w)
    return basis, lr


def _out_of_fold(x: NDArray, y: NDArray, w: NDArray, knots: int, c: float, folds: int
                 ) -> NDArray[np.float64]:
    scores = np.zeros(y.size)
    for train, test in KFold(folds).split(x):
        if len(np.unique(y[train])) < 2:
            return np.array([])
        basis, lr = _fit_scores(x[train], y[train], w[train], knots, c)
        scores[test] = lr.decision_function(basis.transform(x[test]))
    return scores


def train_risk_model(
    rows: Rows,
    outcomes: ArrayLike,
    *,
    feature_names: Sequence[str] | None = None,
    sample_weight: ArrayLike | None = None,
    calibration: str = "platt",
    regularization: float = 0.1,
    knots: int = 5,
    folds: int = 5,
) -> RiskModel:
    """Fit the additive model and its calibration map on past rows and 0/1 outcomes.

    ``feature_names`` defaults to the keys of the first row. Missing values (NaN) are filled
    with the training median. ``regularization`` is the inverse L2 strength (C). With fewer
    than 20 rows (or ``folds`` < 2) the model's own scores are used uncalibrated.
    """
    if feature_names is None:
        if isinstance(rows, np.ndarray) or not rows:
            raise Invalid("feature_names: needed when rows are not named")
        feature_names = list(rows[0].keys())
    names = tuple(feature_names)
    x = feature_matrix(rows, names)
    y = np.asarray(outcomes, dtype=float).ravel()
    if y.size != x.shape[0] or not np.isin(y, (0.0, 1.0)).all():
        raise Invalid("outcomes: one 0/1 outcome per row is needed")
    if len(np.unique(y)) < 2:
        raise Invalid("outcomes: both outcomes must occur in the training rows")
    if calibration not in ("platt", "isotonic"):
        raise Invalid(f"calibration: unknown method {calibration!r} (platt or isotonic)")
    w = np.ones(y.size) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    medians = np.nanmedian(np.where(np.isnan(x), np.nan, x), axis=0)
    medians = np.where(np.isnan(medians), 0.0, medians)
    x = np.where(np.isnan(x), medians, x)
    enough = y.size >= 20 and folds >= 2
    oof = _out_of_fold(x, y, w, knots, regularization, folds) if enough else np.array([])
    basis, lr = _fit_scores(x, y, w, knots, regularization)
    if oof.size == 0:
        calibrator: PlattCalibrator | IsotonicCalibrator = PlattCalibrator()
    elif calibration == "isotonic":
        calibrator = fit_isotonic(oof, y, sample_weight=w)
    else:
        calibrator = fit_platt(oof, y, sample_weight=w)
    return RiskModel(names, medians, basis, lr, calibrator, float(np.average(y, weights=w)))
