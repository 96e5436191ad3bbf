"""Each extractor on small texts: actions, decisions, risks, impediments, mentions."""

from datetime import UTC, date, datetime

import pytest

from trainmaster.domain.errors import Invalid
from trainmaster.intelligence.notes import FeatureRef, PersonRef, TeamRef, parse_notes

DAY = date(2025, 4, 2)
PEOPLE = [PersonRef(1, "Alice Moreau"), PersonRef(2, "Thomas O'Brien", ("Tom",)),
          PersonRef(3, "Mei Chen"), PersonRef(4, "Lars Eriksson")]
TEAMS = [TeamRef(10, "Kestrel"), TeamRef(11, "Falcon")]
FEATURES = [FeatureRef(20, "PAY-140", "Refund workflow"), FeatureRef(21, "OBS-3", "Demo")]


def analyse(text: str):
    return parse_notes(text, meeting_date=DAY, people=PEOPLE, teams=TEAMS, features=FEATURES)


def action_texts(text: str) -> list[str]:
    return [a.text for a in analyse(text).actions]


def test_commitments_are_actions():
    assert action_texts("Tom will rotate the certificates by Friday.") == [
        "Rotate the certificates by Friday"]
    assert action_texts("Mei to send the customer communication.") == [
        "Send the customer communication"]


def test_negated_past_and_hypothetical_work_is_not_an_action():
    assert action_texts("We won't release the refund workflow on Friday.") == []
    assert action_texts("Tom already rotated the certificates yesterday.") == []
    assert action_texts("If it fails we will discuss it next week.") == []
    assert action_texts("Nobody volunteered to fix the flaky tests.") == []
    assert action_texts("- [x] @tom share the retro format (done)") == []


def test_a_question_is_an_action_only_when_it_asks_someone_to_do_something():
    assert action_texts("Should we invite the security team?") == []
    assert action_texts("Alice, can you check the retention settings?") == [
        "Check the retention settings?"]


def test_an_answer_gives_an_unaddressed_request_its_owner():
    text = "Alice: Can you post the link in the channel?\nMei: Sure, will do.\n"
    [action] = analyse(text).actions
    assert action.owner_id == 3 and action.source.index == 0


def test_items_under_an_action_heading_are_actions_even_without_a_verb():
    [action] = analyse("Next steps\n- Lars: threat model for SSO – within two weeks\n").actions
    assert action.owner_id == 4 and action.due == date(2025, 4, 16)


def test_decisions_are_found_and_undecided_matters_are_not():
    decisions = analyse(
        "The team agreed not to start the export. We still haven't decided on the registry. "
        "Let's stop the Friday deployments. No decision was taken on the dashboard.").decisions
    assert [d.text for d in decisions] == [
        "The team agreed not to start the export.", "Let's stop the Friday deployments."]


def test_agreement_to_a_proposal_makes_the_proposal_a_decision():
    text = ("Alice: I'd suggest we focus on late dependencies again.\n"
            "Mei: Yes, agreed.\n")
    [decision] = analyse(text).decisions
    assert decision.source.index == 0


def test_risks_are_uncertain_future_problems():
    risks = analyse("The vendor may slip the API to May. There's a risk the dataset arrives "
                    "too late. No new risks from Falcon. The demo went well.").risks
    assert [r.source.index for r in risks] == [0, 1]


def test_impediments_block_work_now_and_resolved_ones_do_not_count():
    impediments = analyse(
        "Kestrel is blocked by the missing credentials. Falcon is unblocked since Monday. "
        "We can't deploy until the keys arrive. Nothing blocking for Falcon. "
        "The ledger work may be blocked next month.").impediments
    assert [i.source.index for i in impediments] == [0, 2]


def test_a_may_be_blocked_is_a_risk_not_an_impediment():
    analysis = analyse("The export may be blocked by the legal review.")
    assert analysis.impediments == () and len(analysis.risks) == 1


def test_teams_and_features_are_found_by_name_key_or_title():
    analysis = analyse("Kestrel needs the refund workflow; Falcon ships PAY-140 and a demo.")
    assert analysis.team_ids == (10, 11)
    assert analysis.feature_ids == (20,)  # "Demo" alone is too short a title to trust
    assert {m.text for m in analysis.features} == {"refund workflow", "PAY-140"}
    assert analyse("OBS-3 is late").feature_ids == (21,)
    assert analysis.features[0].source.index == 0


def test_every_result_carries_a_source_that_points_into_the_text():
    text = "# Sync\n\n- Tom will fix the build by Friday.\n- Falcon is blocked on the keys.\n"
    analysis = analyse(text)
    for item in [*analysis.actions, *analysis.impediments, *analysis.summary]:
        assert text[item.source.start:item.source.end] == item.source.sentence


def test_confidence_threshold_filters_weak_proposals():
    text = "We need the numbers from every team before the 30th."
    assert len(analyse(text).actions) == 1
    assert parse_notes(text, meeting_date=DAY, min_confidence=0.7).actions == ()


def test_references_may_be_plain_tuples():
    analysis = parse_notes(
        "Kestrel: Bob will book the room by the next iteration.", meeting_date=DAY,
        people=[("p-bob", "Robert Lang", ["Bob"])], teams=[(10, "Kestrel")],
        iterations=[("I1", date(2025, 3, 31), date(2025, 4, 11)),
                    ("I2", date(2025, 4, 14), date(2025, 4, 25))])
    [action] = analysis.actions
    assert action.owner_id == "p-bob" and action.due == date(2025, 4, 25)
    assert analysis.team_ids == (10,)


def test_bad_input_is_refused_with_the_field_named():
    with pytest.raises(Invalid, match="fmt"):
        parse_notes("x", meeting_date=DAY, fmt="docx")
    with pytest.raises(Invalid, match="TeamRef"):
        parse_notes("x", meeting_date=DAY, teams=["Kestrel"])
    with pytest.raises(Invalid, match="tz"):
        parse_notes("x", meeting_date=datetime(2025, 4, 2, 23, 30, tzinfo=UTC),
                    tz="Mars/Olympus")


def test_a_meeting_datetime_is_read_in_the_arts_time_zone():
    late = datetime(2025, 4, 2, 23, 30, tzinfo=UTC)
    analysis = parse_notes("Tom will fix it tomorrow.", meeting_date=late, people=PEOPLE,
                           tz="Australia/Sydney")
    assert analysis.meeting_date == date(2025, 4, 3)
    assert analysis.actions[0].due == date(2025, 4, 4)
