"""Records of the ART's meetings: ART Sync (Coach Sync and PO Sync), demos, I&A.

A `Meeting` keeps per-team reports, PO Sync scope changes and its outcomes: decisions,
action items, risks and impediments. Outcomes proposed from meeting notes wait as
`PROPOSED` until someone confirms (possibly edited) or rejects each one; only a confirmed
outcome creates its action item, risk or impediment, whose `source` names the meeting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from trainmaster.domain.art import check_name
from trainmaster.domain.errors import Conflict, require
from trainmaster.domain.event import EventKind

SYNC_KINDS = (EventKind.ART_SYNC, EventKind.COACH_SYNC, EventKind.PO_SYNC)
MEETING_TITLES = {
    EventKind.ART_SYNC: "ART Sync", EventKind.COACH_SYNC: "Coach Sync",
    EventKind.PO_SYNC: "PO Sync", EventKind.SYSTEM_DEMO: "System Demo",
    EventKind.PI_SYSTEM_DEMO: "PI System Demo", EventKind.INSPECT_ADAPT: "Inspect & Adapt",
    EventKind.PI_PLANNING: "PI Planning", EventKind.MILESTONE: "Milestone",
    EventKind.OTHER: "Meeting",
}


def meeting_source(meeting_id: int | None) -> str:
    """The `source` written on what a meeting created ("meeting:12")."""
    return f"meeting:{meeting_id}"


def workshop_source(workshop_id: int | None) -> str:
    return f"workshop:{workshop_id}"


def parse_source(source: str) -> tuple[str, int] | None:
    """("meeting", 12) for "meeting:12"; None for free text."""
    kind, _, ref = (source or "").partition(":")
    return (kind, int(ref)) if kind in ("meeting", "workshop") and ref.isdigit() else None


@dataclass
class Meeting:
    art_id: int
    kind: EventKind
    held_on: date
    title: str = ""
    pi_id: int | None = None
    event_id: int | None = None
    notes: str = ""
    notes_format: str = ""
    analysis: dict[str, Any] = field(default_factory=dict)
    created_at: datetime | None = None
    created_by: int | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        self.kind = EventKind(self.kind)
        self.title = check_name(self.title or f"{MEETING_TITLES[self.kind]} {self.held_on}",
                                "title")

    @property
    def is_sync(self) -> bool:
        return self.kind in SYNC_KINDS


class TeamStatus(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"


@dataclass
class TeamReport:
    """One team's word in the Coach Sync: progress against its PI objectives and needs."""

    meeting_id: int
    team_id: int
    status: TeamStatus = TeamStatus.ON_TRACK
    progress: int | None = None   # % of the team's PI objectives achieved so far
    note: str = ""
    needs: str = ""               # dependency needs from other teams
    id: int | None = None

    def __post_init__(self) -> None:
        self.status = TeamStatus(self.status)
        require(self.progress is None or 0 <= self.progress <= 100, "is a percentage 0 to 100",
                field="progress")


class ScopeChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    REPRIORITIZED = "reprioritized"
    CHANGED = "changed"


@dataclass
class ScopeChange:
    """A PO Sync change of scope or priority, optionally about one work item."""

    meeting_id: int
    kind: ScopeChangeKind
    description: str
    item_id: int | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        self.kind = ScopeChangeKind(self.kind)
        self.description = (self.description or "").strip()
        require(bool(self.description), "must not be empty", field="description")


class OutcomeKind(StrEnum):
    DECISION = "decision"
    ACTION = "action"
    RISK = "risk"
    IMPEDIMENT = "impediment"


class OutcomeStatus(StrEnum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


@dataclass
class MeetingOutcome:
    """A decision, action item, risk or impediment of a meeting.

    From notes it starts `PROPOSED` with the sentence it came from (`sentence`, its index and
    character span in the notes); `target_id` is the action item / risk / impediment created
    on confirmation.
    """

    meeting_id: int
    kind: OutcomeKind
    text: str
    status: OutcomeStatus = OutcomeStatus.CONFIRMED
    owner_id: int | None = None
    owner_text: str = ""
    team_id: int | None = None
    due: date | None = None
    target_id: int | None = None
    from_notes: bool = False
    edited: bool = False
    sentence: str = ""
    sentence_index: int | None = None
    span_start: int | None = None
    span_end: int | None = None
    speaker: str | None = None
    confidence: float | None = None
    created_at: datetime | None = None
    decided_by: int | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        self.kind = OutcomeKind(self.kind)
        self.status = OutcomeStatus(self.status)
        self.text = check_name(self.text[:200] if self.text else self.text, "text")

    def confirm(self, *, text: str, owner_id: int | None, due: date | None,
                team_id: int | None, by_user_id: int | None) -> None:
        """Accept a proposal, as proposed or edited; `edited` records a change."""
        self._require_proposed()
        text = check_name(text[:200] if text else text, "text")
        self.edited = (text, owner_id, due, team_id) != (self.text, self.owner_id, self.due,
                                                         self.team_id)
        self.text, self.owner_id, self.due, self.team_id = text, owner_id, due, team_id
        self.status = OutcomeStatus.CONFIRMED
        self.decided_by = by_user_id

    def reject(self, *, by_user_id: int | None) -> None:
        self._require_proposed()
        self.status = OutcomeStatus.REJECTED
        self.decided_by = by_user_id

    def _require_proposed(self) -> None:
        if self.status is not OutcomeStatus.PROPOSED:
            raise Conflict(f"this {self.kind.value} is already {self.status.value}")
