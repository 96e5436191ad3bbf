"""Suggesting unrecorded dependencies between teams' backlog items, with checkable reasons."""

from __future__ import annotations

import numpy as np
import pytest

from trainmaster.domain.errors import Invalid
from trainmaster.intelligence.dependency_finder import (
    BacklogText,
    PairSignals,
    Weights,
    suggest,
)
from trainmaster.intelligence.embedding import LexicalEmbedder, MiniLmEmbedder, embed_texts

B = BacklogText
BACKLOG = [
    B(1, "PAY-1", "Falcon", "Refund endpoint in payments API v2",
      "Expose POST /refunds in the payments API v2 with idempotency keys."),
    B(2, "PAY-2", "Falcon", "Ledger export to the data warehouse",
      "Nightly export of ledger entries as parquet files."),
    B(3, "PAY-3", "Falcon", "Upgrade the PostgreSQL driver", "Move to psycopg 3 for pooling."),
    B(4, "PAY-5", "Falcon", "Currency conversion rates feed",
      "Import daily ECB exchange rates into the rates table."),
    B(5, "PAY-6", "Falcon", "Document the refund endpoint of payments API v2",
      "Write the reference page for POST /refunds."),
    B(6, "CHK-1", "Kestrel", "Refund button on the order page",
      "Customers ask for a refund from the order page. Needs the refund endpoint from the "
      "payments API v2."),
    B(7, "CHK-2", "Kestrel", "Dark mode for checkout pages", "Offer a dark colour scheme."),
    B(8, "CHK-3", "Kestrel", "Show delivery estimate", "Show the carrier's delivery date."),
    B(9, "CHK-4", "Kestrel", "Show prices in the shopper's currency",
      "Use the rates from PAY-5 to convert basket totals."),
    B(10, "ANA-1", "Osprey", "Revenue dashboard",
      "Daily revenue per market. Blocked until the ledger export to the data warehouse is "
      "deployed."),
    B(11, "ANA-2", "Osprey", "Fix typo in footer", "The footer says Copyrigth."),
    B(12, "ANA-3", "Osprey", "Reconciliation report",
      "Match bank statements against the ledger service every morning."),
    B(13, "ANA-4", "Osprey", "Accessibility audit", "Check contrast and keyboard navigation."),
    B(14, "CHK-5", "Kestrel", "Gift wrapping option", "Let shoppers add gift wrap."),
]
SYSTEMS = {"Falcon": ["ledger service"]}


def run(**kwargs):
    options = {"embedder": LexicalEmbedder(), "top_k": 10, "team_systems": SYSTEMS,
               "min_score": 3.0, **kwargs}
    return suggest(BACKLOG, **options)


def pairs(suggestions):
    return {(s.consumer_id, s.provider_id) for s in suggestions}


def test_cue_phrases_find_the_provider_and_state_who_consumes():
    found = {(s.consumer_id, s.provider_id): s for s in run()}
    refund, ledger = found[(6, 1)], found[(10, 2)]
    assert refund.direction_known and ledger.direction_known
    assert any('"needs the refund endpoint from the payments API v2"' in r
               for r in refund.reasons)
    assert any("blocked until the ledger export" in r for r in ledger.reasons)
    assert any(r.startswith("shared rare terms:") and "ledger" in r for r in ledger.reasons)


def test_a_mentioned_key_is_proposed_first_with_that_reason():
    suggestions = run()
    top = suggestions[0]
    assert {top.consumer_id, top.provider_id} == {9, 4}
    assert "CHK-4 mentions PAY-5" in top.reasons


def test_naming_another_teams_system_is_a_reason():
    found = {frozenset((s.consumer_id, s.provider_id)): s for s in run(top_k=20, min_score=1.0)}
    assert any("names the other's team or system" in r for r in found[frozenset((12, 2))].reasons)


def test_items_of_the_same_team_are_never_paired():
    team = {i.id: i.team for i in BACKLOG}
    assert all(team[s.consumer_id] != team[s.provider_id]
               for s in run(top_k=50, min_score=-100.0))


def test_existing_links_and_rejected_pairs_are_never_proposed_in_either_order():
    everything = pairs(run(top_k=50, min_score=-100.0))
    assert (6, 1) in everything and (10, 2) in everything
    left = pairs(run(top_k=50, min_score=-100.0, existing_links=[(6, 1)],
                     rejected_pairs=[(2, 10)]))
    assert not {(6, 1), (1, 6), (10, 2), (2, 10)} & left


def test_every_suggestion_carries_evidence_and_scores_come_in_order():
    suggestions = run(top_k=50, min_score=-100.0)
    assert all(len(s.reasons) >= 2 for s in suggestions)
    assert [s.score for s in suggestions] == sorted((s.score for s in suggestions), reverse=True)
    assert len(run(top_k=2)) == 2


def test_direction_without_a_cue_is_guessed_and_flagged():
    unstated = [s for s in run(top_k=50, min_score=-100.0) if not s.direction_known]
    assert unstated
    assert all(s.reasons[-1].startswith("direction not stated") for s in unstated)


def test_progress_reports_embedding_then_scoring():
    stages: list[str] = []
    run(progress=lambda stage, done, total: stages.append(stage))
    assert stages[0] == "embedding" and stages[-1] == "scoring"


def test_an_empty_backlog_or_texts_without_words_give_no_suggestions():
    assert suggest([], embedder=LexicalEmbedder()) == []
    wordless = [B(1, "A-1", "Falcon", "The", ""), B(2, "B-1", "Kestrel", "And it", "")]
    assert suggest(wordless, embedder=LexicalEmbedder(), min_score=-100.0) == []


def test_bad_input_is_refused():
    with pytest.raises(Invalid):
        run(top_k=0)
    with pytest.raises(Invalid, match="once"):
        suggest([BACKLOG[0], BACKLOG[0]], embedder=LexicalEmbedder())


def test_the_packaged_model_finds_the_same_known_dependencies():
    found = pairs(suggest(BACKLOG, embedder=MiniLmEmbedder(), top_k=5, team_systems=SYSTEMS))
    assert {(6, 1), (10, 2)} <= found
    assert (9, 4) in found or (4, 9) in found


def test_signals_are_standardised_per_item_and_zero_weights_drop_a_signal():
    signals = PairSignals(BACKLOG, embed_texts(LexicalEmbedder(), [i.text for i in BACKLOG]))
    rows = np.arange(len(BACKLOG))
    blocks = signals.blocks(rows)
    assert set(blocks) == {"lexical", "semantic", "sequence", "mention", "system", "cue"}
    assert blocks["lexical"][rows, rows].tolist() == [0.0] * len(BACKLOG)
    lexical = blocks["lexical"]
    assert lexical == pytest.approx(lexical.T, abs=1e-5)
    only_mention = PairSignals.combine(blocks, Weights(0, 0, 0, 1, 0, 0))
    assert only_mention[8, 3] == 1.0 and only_mention[3, 8] == 1.0
    assert only_mention.sum() == 2.0
