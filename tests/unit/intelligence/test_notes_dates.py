"""Due-date phrases, worked out by hand from a meeting on Wednesday 12 March 2025."""

from datetime import date

import pytest

from trainmaster.intelligence.notes import IterationRef, MilestoneRef, parse_due

MEETING = date(2025, 3, 12)  # a Wednesday, in Iteration 1
ITERATIONS = [
    IterationRef("Iteration 1", date(2025, 3, 3), date(2025, 3, 14)),
    IterationRef("Iteration 2", date(2025, 3, 17), date(2025, 3, 28)),
    IterationRef("Iteration 3", date(2025, 3, 31), date(2025, 4, 11)),
    IterationRef("IP Iteration", date(2025, 4, 14), date(2025, 4, 25)),
]
MILESTONES = [MilestoneRef("System Demo", date(2025, 3, 13)),
              MilestoneRef("System Demo", date(2025, 3, 27)),
              MilestoneRef("PI Planning", date(2025, 4, 24))]


def due(text: str, meeting: date = MEETING) -> date | None:
    found = parse_due(text, meeting, iterations=ITERATIONS, milestones=MILESTONES)
    return found.on if found else None


@pytest.mark.parametrize(("phrase", "expected"), [
    ("by Friday", date(2025, 3, 14)),
    ("on Wednesday", date(2025, 3, 19)),  # a bare weekday is the next one after today
    ("next Friday", date(2025, 3, 21)),  # Friday of the following week
    ("this Friday", date(2025, 3, 14)),
    ("tomorrow", date(2025, 3, 13)),
    ("end of day tomorrow", date(2025, 3, 13)),
    ("the day after tomorrow", date(2025, 3, 14)),
    ("EOD", date(2025, 3, 12)),
    ("today", date(2025, 3, 12)),
    ("end of the week", date(2025, 3, 14)),
    ("end of next week", date(2025, 3, 21)),
    ("early next week", date(2025, 3, 17)),
    ("in two weeks", date(2025, 3, 26)),
    ("within 3 days", date(2025, 3, 15)),
    ("by the end of the month", date(2025, 3, 31)),
    ("next month", date(2025, 4, 30)),
    ("mid-April", date(2025, 4, 15)),
    ("by the 15th", date(2025, 3, 15)),
    ("by the 5th", date(2025, 4, 5)),  # the 5th of March has passed
    ("by 3 Dec", date(2025, 12, 3)),
    ("by December 3rd", date(2025, 12, 3)),
    ("by March 10th", date(2026, 3, 10)),  # a date without a year is its next occurrence
    ("due 2025-05-02", date(2025, 5, 2)),
    ("next iteration", date(2025, 3, 28)),
    ("by the end of this iteration", date(2025, 3, 14)),
    ("by sprint 3", date(2025, 4, 11)),
    ("before the IP iteration", date(2025, 4, 25)),
    ("by the end of the PI", date(2025, 4, 25)),
    ("before the system demo", date(2025, 3, 13)),
    ("before PI Planning", date(2025, 4, 24)),
    ("at next week's PO sync", date(2025, 3, 19)),
])
def test_due_phrase_resolves_relative_to_the_meeting_date(phrase, expected):
    assert due(phrase) == expected


def test_asap_is_a_due_phrase_without_a_date():
    found = parse_due("fix it ASAP", MEETING)
    assert found is not None and found.text == "ASAP" and found.on is None


def test_dates_after_since_or_starting_are_not_deadlines():
    assert due("broken since Monday") is None
    assert due("stand-ups timeboxed starting Monday") is None


def test_a_marked_deadline_wins_over_another_date_in_the_sentence():
    assert due("confirm the 14 April date with Jon by Friday") == date(2025, 3, 14)


def test_iteration_phrases_need_the_iterations():
    assert parse_due("next iteration", MEETING) is not None
    assert parse_due("next iteration", MEETING).on is None  # type: ignore[union-attr]


def test_system_demo_falls_back_to_the_end_of_the_current_iteration():
    found = parse_due("before the system demo", MEETING, iterations=ITERATIONS)
    assert found is not None and found.on == date(2025, 3, 14)


def test_phrase_span_points_into_the_text():
    text = "Tom to unblock staging by tomorrow."
    found = parse_due(text, MEETING)
    assert found is not None and text[found.start:found.end] == "tomorrow"
