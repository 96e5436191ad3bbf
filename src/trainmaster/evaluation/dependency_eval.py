"""Dependency suggestions measured on real Jira links (Spring XD), against TF-IDF cosine.

Protocol. Items are the project's issues (`backlog_items/<project>.csv`: title and
description). A query is an issue with at least one dependency link (`LINK_NAMES`) to another
issue whose text is in the file; its relevant items are all issues so linked, in either
direction. For every query all other issues of the project are ranked; recall@k is the share
of its relevant issues in the top k, MRR the mean of 1 / rank of the first relevant one.
Bootstrap intervals (95 %, queries resampled) go with the two headline rows.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from trainmaster.domain.errors import NotFound
from trainmaster.evaluation.data import default_data_dir  # noqa: F401 - re-exported
from trainmaster.intelligence.dependency_finder import (
    BacklogText,
    PairSignals,
    Weights,
    direction,
)
from trainmaster.intelligence.embedding import (
    Embedder,
    EmbeddingCache,
    LexicalEmbedder,
    Progress,
    embed_texts,
)

#: Jira link names counted as dependencies (the Spring XD file has the first two only).
LINK_NAMES = ("depends on", "is depended on by", "blocks", "is blocked by")
_CONSUMER_FIRST = ("depends on", "is blocked by")
_MISSING = {"", "NULL", "null", "None"}




@dataclass(frozen=True)
class Metrics:
    recall_at_5: float
    recall_at_20: float
    mrr: float
    recall_at_20_ci: tuple[float, float] | None = None
    mrr_ci: tuple[float, float] | None = None


@dataclass(frozen=True)
class EvaluationData:
    items: list[BacklogText]
    relevant: dict[int, set[int]]        # query position -> positions of linked issues
    directed: list[tuple[int, int]]      # (consumer, provider) positions of dependency links


@dataclass(frozen=True)
class DependencyEvaluation:
    project: str
    items: int
    queries: int
    links: int
    rows: dict[str, Metrics]
    direction_known: float
    direction_accuracy_known: float
    direction_accuracy_all: float


def load_project(data_dir: Path, project: str = "springxd") -> EvaluationData:
    items_file = data_dir / "backlog_items" / f"{project}.csv"
    links_file = data_dir / "issue_links" / f"{project}_links.csv"
    for path in (items_file, links_file):
        if not path.is_file():
            raise NotFound(f"{path} does not exist (set TRAINMASTER_EVAL_DATA)", field="data")
    with items_file.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    items = [BacklogText(n, r["issuekey"], project, r["title"] or "",
                         "" if r["description"] in _MISSING else r["description"])
             for n, r in enumerate(rows)]
    pos = {item.key: item.id for item in items}
    relevant: dict[int, set[int]] = {}
    directed: set[tuple[int, int]] = set()
    with links_file.open(newline="", encoding="utf-8") as fh:
        for link in csv.DictReader(fh):
            a, b = pos.get(link["issuekey"]), pos.get(link["linkedIssueKey"])
            if link["name"] not in LINK_NAMES or a is None or b is None or a == b:
                continue
            relevant.setdefault(int(a), set()).add(int(b))
            relevant.setdefault(int(b), set()).add(int(a))
            directed.add((int(a), int(b)) if link["name"] in _CONSUMER_FIRST else (int(b), int(a)))
    return EvaluationData(items, relevant, sorted(directed))


def rank_metrics(scores: np.ndarray, queries: Sequence[int],
                 relevant: Mapping[int, set[int]]) -> np.ndarray:
    """Per query (recall@5, recall@20, reciprocal rank); `scores` has one row per query."""
    out = np.zeros((len(queries), 3))
    for r, q in enumerate(queries):
        row = scores[r].astype(np.float64)
        row[q] = -np.inf
        order = np.argsort(-row, kind="stable")
        rank = np.empty(row.shape[0], dtype=np.int64)
        rank[order] = np.arange(1, row.shape[0] + 1)
        ranks = np.sort(rank[sorted(relevant[q])])
        out[r] = ((ranks <= 5).mean(), (ranks <= 20).mean(), 1.0 / ranks[0])
    return out


def summarise(per_query: np.ndarray, intervals: bool = False, seed: int = 0) -> Metrics:
    r5, r20, mrr = (round(float(v), 3) for v in per_query.mean(axis=0))
    if not intervals:
        return Metrics(r5, r20, mrr)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, per_query.shape[0], size=(2000, per_query.shape[0]))
    lo, hi = np.percentile(per_query[picks].mean(axis=1), [2.5, 97.5], axis=0)
    return Metrics(r5, r20, mrr,
                   recall_at_20_ci=(round(float(lo[1]), 3), round(float(hi[1]), 3)),
                   mrr_ci=(round(float(lo[2]), 3), round(float(hi[2]), 3)))


def tfidf_baseline(items: Sequence[BacklogText], queries: Sequence[int]) -> np.ndarray:
    """Plain TF-IDF cosine over title + description (scikit-learn defaults)."""
    x = TfidfVectorizer().fit_transform([f"{i.title} {i.description}" for i in items])
    return (x[list(queries)] @ x.T).toarray()


def _configurations(weights: Weights) -> dict[str, Weights]:
    zero = Weights(**dict.fromkeys(("lexical", "semantic", "sequence", "mention", "system",
                                    "cue"), 0.0))
    configs = {"all signals": weights}
    for signal in ("lexical", "semantic", "sequence", "mention", "cue"):
        configs[f"without {signal}"] = weights.without(signal)
    configs["text only (lexical + semantic)"] = Weights(
        lexical=weights.lexical, semantic=weights.semantic, sequence=0.0, mention=0.0,
        system=0.0, cue=0.0)
    for signal in ("lexical", "semantic", "sequence", "mention", "cue"):
        configs[f"{signal} alone"] = Weights(**{**zero.__dict__, signal: 1.0})
    return configs


def evaluate_dependencies(data_dir: Path, embedder: Embedder, cache: EmbeddingCache,
                          project: str = "springxd", weights: Weights | None = None,
                          progress: Progress | None = None) -> DependencyEvaluation:
    """The evaluation table: baseline, method, ablations, lexical fallback, direction."""
    data = load_project(data_dir, project)
    weights = weights or Weights()
    queries = sorted(data.relevant)
    texts = [i.text for i in data.items]
    rows: dict[str, Metrics] = {
        "TF-IDF cosine (baseline)": summarise(
            rank_metrics(tfidf_baseline(data.items, queries), queries, data.relevant), True)}
    signals = PairSignals(data.items, embed_texts(embedder, texts, cache, progress))
    blocks = signals.blocks(np.array(queries))
    for name, config in _configurations(weights).items():
        per_query = rank_metrics(PairSignals.combine(blocks, config), queries, data.relevant)
        rows[name] = summarise(per_query, intervals=name == "all signals")
    fallback = PairSignals(data.items, embed_texts(LexicalEmbedder(), texts, cache))
    rows["all signals, lexical fallback embedder"] = summarise(rank_metrics(
        PairSignals.combine(fallback.blocks(np.array(queries)), weights), queries,
        data.relevant))
    known, right_known, right_all = _direction_scores(signals, data.directed)
    return DependencyEvaluation(project, len(data.items), len(queries), len(data.directed),
                                rows, known, right_known, right_all)


def _direction_scores(signals: PairSignals, directed: Sequence[tuple[int, int]],
                      ) -> tuple[float, float, float]:
    """Share of links whose direction the text states, accuracy there, accuracy overall."""
    results = [(direction(signals, c, p), c) for c, p in directed]
    known = [consumer == c for (consumer, _, stated, _), c in results if stated]
    right = [consumer == c for (consumer, _, _, _), c in results]
    n = max(len(results), 1)
    return (round(len(known) / n, 3), round(float(np.mean(known)) if known else 0.0, 3),
            round(float(np.mean(right)) if right else 0.0, 3))


def format_rows(result: DependencyEvaluation) -> list[list[str]]:
    """[method, recall@5, recall@20, MRR] as text, with 95 % intervals where measured."""
    def interval(ci: tuple[float, float] | None) -> str:
        return f" ({ci[0]:.2f}–{ci[1]:.2f})" if ci else ""

    return [[name, f"{m.recall_at_5:.3f}", f"{m.recall_at_20:.3f}{interval(m.recall_at_20_ci)}",
             f"{m.mrr:.3f}{interval(m.mrr_ci)}"] for name, m in result.rows.items()]
