"""Extractive summary: TextRank over sentence similarity, with a redundancy check.

Sentences are vectors (TF-IDF by default, or any embedding function passed in); the graph
links sentences by cosine similarity; PageRank gives each a centrality. Sentences that carry
a decision, action or risk may get a boost. The best sentences are taken until the budget is
met, skipping any too similar to one already taken, and returned in reading order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

Embedder = Callable[[Sequence[str]], np.ndarray]

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
_FILLER = re.compile(r"\b(?:uh+|um+|ehm+|hmm+|mm+-?hmm+|erm|yeah|okay|ok|so|well|like|"
                     r"you know|i mean|right)\b", re.IGNORECASE)


@dataclass(frozen=True)
class SummaryOptions:
    max_sentences: int | None = None
    max_words: int | None = None
    min_words: int = 5  # shorter sentences are not candidates
    damping: float = 0.85
    redundancy: float = 0.6  # skip a sentence this similar to one already chosen


def content_words(text: str) -> int:
    return len(_WORD.findall(_FILLER.sub(" ", text)))


def _vectors(texts: Sequence[str], embedder: Embedder | None) -> np.ndarray | None:
    if embedder is not None:
        matrix = np.asarray(embedder(texts), dtype=float)
    else:
        try:
            matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True,
                                     token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z]+\b"
                                     ).fit_transform(texts).toarray()
        except ValueError:  # nothing but stop words
            return None
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


def textrank(similarity: np.ndarray, damping: float = 0.85, iterations: int = 100) -> np.ndarray:
    """PageRank over a weighted, undirected sentence graph (power iteration)."""
    size = similarity.shape[0]
    weights = np.clip(similarity, 0.0, None)
    np.fill_diagonal(weights, 0.0)
    out = weights.sum(axis=1, keepdims=True)
    transition = np.divide(weights, out, out=np.full_like(weights, 1.0 / size), where=out > 0)
    rank = np.full(size, 1.0 / size)
    for _ in range(iterations):
        updated = (1 - damping) / size + damping * transition.T @ rank
        if np.abs(updated - rank).sum() < 1e-9:
            return updated
        rank = updated
    return rank


def rank_sentences(texts: Sequence[str], *, options: SummaryOptions = SummaryOptions(),
                   boosts: Sequence[float] | None = None,
                   embedder: Embedder | None = None) -> list[tuple[int, float]]:
    """The indices of the sentences chosen for the summary, with scores, in reading order."""
    candidates = [i for i, text in enumerate(texts) if content_words(text) >= options.min_words]
    if not candidates:
        candidates = [i for i, text in enumerate(texts) if content_words(text) > 0]
    if not candidates:
        return []
    vectors = _vectors([texts[i] for i in candidates], embedder)
    if vectors is None:
        return [(candidates[0], 1.0)]
    similarity = vectors @ vectors.T
    scores = textrank(similarity, options.damping) * len(candidates)
    if boosts is not None:
        scores = scores * (1.0 + np.array([boosts[i] for i in candidates]))
    chosen = _choose(texts, candidates, scores, similarity, options)
    return sorted((candidates[c], float(scores[c])) for c in chosen)


def _choose(texts: Sequence[str], candidates: list[int], scores: np.ndarray,
            similarity: np.ndarray, options: SummaryOptions) -> list[int]:
    limit = options.max_sentences
    if limit is None and options.max_words is None:
        limit = min(7, max(1, round(len(candidates) ** 0.5)))
    chosen: list[int] = []
    words = 0
    for position in np.argsort(-scores, kind="stable"):
        if limit is not None and len(chosen) >= limit:
            break
        if options.max_words is not None and words >= options.max_words:
            break
        if chosen and similarity[position, chosen].max() > options.redundancy:
            continue
        chosen.append(int(position))
        words += len(texts[candidates[position]].split())
    return chosen
