"""ROUGE-1/2/L on examples worked out by hand."""

import pytest

from trainmaster.evaluation.rouge import lcs_length, rouge_all, rouge_l, rouge_n, tokens


def test_tokens_are_lower_case_letters_and_digits():
    assert tokens("The Cat's 2nd mat!") == ["the", "cat", "s", "2nd", "mat"]


def test_rouge_on_a_hand_computed_pair():
    # candidate: the cat sat on the mat / reference: the cat lay on the mat
    # unigrams: the x2, cat, on, mat overlap = 5 of 6 each side
    # bigrams: "the cat", "on the", "the mat" overlap = 3 of 5 each side
    # LCS: the cat on the mat = 5 of 6
    scores = rouge_all("The cat sat on the mat.", "the cat lay on the mat")
    assert scores["rouge1"].precision == pytest.approx(5 / 6)
    assert scores["rouge1"].f1 == pytest.approx(5 / 6)
    assert scores["rouge2"].f1 == pytest.approx(3 / 5)
    assert scores["rougeL"].f1 == pytest.approx(5 / 6)


def test_rouge_precision_and_recall_differ_with_length():
    score = rouge_n("a b c", "a b c d e", 1)
    assert (score.precision, score.recall) == (1.0, 0.6)
    assert score.f1 == pytest.approx(0.75)


def test_repeated_ngrams_are_clipped():
    score = rouge_n("the the the", "the cat", 1)
    assert score.precision == pytest.approx(1 / 3) and score.recall == pytest.approx(1 / 2)


def test_rouge_l_is_based_on_the_longest_common_subsequence():
    # police killed the gunman / police kill the gunman: LCS = police, the, gunman
    assert lcs_length("police killed the gunman".split(), "police kill the gunman".split()) == 3
    assert rouge_l("police killed the gunman", "police kill the gunman").f1 == pytest.approx(0.75)
    assert rouge_n("police killed the gunman", "police kill the gunman", 2).f1 == pytest.approx(
        1 / 3)


def test_empty_texts_score_zero():
    assert rouge_n("", "the cat", 1).f1 == 0.0
    assert rouge_l("the cat", "").f1 == 0.0
