"""Backlog triage learned from history: work type, team, estimate and WSJF hints.

    model = train_triage(history_items, decisions)
    suggestions = model.suggest(new_item)
    blob = model.to_bytes(); model = triage_model_from_bytes(blob)

Every suggestion carries a value, a calibrated confidence and its reasons (the words that
drove a classifier, or the most similar past items with their keys). Human decisions on
earlier suggestions (accepted or edited) are extra labelled examples with a higher weight,
so the next training follows what people chose.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from trainmaster.domain.errors import Invalid
from trainmaster.intelligence.triage_estimate import (
    WSJF_TERMS,
    Estimate,
    ItemIndex,
    PointsEstimator,
    PriorityHint,
    wsjf_hint,
)
from trainmaster.intelligence.triage_text import Reason, TextClassifier

__all__ = [
    "WSJF_TERMS", "Estimate", "PriorityHint", "Reason", "Suggestion", "TriageDecision",
    "TriageItem", "TriageModel", "TriageSuggestions", "train_triage", "triage_model_from_bytes",
]

WORK_TYPES = ("business", "enabler", "defect", "tech_debt")
_FORMAT = "trainmaster.triage/1"
_MIN_LABELLED = 4


@dataclass(frozen=True)
class TriageItem:
    """A backlog item as triage sees it; unknown fields are None."""

    key: str
    title: str
    description: str = ""
    work_type: str | None = None
    team: str | None = None
    points: float | None = None
    finished: bool = False
    business_value: int | None = None
    time_criticality: int | None = None
    risk_reduction: int | None = None
    job_size: int | None = None

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.description}"


@dataclass(frozen=True)
class TriageDecision:
    """What a person did with a suggestion: ``item`` carries the values they kept.

    ``fields`` names which of work_type, team, points they decided; ``edited`` is True when
    they changed the suggested value (an edit teaches more than an acceptance).
    """

    item: TriageItem
    fields: tuple[str, ...]
    edited: bool = False


@dataclass(frozen=True)
class Suggestion:
    field: str
    value: str
    confidence: float
    alternatives: tuple[tuple[str, float], ...]
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class TriageSuggestions:
    key: str
    work_type: Suggestion | None
    team: Suggestion | None
    estimate: Estimate | None
    priority_hints: tuple[PriorityHint, ...]


@dataclass(frozen=True)
class _Example:
    item: TriageItem
    weight: float
    fields: frozenset[str]


def _examples(
    history: Sequence[TriageItem], decisions: Sequence[TriageDecision],
    accepted_weight: float, edited_weight: float,
) -> list[_Example]:
    all_fields = frozenset({"work_type", "team", "points"})
    out = [_Example(i, 1.0, all_fields) for i in history]
    for d in decisions:
        unknown = set(d.fields) - all_fields
        if unknown:
            raise Invalid(f"fields: cannot learn from decisions on {sorted(unknown)}")
        item = replace(d.item, finished=True) if "points" in d.fields else d.item
        out.append(_Example(item, edited_weight if d.edited else accepted_weight,
                            frozenset(d.fields)))
    return out


def _classifier(examples: list[_Example], field: str, char_ngrams: bool) -> TextClassifier | None:
    chosen = [e for e in examples if field in e.fields and getattr(e.item, field)]
    if len(chosen) < _MIN_LABELLED or len({getattr(e.item, field) for e in chosen}) < 2:
        return None
    return TextClassifier(char_ngrams=char_ngrams).fit(
        [e.item.title for e in chosen], [e.item.description for e in chosen],
        [str(getattr(e.item, field)) for e in chosen], keys=[e.item.key for e in chosen],
        sample_weight=[e.weight for e in chosen])


class TriageModel:
    """Trained triage; build it with `train_triage`."""

    def __init__(self, examples: list[_Example], *, char_ngrams: bool, k: int) -> None:
        items = [e.item for e in examples]
        self.trained_on = len(items)
        self.work_type = _classifier(examples, "work_type", char_ngrams)
        self.team = _classifier(examples, "team", char_ngrams)
        self._index = ItemIndex([i.text for i in items], [i.key for i in items])
        self._wsjf = {t: np.array([np.nan if getattr(i, t) is None else float(getattr(i, t))
                                   for i in items]) for t in WSJF_TERMS}
        points = [i.points if (i.finished and "points" in e.fields) else None
                  for i, e in zip(items, examples, strict=True)]
        self.estimator: PointsEstimator | None = None
        if any(p is not None for p in points):
            self.estimator = PointsEstimator(k=k).fit(
                self._index, points, groups=[i.team for i in items],
                sample_weight=[e.weight for e in examples])

    def suggest(self, item: TriageItem) -> TriageSuggestions:
        return self.suggest_many([item])[0]

    def suggest_many(self, items: Sequence[TriageItem]) -> list[TriageSuggestions]:
        texts = [i.text for i in items]
        estimates = (self.estimator.estimate_many(texts, [i.team for i in items])
                     if self.estimator else [None] * len(items))
        sims = self._index.similarities(texts)
        return [TriageSuggestions(key=i.key,
                                  work_type=_suggest(self.work_type, "work_type", i),
                                  team=_suggest(self.team, "team", i),
                                  estimate=e, priority_hints=self._hints(i, s))
                for i, e, s in zip(items, estimates, sims, strict=True)]

    def _hints(self, item: TriageItem, sims: np.ndarray) -> tuple[PriorityHint, ...]:
        hints = (wsjf_hint(t, getattr(item, t), sims, self._wsjf[t], self._index.keys)
                 for t in WSJF_TERMS)
        return tuple(h for h in hints if h is not None)

    def to_bytes(self) -> bytes:
        return pickle.dumps((_FORMAT, self), protocol=pickle.HIGHEST_PROTOCOL)


def _suggest(clf: TextClassifier | None, field: str, item: TriageItem) -> Suggestion | None:
    if clf is None:
        return None
    ranked = clf.ranked(item.title, item.description)
    value = ranked.labels[0]
    reasons = (*clf.term_reasons(item.title, item.description, value),
               *clf.similar(item.title, item.description))
    return Suggestion(field=field, value=value, confidence=round(ranked.probabilities[0], 4),
                      alternatives=tuple(zip(ranked.labels[1:4],
                                             (round(p, 4) for p in ranked.probabilities[1:4]),
                                             strict=True)),
                      reasons=tuple(reasons))


def train_triage(
    history: Sequence[TriageItem],
    decisions: Sequence[TriageDecision] = (),
    *,
    accepted_weight: float = 2.0,
    edited_weight: float = 4.0,
    char_ngrams: bool = True,
    k: int = 12,
) -> TriageModel:
    """Train all triage suggestions from past items and people's decisions on suggestions."""
    if not history and not decisions:
        raise Invalid("history: triage needs at least one past item to learn from")
    return TriageModel(_examples(history, decisions, accepted_weight, edited_weight),
                       char_ngrams=char_ngrams, k=k)


def triage_model_from_bytes(blob: bytes) -> TriageModel:
    """Load a model stored with `TriageModel.to_bytes` (only load blobs you stored yourself)."""
    loaded = pickle.loads(blob)
    if not (isinstance(loaded, tuple) and loaded[0] == _FORMAT):
        raise Invalid("blob: not a stored triage model of this version")
    return loaded[1]
