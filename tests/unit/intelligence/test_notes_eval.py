"""The labelled notes stay above the precision and recall measured when the rules were set.

Floors are the figures reported in docs/evaluation.md less a margin (0.05 on the dev half,
about 0.08 on the held-out half).
"""

from __future__ import annotations

import pytest

from trainmaster.evaluation.notes_corpora import minutes_actions, soft_similarity
from trainmaster.evaluation.notes_eval import (
    Counts,
    default_fixtures_dir,
    evaluate_labelled,
    load_labelled,
    max_matching,
)

# (precision floor, recall floor); measured dev / held-out figures in the comments
FLOORS = {
    "dev": {
        "actions (text)": (0.93, 0.93),  # 0.99 / 0.99
        "actions (text+owner+due)": (0.93, 0.93),  # 0.99 / 0.99
        "decisions": (0.88, 0.94),  # 0.94 / 1.00
        "risks": (0.90, 0.94),  # 0.95 / 1.00
        "impediments": (0.88, 0.94),  # 0.94 / 1.00
    },
    "heldout": {
        "actions (text)": (0.89, 0.82),  # 0.97 / 0.90
        "actions (text+owner+due)": (0.76, 0.70),  # 0.84 / 0.78
        "decisions": (0.88, 0.84),  # 0.96 / 0.92
        "risks": (0.82, 0.87),  # 0.90 / 0.95
        "impediments": (0.70, 0.80),  # 0.78 / 0.88
    },
}


@pytest.fixture(scope="module")
def reports():
    return evaluate_labelled()


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_labelled_notes_stay_above_the_measured_floors(reports, split):
    below = {}
    for name, (precision, recall) in FLOORS[split].items():
        counts = reports[split].totals[name]
        if counts.precision < precision or counts.recall < recall:
            below[name] = (round(counts.precision, 2), round(counts.recall, 2))
    assert below == {}


def test_the_labelled_set_has_two_halves_of_at_least_twenty_notes():
    notes = load_labelled(default_fixtures_dir())
    assert sum(n.split == "dev" for n in notes) >= 20
    assert sum(n.split == "heldout" for n in notes) >= 20
    suffixes = {p.suffix for p in default_fixtures_dir().glob("*/*") if p.suffix != ".json"}
    assert suffixes == {".md", ".txt", ".vtt"}


def test_matching_pairs_each_gold_item_with_at_most_one_proposal():
    # proposals 0 and 1 both cite gold 0; only one may count
    assert max_matching(2, 1, lambda p, g: True) == 1
    # augmenting path: 0 can take 0 or 1, 1 only 0 -> both match
    assert max_matching(2, 2, lambda p, g: (p, g) in {(0, 0), (0, 1), (1, 0)}) == 2


def test_counts_give_precision_recall_and_f1():
    counts = Counts(3, 4, 6) + Counts(1, 1, 0)
    assert (counts.precision, counts.recall) == (0.8, 4 / 6)
    assert counts.f1 == pytest.approx(2 * 0.8 * (4 / 6) / (0.8 + 4 / 6))


def test_minutes_action_lines_are_found_under_headings_and_assignments():
    minutes = ("Summary:\n- we looked at the data\n- [PERSON6] will prepare the corpus.\n"
               "Next steps:\n- Fill in the Google sheet\n- Test will run on Monday\n"
               "Conclusions\n- the format is fine\n")
    assert minutes_actions(minutes) == [
        "[PERSON6] will prepare the corpus.", "Fill in the Google sheet",
        "Test will run on Monday"]


def test_soft_similarity_compares_content_words():
    assert soft_similarity("[PERSON6] will work with the data.",
                           "Probably, now we decided that [PERSON6] will work with the data.") > 0.7
    assert soft_similarity("Fill in the Google sheet", "The weather is nice") == 0.0
