"""Estimates and WSJF hints from the most similar past items.

An estimate is the weighted median of the story points of the k (12) most similar finished
items (cosine of word TF-IDF), shrunk toward the team's median by a few (4) pseudo-neighbours
that carry the median: with no close neighbours the estimate falls back to the team's typical
size. The range is the 25th-75th percentile of the same pool; its confidence is the share of
training items whose true points fell inside their own leave-one-out range.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer

from trainmaster.domain.errors import Invalid
from trainmaster.intelligence.triage_text import Reason, strip_keys

FIBONACCI = (1, 2, 3, 5, 8, 13, 20)
WSJF_TERMS = ("business_value", "time_criticality", "risk_reduction", "job_size")
_COVERAGE_SAMPLE = 1500


class ItemIndex:
    """Word TF-IDF vectors of past items, searchable by cosine similarity."""

    def __init__(self, texts: Sequence[str], keys: Sequence[str]) -> None:
        if len(texts) != len(keys):
            raise Invalid("keys: one key per text is needed")
        self.keys = list(keys)
        self._vec = TfidfVectorizer(sublinear_tf=True, min_df=2 if len(texts) >= 50 else 1,
                                    ngram_range=(1, 2), stop_words="english")
        cleaned = [strip_keys(t) for t in texts]
        if not any(c.strip() for c in cleaned):
            cleaned = ["empty"] * len(cleaned)
        self._matrix: sp.csr_matrix = self._vec.fit_transform(cleaned).tocsr()

    def __len__(self) -> int:
        return len(self.keys)

    def similarities(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """One row per text: cosine similarity to every indexed item."""
        q = self._vec.transform([strip_keys(t) for t in texts])
        return (q @ self._matrix.T).toarray()

    def self_similarities(self, rows: NDArray[np.int64]) -> NDArray[np.float64]:
        """Similarities of indexed items ``rows`` to all items, each item's own cell zeroed."""
        sims = (self._matrix[rows] @ self._matrix.T).toarray()
        sims[np.arange(rows.size), rows] = -1.0
        return sims


def weighted_quantile(values: NDArray, weights: NDArray, q: float) -> float:
    """The smallest value whose cumulative weight reaches ``q`` of the total.

    When the cumulative weight lands exactly on ``q``, the mean of that value and the next
    (so equal weights give the ordinary median of an even-sized pool).
    """
    order = np.argsort(values, kind="mergesort")
    v, w = values[order], weights[order]
    cum = np.cumsum(w)
    target = q * cum[-1]
    i = min(int(np.searchsorted(cum, target - 1e-9)), v.size - 1)
    if i + 1 < v.size and abs(cum[i] - target) <= 1e-9:
        return float((v[i] + v[i + 1]) / 2.0)
    return float(v[i])


@dataclass(frozen=True)
class Estimate:
    points: float
    low: float
    high: float
    confidence: float
    reasons: tuple[Reason, ...]


