from datetime import date

import pytest

from tests.factories import actor
from tests.unit.execution.conftest import AT
from trainmaster.domain.access import Role
from trainmaster.domain.errors import Conflict, Forbidden
from trainmaster.domain.meeting import OutcomeKind, OutcomeStatus
from trainmaster.services import notes, syncs

RTE = actor(Role.RTE, user_id=1)
NOTES = """# ART Sync

- Falcon is blocked on the staging database migration since Monday.
- We agreed to move Refunds to iteration 3.
- Tom to unblock the staging migration by tomorrow.
- If the vendor sandbox stays unstable, Osprey might miss the integration milestone.
"""


@pytest.fixture
def meeting(uow):
    return syncs.start_sync(uow, RTE, 1, at=AT)


def analysed(uow, meeting):
    notes.analyse_notes(uow, RTE, meeting.id, NOTES, at=AT)
    return {o.kind: o for o in uow.outcomes.find(meeting_id=meeting.id)}


def test_analysing_notes_proposes_without_creating_anything(uow, meeting):
    before = (len(uow.actions.find()), len(uow.risks.find()), len(uow.impediments.find()))
    found = analysed(uow, meeting)
    assert set(found) == set(OutcomeKind)
    assert all(o.status is OutcomeStatus.PROPOSED for o in found.values())
    assert (len(uow.actions.find()), len(uow.risks.find()), len(uow.impediments.find())) == before


def test_an_action_proposal_resolves_its_owner_and_due_date(uow, meeting):
    action = analysed(uow, meeting)[OutcomeKind.ACTION]
    assert (action.owner_id, action.due) == (1, date(2026, 11, 25))
    assert "Tom to unblock" in action.sentence
    assert NOTES[action.span_start:action.span_end].strip().startswith("Tom to unblock")


def test_the_analysis_keeps_the_sentences_and_mentions_for_the_page(uow, meeting):
    analysed(uow, meeting)
    stored = uow.meetings.get(meeting.id)
    assert stored.notes == NOTES and stored.notes_format == "markdown"
    assert {m["id"] for m in stored.analysis["teams"]} == {1, 2}
    segments = notes.notes_segments(stored)
    assert "".join(s.text for s in segments) == NOTES
    assert sum(s.sentence is not None for s in segments) == len(stored.analysis["sentences"])


def test_confirming_creates_the_action_item_with_the_meeting_as_source(uow, meeting):
    action = analysed(uow, meeting)[OutcomeKind.ACTION]
    confirmed = notes.confirm_outcome(uow, RTE, action.id, at=AT)
    stored = uow.actions.get(confirmed.target_id)
    assert (stored.title, stored.owner_id, stored.due, stored.source) == (
        action.text, 1, date(2026, 11, 25), f"meeting:{meeting.id}")
    assert not confirmed.edited


def test_an_edited_confirmation_keeps_the_edit(uow, meeting):
    action = analysed(uow, meeting)[OutcomeKind.ACTION]
    confirmed = notes.confirm_outcome(uow, RTE, action.id, owner_id=2, due=None, at=AT)
    assert confirmed.edited
    assert (uow.actions.get(confirmed.target_id).owner_id,
            uow.actions.get(confirmed.target_id).due) == (2, None)


def test_an_impediment_proposal_is_for_the_team_its_sentence_names(uow, meeting):
    assert analysed(uow, meeting)[OutcomeKind.IMPEDIMENT].team_id == 2   # Falcon


def test_confirming_a_risk_and_an_impediment_creates_them(uow, meeting):
    found = analysed(uow, meeting)
    risk = notes.confirm_outcome(uow, RTE, found[OutcomeKind.RISK].id, at=AT)
    imp = notes.confirm_outcome(uow, RTE, found[OutcomeKind.IMPEDIMENT].id, team_id=2, at=AT)
    assert "meeting:" in uow.risks.get(risk.target_id).description
    assert uow.impediments.get(imp.target_id).team_id == 2


def test_a_rejected_proposal_creates_nothing_and_stays_rejected(uow, meeting):
    risk = analysed(uow, meeting)[OutcomeKind.RISK]
    count = len(uow.risks.find())
    notes.reject_outcome(uow, RTE, risk.id)
    assert len(uow.risks.find()) == count
    with pytest.raises(Conflict):
        notes.confirm_outcome(uow, RTE, risk.id, at=AT)


def test_analysing_again_replaces_only_pending_proposals(uow, meeting):
    found = analysed(uow, meeting)
    notes.confirm_outcome(uow, RTE, found[OutcomeKind.DECISION].id, at=AT)
    notes.analyse_notes(uow, RTE, meeting.id, NOTES, at=AT)
    outcomes = uow.outcomes.find(meeting_id=meeting.id)
    decisions = [o for o in outcomes if o.kind is OutcomeKind.DECISION]
    assert [o.status for o in decisions] == [OutcomeStatus.CONFIRMED, OutcomeStatus.PROPOSED]
    assert len(outcomes) == len(found) + 1


def test_a_team_member_may_not_confirm(uow, meeting):
    action = analysed(uow, meeting)[OutcomeKind.ACTION]
    with pytest.raises(Forbidden):
        notes.confirm_outcome(uow, actor(Role.TEAM_MEMBER), action.id, at=AT)


def test_parsing_without_storing_resolves_the_arts_names(uow):
    analysis = notes.parse_notes_for(uow, RTE, NOTES, meeting_date=date(2026, 11, 24),
                                     art_id=1)
    (action,) = analysis.actions
    assert action.owner_id == 1
    assert not uow.outcomes.find()
