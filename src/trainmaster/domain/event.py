"""ART calendar events and board milestones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from trainmaster.domain.art import check_name
from trainmaster.domain.errors import require


class EventKind(StrEnum):
    PI_PLANNING = "pi_planning"
    ART_SYNC = "art_sync"
    COACH_SYNC = "coach_sync"
    PO_SYNC = "po_sync"
    SYSTEM_DEMO = "system_demo"
    PI_SYSTEM_DEMO = "pi_system_demo"
    INSPECT_ADAPT = "inspect_adapt"
    MILESTONE = "milestone"
    OTHER = "other"


@dataclass
class Event:
    art_id: int
    kind: EventKind
    title: str
    start: datetime
    end: datetime
    pi_id: int | None = None
    recurrence: str | None = None
    location: str = ""
    id: int | None = None

    def __post_init__(self) -> None:
        self.kind = EventKind(self.kind)
        self.title = check_name(self.title, "title")
        require(self.start.tzinfo is not None, "must carry a time zone", field="start")
        require(self.end >= self.start, "must not end before it starts", field="end")