class PointsEstimator:
    """k nearest finished items, shrunk toward the (group's) median."""

    def __init__(self, *, k: int = 12, pseudo_neighbours: int = 4, min_group: int = 20) -> None:
        self.k = k
        self.pseudo_neighbours = pseudo_neighbours
        self.min_group = min_group
        self.interval_coverage = float("nan")

    def fit(
        self,
        index: ItemIndex,
        points: Sequence[float | None],
        *,
        groups: Sequence[str | None] | None = None,
        sample_weight: Sequence[float] | None = None,
    ) -> PointsEstimator:
        p = np.array([np.nan if v is None else float(v) for v in points])
        if p.size != len(index):
            raise Invalid("points: one value (or None) per indexed item is needed")
        self._index = index
        self._points = p
        self._known = ~np.isnan(p)
        if not self._known.any():
            raise Invalid("points: no finished item with points to learn from")
        self._weights = np.ones(p.size) if sample_weight is None else np.asarray(
            sample_weight, dtype=float)
        g = [None] * p.size if groups is None else list(groups)
        self._groups = np.array(["" if v is None else str(v) for v in g], dtype=object)
        self._medians = {grp: float(np.median(p[self._known & (self._groups == grp)]))
                         for grp in set(self._groups[self._known])}
        self._median = float(np.median(p[self._known]))
        self.interval_coverage = self._measure_coverage()
        return self

    def _pool(self, sims: NDArray, group: str | None) -> tuple[NDArray, NDArray, NDArray, float]:
        usable = self._known.copy()
        median = self._median
        if group is not None and (self._known & (self._groups == group)).sum() >= self.min_group:
            usable &= self._groups == group
            median = self._medians[group]
        cand = np.flatnonzero(usable & (sims > 0))
        best = cand[np.argsort(-sims[cand], kind="mergesort")[: self.k]]
        values = np.r_[self._points[best], [median] * self.pseudo_neighbours]
        weights = np.r_[self._weights[best], [1.0] * self.pseudo_neighbours]
        return best, values, weights, median

    def _predict_row(self, sims: NDArray, group: str | None) -> tuple[float, float, float, NDArray]:
        best, values, weights, _ = self._pool(sims, group)
        return (weighted_quantile(values, weights, 0.5), weighted_quantile(values, weights, 0.25),
                weighted_quantile(values, weights, 0.75), best)

    def _measure_coverage(self) -> float:
        rows = np.flatnonzero(self._known)
        if rows.size > _COVERAGE_SAMPLE:
            rows = np.random.default_rng(0).choice(rows, _COVERAGE_SAMPLE, replace=False)
        if rows.size < 5:
            return float("nan")
        sims = self._index.self_similarities(rows)
        hits = []
        for r, s in zip(rows, sims, strict=True):
            _, low, high, _ = self._predict_row(s, self._groups[r] or None)
            hits.append(low <= self._points[r] <= high)
        return float(np.mean(hits))

    def predict_points(self, texts: Sequence[str], groups: Sequence[str | None] | None = None
                       ) -> NDArray[np.float64]:
        """Rows of (estimate, low, high) without reasons, for bulk scoring."""
        sims = self._index.similarities(texts)
        g = [None] * len(texts) if groups is None else groups
        return np.array([self._predict_row(s, grp)[:3] for s, grp in zip(sims, g, strict=True)])

    def estimate_many(self, texts: Sequence[str], groups: Sequence[str | None]) -> list[Estimate]:
        sims = self._index.similarities(texts)
        return [self._estimate(s, g) for s, g in zip(sims, groups, strict=True)]

    def _estimate(self, sims: NDArray, group: str | None) -> Estimate:
        mid, low, high, best = self._predict_row(sims, group)
        reasons = [Reason("similar_item", f"{self._index.keys[i]}: {self._points[i]:g} points",
                          round(float(sims[i]), 4), key=self._index.keys[i]) for i in best[:5]]
        if best.size < self.k:
            reasons.append(Reason("term", "few similar finished items: leaning on the median",
                                  float(self.pseudo_neighbours)))
        return Estimate(points=mid, low=low, high=high, confidence=self.interval_coverage,
                        reasons=tuple(reasons))


def fibonacci_step(value: float) -> int:
    """Index of the nearest value of the modified Fibonacci scale."""
    return int(np.argmin([abs(value - f) for f in FIBONACCI]))


@dataclass(frozen=True)
class PriorityHint:
    """A WSJF term that is missing or far (two or more scale steps) from similar items."""

    term: str
    kind: str  # "missing" or "inconsistent"
    current: int | None
    suggested: int
    confidence: float
    reasons: tuple[Reason, ...]


def wsjf_hint(
    term: str,
    current: int | None,
    sims: NDArray,
    values: NDArray,
    keys: Sequence[str],
    *,
    k: int = 7,
) -> PriorityHint | None:
    """The hint for one term from the similar items that have it (None when all is well)."""
    cand = np.flatnonzero(~np.isnan(values) & (sims > 0))
    if cand.size == 0:
        return None
    best = cand[np.argsort(-sims[cand], kind="mergesort")[:k]]
    suggested = FIBONACCI[fibonacci_step(weighted_quantile(values[best], sims[best], 0.5))]
    steps = np.array([fibonacci_step(v) for v in values[best]])
    agree = float(np.average(np.abs(steps - fibonacci_step(suggested)) <= 1, weights=sims[best]))
    if current is not None and abs(fibonacci_step(current) - fibonacci_step(suggested)) < 2:
        return None
    reasons = tuple(Reason("similar_item", f"{keys[i]}: {term} {values[i]:g}",
                           round(float(sims[i]), 4), key=keys[i]) for i in best[:5])
    return PriorityHint(term=term, kind="missing" if current is None else "inconsistent",
                        current=current, suggested=suggested, confidence=round(agree, 4),
                        reasons=reasons)
