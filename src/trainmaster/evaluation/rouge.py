"""ROUGE-N and ROUGE-L (precision, recall, F1) written out, no dependency.

Tokens are lower-cased runs of letters and digits (everything else separates them), as in
the reference `rouge-score` package without stemming. ROUGE-N counts clipped n-gram
overlap; ROUGE-L uses the longest common subsequence of the two token sequences.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_TOKEN = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _ngrams(words: list[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))


def _score(overlap: int, candidate_total: int, reference_total: int) -> Score:
    return Score(overlap / candidate_total if candidate_total else 0.0,
                 overlap / reference_total if reference_total else 0.0)


def rouge_n(candidate: str, reference: str, n: int) -> Score:
    ours, theirs = _ngrams(tokens(candidate), n), _ngrams(tokens(reference), n)
    overlap = sum((ours & theirs).values())
    return _score(overlap, sum(ours.values()), sum(theirs.values()))


def lcs_length(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence (dynamic programming, two rows)."""
    if len(a) < len(b):
        a, b = b, a
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def rouge_l(candidate: str, reference: str) -> Score:
    ours, theirs = tokens(candidate), tokens(reference)
    return _score(lcs_length(ours, theirs), len(ours), len(theirs))


def rouge_all(candidate: str, reference: str) -> dict[str, Score]:
    return {"rouge1": rouge_n(candidate, reference, 1), "rouge2": rouge_n(candidate, reference, 2),
            "rougeL": rouge_l(candidate, reference)}
