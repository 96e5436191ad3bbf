"""Owners of action items resolved against the ART's people."""

from datetime import date

import pytest

from trainmaster.intelligence.notes import NameIndex, PersonRef, TeamRef, parse_notes

PEOPLE = [
    PersonRef("p-alice", "Alice Moreau"),
    PersonRef("p-bob", "Robert Lang", ("Bob", "Bobby")),
    PersonRef("p-tom", "Thomas O'Brien", ("Tom",)),
    PersonRef("p-diego", "Diego Fernández"),
    PersonRef("p-sam-p", "Sam Patel"),
    PersonRef("p-sam-o", "Samantha Okafor", ("Sam",)),
    PersonRef("p-kate", "Katherine Ng", ("Kate",)),
]
TEAMS = [TeamRef("t-osprey", "Osprey"), TeamRef("t-system", "System Team")]
DAY = date(2025, 3, 12)


def owners(text: str) -> list[list[str | None]]:
    analysis = parse_notes(text, meeting_date=DAY, people=PEOPLE, teams=TEAMS)
    return [[o.person_id or o.team_id or f"?{o.text}" for o in a.owners] for a in analysis.actions]


@pytest.mark.parametrize(("text", "expected"), [
    ("Alice Moreau will update the board.", [["p-alice"]]),  # full name
    ("Alice will update the board.", [["p-alice"]]),  # first name
    ("Bobby will chase the vendor.", [["p-bob"]]),  # nickname
    ("Tom to rotate the certificates.", [["p-tom"]]),  # alias, minutes style
    ("- [ ] @kate share the retro format by Friday", [["p-kate"]]),  # @handle
    ("Diego Fernandez will book the room.", [["p-diego"]]),  # accents do not matter
    ("Sam P. will pair with Kate tomorrow.", [["p-sam-p"]]),  # first name + initial
    ("Samantha will pair with Kate tomorrow.", [["p-sam-o"]]),
])
def test_owner_is_found_by_any_name_a_person_goes_by(text, expected):
    assert owners(text) == expected


def test_a_name_shared_by_two_people_stays_unresolved():
    assert owners("Sam will fix the pipeline.") == [["?Sam"]]


def test_an_owner_not_on_the_roster_is_kept_as_written():
    assert owners("Anna will send the OpenAPI spec by Wednesday.") == [["?Anna"]]


def test_several_owners_are_all_kept():
    assert owners("Kate and Tom will re-plan the dependency.") == [["p-kate", "p-tom"]]


def test_people_after_with_are_collaborators_not_owners():
    assert owners("Alice will write the criteria with Kate by Friday.") == [["p-alice"]]


def test_a_named_team_can_own_an_action():
    assert owners("Osprey will add it as an uncommitted objective.") == [["t-osprey"]]


def test_we_gives_no_owner():
    assert owners("We will move the release to Tuesday by end of day.") == [[]]


def test_the_addressee_of_a_request_owns_it():
    assert owners("Diego, can you add the risk to the ROAM board?") == [["p-diego"]]
    assert owners("Put it on the agenda, Bob.") == [["p-bob"]]


def test_a_pronoun_resolves_to_the_person_named_before_it():
    text = "Hannah raised the missing criteria; Tom said he will write them by Friday."
    assert owners(text) == [["p-tom"]]


def test_the_speaker_of_a_transcript_owns_their_i_will():
    text = "Alice: Who can convert it?\nTom: I'll convert it to parquet by Thursday.\n"
    assert owners(text) == [["p-tom"]]


def test_owner_and_due_come_from_who_and_when_columns():
    text = ("## Action items\n| What | Who | When |\n|---|---|---|\n"
            "| Review the checklist | Kate | 14 Mar |\n")
    analysis = parse_notes(text, meeting_date=DAY, people=PEOPLE)
    [action] = analysis.actions
    assert action.owner_id == "p-kate" and action.due == date(2025, 3, 14)
    assert action.text == "Review the checklist"


def test_owner_and_due_come_from_field_lines_under_an_action():
    text = "Action: agree a fallback mock\nOwner: Diego and Tom\nDue: ASAP\n"
    [action] = parse_notes(text, meeting_date=DAY, people=PEOPLE).actions
    assert [o.person_id for o in action.owners] == ["p-diego", "p-tom"]
    assert action.due is None and action.due_text == "ASAP"


def test_name_index_finds_names_and_teams_in_running_text():
    index = NameIndex(PEOPLE, TEAMS)
    hits = index.find("Kate asked the System Team and Thomas O'Brien")
    assert [(h.text, h.person_id, h.team_id) for h in hits] == [
        ("Kate", "p-kate", None), ("System Team", None, "t-system"),
        ("Thomas O'Brien", "p-tom", None)]


def test_lower_case_names_count_only_in_lower_case_chat():
    index = NameIndex(PEOPLE, TEAMS)
    assert index.find("kate: i'll ping tom") != []
    assert [h.text for h in index.find("The bob of the boat, Kate said")] == ["Kate"]
