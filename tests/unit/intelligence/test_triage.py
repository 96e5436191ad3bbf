"""Triage suggestions learned from history, with reasons, and from people's decisions."""

from __future__ import annotations

import pytest

from trainmaster.domain.errors import Invalid
from trainmaster.intelligence.triage import (
    TriageDecision,
    TriageItem,
    train_triage,
    triage_model_from_bytes,
)

PAYMENTS = ["payment gateway timeout", "refund fails for card payment", "checkout payment error",
            "card declined at checkout", "invoice payment rounding", "payment retry duplicate"]
SEARCH = ["search index rebuild slow", "faceted search filter", "search ranking by relevance",
          "autocomplete in search box", "search results paging", "reindex catalogue search"]


def _history() -> list[TriageItem]:
    items = []
    for n in range(4):
        for i, title in enumerate(PAYMENTS):
            items.append(TriageItem(f"PAY-{n * 10 + i}", f"{title} {n}", "customers see an error",
                                    work_type="defect", team="payments", points=3, finished=True,
                                    business_value=8, job_size=3))
        for i, title in enumerate(SEARCH):
            items.append(TriageItem(f"SRC-{n * 10 + i}", f"{title} {n}", "users want better search",
                                    work_type="business", team="search", points=8, finished=True,
                                    business_value=3, job_size=8))
    return items


@pytest.fixture(scope="module")
def model():
    return train_triage(_history())


def test_suggests_team_and_work_type_of_similar_items(model):
    s = model.suggest(TriageItem("NEW-1", "payment fails at checkout", "card error"))
    assert s.work_type is not None and s.work_type.value == "defect"
    assert s.team is not None and s.team.value == "payments"
    assert s.team.confidence > 0.7
    assert dict(s.team.alternatives)["search"] < 0.3


def test_reasons_name_the_driving_words_and_the_nearest_past_items(model):
    s = model.suggest(TriageItem("NEW-2", "faceted search filter broken", ""))
    assert s.team is not None
    terms = [r.text for r in s.team.reasons if r.kind == "term"]
    similar = [r for r in s.team.reasons if r.kind == "similar_item"]
    assert any("search" in t or "faceted" in t for t in terms[:3])
    assert similar and all(r.key.startswith("SRC-") for r in similar)


def test_estimate_comes_from_similar_finished_items_with_a_range(model):
    est = model.suggest(TriageItem("NEW-3", "search ranking and paging", "")).estimate
    assert est is not None
    assert est.points == 8 and est.low <= est.points <= est.high
    assert 0.0 <= est.confidence <= 1.0
    assert any(r.key and r.key.startswith("SRC-") for r in est.reasons)


def test_priority_hints_flag_missing_and_inconsistent_wsjf_terms(model):
    s = model.suggest(TriageItem("NEW-4", "refund payment error", "", business_value=1))
    hints = {h.term: h for h in s.priority_hints}
    assert hints["business_value"].kind == "inconsistent"
    assert hints["business_value"].suggested == 8
    assert hints["job_size"].kind == "missing" and hints["job_size"].suggested == 3
    assert "time_criticality" not in hints  # no similar item has it: nothing to say
    consistent = model.suggest(TriageItem("NEW-5", "refund payment error", "", business_value=5,
                                          job_size=3))
    assert consistent.priority_hints == ()


def test_model_round_trips_through_bytes(model):
    again = triage_model_from_bytes(model.to_bytes())
    item = TriageItem("NEW-6", "autocomplete search", "")
    assert again.suggest(item) == model.suggest(item)
    with pytest.raises(Invalid):
        triage_model_from_bytes(b"\x80\x05N.")


def test_decisions_teach_the_model_a_new_routing():
    history = _history()
    before = train_triage(history).suggest(TriageItem("N", "payment report export", ""))
    assert before.team is not None and before.team.value == "payments"
    decisions = [TriageDecision(TriageItem(f"REP-{i}", f"payment report export {i}", "",
                                           team="search", work_type="business"),
                                fields=("team",), edited=True) for i in range(6)]
    after = train_triage(history, decisions).suggest(TriageItem("N", "payment report export", ""))
    assert after.team is not None and after.team.value == "search"


def test_decision_weight_decides_between_history_and_people():
    history = _history() + [TriageItem(f"REP-{i}", f"quarterly report export {i}", "",
                                       work_type="business") for i in range(4)]
    decisions = [TriageDecision(TriageItem(f"D-{i}", f"quarterly report export {i}", "",
                                           work_type="defect"), fields=("work_type",))
                 for i in range(3)]
    item = TriageItem("N", "quarterly report export", "")
    light = train_triage(history, decisions, accepted_weight=0.2).suggest(item).work_type
    heavy = train_triage(history, decisions, accepted_weight=5.0).suggest(item).work_type
    assert light is not None and light.value == "business"
    assert heavy is not None and heavy.value == "defect"


def test_nothing_to_learn_gives_no_suggestion_rather_than_a_guess():
    items = [TriageItem(f"A-{i}", f"thing {i}", "", team="only") for i in range(5)]
    s = train_triage(items).suggest(TriageItem("N", "thing", ""))
    assert s.team is None and s.work_type is None and s.estimate is None
    with pytest.raises(Invalid):
        train_triage([])
    with pytest.raises(Invalid):
        train_triage(items, [TriageDecision(items[0], fields=("colour",))])
