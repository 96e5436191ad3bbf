"""The extractive summary: TextRank over sentence similarity, within a budget."""

from datetime import date

import numpy as np

from trainmaster.intelligence.notes import SummaryOptions, parse_notes
from trainmaster.intelligence.notes.summary import rank_sentences, textrank

TEXTS = [
    "The payments API sandbox is unstable and the payments partner has not answered.",
    "Lunch was good.",
    "The payments partner must fix the sandbox before the payments API certification.",
    "Kestrel needs the payments sandbox for the certification of the payments API.",
    "Someone mentioned the weather in Lyon is nice this week, sunny and warm.",
]


def test_textrank_gives_the_best_connected_sentence_the_highest_rank():
    similarity = np.array([[1, 0.9, 0.8], [0.9, 1, 0.1], [0.8, 0.1, 1.0]])
    rank = textrank(similarity)
    assert rank.argmax() == 0 and abs(rank.sum() - 1.0) < 1e-6


def test_summary_prefers_central_sentences_and_keeps_reading_order():
    chosen = rank_sentences(TEXTS, options=SummaryOptions(max_sentences=2, redundancy=0.9))
    assert [i for i, _ in chosen] == [0, 2]
    assert chosen[1][1] > chosen[0][1]  # 2 ranks first; the summary keeps reading order


def test_summary_stops_at_the_word_budget():
    chosen = rank_sentences(TEXTS, options=SummaryOptions(max_words=10))
    assert len(chosen) == 1


def test_an_embedding_function_can_replace_tf_idf():
    calls = []

    def embed(texts):
        calls.append(len(texts))
        return np.array([[1.0, 0.0] if "payments" in t else [0.0, 1.0] for t in texts])

    chosen = rank_sentences(TEXTS, options=SummaryOptions(max_sentences=1), embedder=embed)
    assert calls == [4]  # "Lunch was good." is too short to be a candidate
    assert "payments" in TEXTS[chosen[0][0]]


def test_parse_notes_summary_cites_its_sentences():
    text = " ".join(TEXTS)
    analysis = parse_notes(text, meeting_date=date(2025, 1, 6),
                           summary=SummaryOptions(max_sentences=2))
    assert len(analysis.summary) == 2
    assert analysis.summary_text == " ".join(p.source.sentence for p in analysis.summary)
    assert all(text[p.source.start:p.source.end] == p.text for p in analysis.summary)
