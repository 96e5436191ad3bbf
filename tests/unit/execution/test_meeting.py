from datetime import date

import pytest

from trainmaster.domain.errors import Conflict, Invalid
from trainmaster.domain.event import EventKind
from trainmaster.domain.meeting import (
    Meeting,
    MeetingOutcome,
    OutcomeKind,
    OutcomeStatus,
    TeamReport,
    meeting_source,
    parse_source,
)


def proposal(**overrides):
    return MeetingOutcome(**{"meeting_id": 1, "kind": OutcomeKind.ACTION,
                             "text": "Unblock the staging migration", "owner_id": 4,
                             "due": date(2026, 11, 25), "status": OutcomeStatus.PROPOSED,
                             **overrides})


def test_a_meeting_is_titled_by_its_kind_and_day():
    meeting = Meeting(art_id=1, kind=EventKind.PO_SYNC, held_on=date(2026, 11, 24))
    assert meeting.title == "PO Sync 2026-11-24" and meeting.is_sync


def test_confirming_unchanged_is_not_an_edit():
    p = proposal()
    p.confirm(text=p.text, owner_id=4, due=p.due, team_id=None, by_user_id=1)
    assert p.status is OutcomeStatus.CONFIRMED and not p.edited and p.decided_by == 1


def test_confirming_with_another_owner_is_an_edit():
    p = proposal()
    p.confirm(text=p.text, owner_id=7, due=None, team_id=None, by_user_id=1)
    assert p.edited and (p.owner_id, p.due) == (7, None)


def test_a_decided_proposal_cannot_be_decided_again():
    p = proposal()
    p.reject(by_user_id=1)
    with pytest.raises(Conflict):
        p.confirm(text="x", owner_id=None, due=None, team_id=None, by_user_id=1)


def test_a_confirmed_text_must_not_be_empty():
    with pytest.raises(Invalid):
        proposal().confirm(text="  ", owner_id=None, due=None, team_id=None, by_user_id=1)


def test_progress_is_a_percentage():
    with pytest.raises(Invalid):
        TeamReport(meeting_id=1, team_id=1, progress=120)


def test_sources_name_the_meeting_and_read_back():
    assert parse_source(meeting_source(12)) == ("meeting", 12)
    assert parse_source("ART Sync 2026-04-07") is None
