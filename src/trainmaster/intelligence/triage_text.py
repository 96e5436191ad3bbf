"""A calibrated text classifier for backlog items, with its reasons.

Words and word pairs of the title and of the whole text, plus character n-grams, weighted by
TF-IDF, feed a class-balanced linear SVM. Its scores become probabilities by temperature
scaling fitted on out-of-fold scores, so "0.8" means right about 80 % of the time. Every
prediction names the words that pushed it toward its class (signed contributions of the
linear model) and the most similar past items with their keys.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from trainmaster.domain.errors import Invalid
from trainmaster.intelligence.calibration import fit_temperature, softmax

#: Issue keys (XD-1034) are removed before learning: a key's prefix names its project.
_KEY = re.compile(r"\b[A-Za-z][A-Za-z0-9_]*-\d+\b")
_TOKEN = r"(?u)\b[A-Za-z_][\w.]*\w\b|\b[A-Za-z]\b"
_TITLE_WEIGHT = 0.7
_CALIBRATION_FOLDS = 3


def strip_keys(text: str) -> str:
    """The text without issue keys such as ``XD-1034``."""
    return _KEY.sub(" ", text)


@dataclass(frozen=True)
class Reason:
    """Why a suggestion was made: a term with its weight, or a similar past item."""

    kind: str  # "term" or "similar_item"
    text: str
    weight: float
    key: str | None = None


@dataclass(frozen=True)
class LabelProbabilities:
    """Classes in descending probability."""

    labels: tuple[str, ...]
    probabilities: tuple[float, ...]


class TextClassifier:
    """Title + description -> one of the labels seen in training, with probabilities.

    Probabilities are calibrated when every label has at least three examples (the
    out-of-fold scores need them); otherwise they are the plain softmax of the scores.
    """

    def __init__(self, *, char_ngrams: bool = True, c: float = 0.5, min_df: int = 2,
                 calibrate: bool = True) -> None:
        self.char_ngrams = char_ngrams
        self.calibrate = calibrate
        self.c = c
        self.min_df = min_df
        self.temperature = 1.0
        self.classes_: NDArray[np.str_] = np.array([], dtype=str)
        self._keys: list[str] = []
        self._labels: NDArray[np.str_] = np.array([], dtype=str)
        self._words_matrix: sp.csr_matrix | None = None

    def fit(
        self,
        titles: Sequence[str],
        bodies: Sequence[str],
        labels: Sequence[str],
        *,
        keys: Sequence[str] | None = None,
        sample_weight: Sequence[float] | None = None,
    ) -> TextClassifier:
        y = np.asarray(labels, dtype=str)
        if len(titles) != len(bodies) or len(titles) != y.size:
            raise Invalid("labels: titles, bodies and labels must have the same length")
        if len(np.unique(y)) < 2:
            raise Invalid("labels: a classifier needs at least two different labels")
        w = np.ones(y.size) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        x = self._fit_features(titles, bodies)
        self.temperature = self._fit_temperature(x, y, w)
        self._svm = LinearSVC(C=self.c, class_weight="balanced").fit(x, y, sample_weight=w)
        self.classes_ = self._svm.classes_
        self._keys = list(keys) if keys is not None else [f"#{i}" for i in range(y.size)]
        self._labels = y
        return self

    def _fit_features(self, titles: Sequence[str], bodies: Sequence[str]) -> sp.csr_matrix:
        min_df = self.min_df if len(titles) >= 50 else 1
        self.__dict__.pop("_names", None)
        self._words = TfidfVectorizer(sublinear_tf=True, min_df=min_df, ngram_range=(1, 2),
                                      max_features=200_000, token_pattern=_TOKEN)
        self._title = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), token_pattern=_TOKEN)
        whole = [strip_keys(f"{t}\n{b}") for t, b in zip(titles, bodies, strict=True)]
        parts = [self._words.fit_transform(whole),
                 _TITLE_WEIGHT * self._title.fit_transform([strip_keys(t) for t in titles])]
        self._words_matrix = parts[0].tocsr()
        if self.char_ngrams:
            self._chars = TfidfVectorizer(sublinear_tf=True, min_df=min_df + 1, analyzer="char_wb",
                                          ngram_range=(3, 5), max_features=200_000)
            parts.append(self._chars.fit_transform(whole))
        return sp.hstack(parts).tocsr()

    def _features(self, titles: Sequence[str], bodies: Sequence[str]) -> sp.csr_matrix:
        whole = [strip_keys(f"{t}\n{b}") for t, b in zip(titles, bodies, strict=True)]
        parts = [self._words.transform(whole),
                 _TITLE_WEIGHT * self._title.transform([strip_keys(t) for t in titles])]
        if self.char_ngrams:
            parts.append(self._chars.transform(whole))
        return sp.hstack(parts).tocsr()

    def _fit_temperature(self, x: sp.csr_matrix, y: NDArray[np.str_], w: NDArray) -> float:
        classes, counts = np.unique(y, return_counts=True)
        if not self.calibrate or counts.min() < _CALIBRATION_FOLDS:
            return 1.0
        scores = np.zeros((y.size, classes.size))
        folds = StratifiedKFold(_CALIBRATION_FOLDS, shuffle=True, random_state=0)
        for train, test in folds.split(x, y):
            svm = LinearSVC(C=self.c, class_weight="balanced")
            svm.fit(x[train], y[train], sample_weight=w[train])
            scores[test] = _scores_for(svm, x[test], classes)
        return fit_temperature(scores, np.searchsorted(classes, y))

    def predict_proba(self, titles: Sequence[str], bodies: Sequence[str]) -> NDArray[np.float64]:
        """Calibrated probabilities, one column per entry of ``classes_``."""
        return softmax(_scores_for(self._svm, self._features(titles, bodies), self.classes_),
                       self.temperature)

    def predict(self, titles: Sequence[str], bodies: Sequence[str]) -> NDArray[np.str_]:
        return self.classes_[np.argmax(self.predict_proba(titles, bodies), axis=1)]

    def ranked(self, title: str, body: str) -> LabelProbabilities:
        p = self.predict_proba([title], [body])[0]
        order = np.argsort(-p)
        return LabelProbabilities(tuple(str(self.classes_[i]) for i in order),
                                  tuple(float(p[i]) for i in order))

    def term_reasons(self, title: str, body: str, label: str, *, top: int = 5) -> list[Reason]:
        """Words whose presence pushed the item toward ``label`` most (linear contributions)."""
        x = self._features([title], [body])
        k = int(np.searchsorted(self.classes_, label))
        coef = self._svm.coef_ if self.classes_.size > 2 else _binary_coef(self._svm.coef_)
        contrib = x.multiply(coef[k]).tocsr()
        names = self._feature_names()
        by_term: dict[str, float] = {}
        for j, v in zip(contrib.indices, contrib.data, strict=True):
            if j < len(names) and v > 0:
                by_term[names[j]] = by_term.get(names[j], 0.0) + float(v)
        best = sorted(by_term.items(), key=lambda kv: -kv[1])[:top]
        return [Reason("term", term, round(weight, 4)) for term, weight in best]

    def similar(self, title: str, body: str, *, top: int = 3) -> list[Reason]:
        """The most similar training items (cosine of word TF-IDF), with keys and labels."""
        if self._words_matrix is None:
            return []
        q = self._words.transform([strip_keys(f"{title}\n{body}")])
        sims = (self._words_matrix @ q.T).toarray().ravel()
        best = np.argsort(-sims)[:top]
        return [Reason("similar_item", f"{self._keys[i]} ({self._labels[i]})",
                       round(float(sims[i]), 4), key=self._keys[i])
                for i in best if sims[i] > 0]

    def _feature_names(self) -> list[str]:
        """Names of the word and title features (character n-grams are not shown as reasons)."""
        if not hasattr(self, "_names"):
            self._names = [*self._words.get_feature_names_out(),
                           *self._title.get_feature_names_out()]
        return self._names


def _binary_coef(coef: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.vstack([-coef[0], coef[0]])


def _scores_for(svm: LinearSVC, x: sp.csr_matrix, classes: NDArray[np.str_]) -> NDArray:
    """Decision scores as one column per class in ``classes`` (absent classes score low)."""
    raw = svm.decision_function(x)
    if raw.ndim == 1:
        raw = np.column_stack([-raw, raw]) / 2.0
    out = np.full((x.shape[0], classes.size), raw.min() - 10.0)
    out[:, np.searchsorted(classes, svm.classes_)] = raw
    return out
