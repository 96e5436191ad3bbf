"""The dependency-suggestion evaluation: ranking metrics, and the protocol on real data."""

from __future__ import annotations

import numpy as np
import pytest

from trainmaster.evaluation.dependency_eval import (
    default_data_dir,
    load_project,
    rank_metrics,
    summarise,
    tfidf_baseline,
)


def test_rank_metrics_count_relevant_items_in_the_top_k_and_the_first_hit():
    scores = np.array([[0.0, 0.9, 0.8, 0.1, 0.7, 0.6, 0.5, 0.4]])
    per_query = rank_metrics(scores, [0], {0: {2, 7}})
    # item 2 ranks 2nd, item 7 ranks 6th (the query itself is never ranked)
    assert per_query.tolist() == [[0.5, 1.0, 0.5]]


def test_summary_gives_bootstrap_intervals_around_the_mean():
    per_query = np.array([[1.0, 1.0, 1.0], [0.0, 0.0, 0.2]] * 20)
    m = summarise(per_query, intervals=True)
    assert (m.recall_at_5, m.recall_at_20, m.mrr) == (0.5, 0.5, 0.6)
    assert m.mrr_ci is not None and m.mrr_ci[0] < 0.6 < m.mrr_ci[1]


def _data_dir():
    path = default_data_dir()
    if not (path / "issue_links" / "springxd_links.csv").is_file():
        pytest.skip(f"evaluation data not found at {path} (set TRAINMASTER_EVAL_DATA)")
    return path


@pytest.mark.evaluation
def test_springxd_protocol_has_146_queries_and_reproduces_the_tfidf_baseline():
    data = load_project(_data_dir())
    queries = sorted(data.relevant)
    assert len(queries) == 146
    assert all(q not in data.relevant[q] for q in queries)
    m = summarise(rank_metrics(tfidf_baseline(data.items, queries), queries, data.relevant))
    assert (m.recall_at_5, m.recall_at_20, m.mrr) == pytest.approx((0.30, 0.42, 0.24), abs=0.01)
