"""Action items from meetings, syncs and workshops."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from trainmaster.domain.art import check_name


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


@dataclass
class ActionItem:
    art_id: int
    title: str
    owner_id: int | None = None
    due: date | None = None
    status: ActionStatus = ActionStatus.OPEN
    source: str = ""
    created_at: datetime | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        self.title = check_name(self.title, "title")
        self.status = ActionStatus(self.status)

    def is_overdue(self, today: date) -> bool:
        return self.status is ActionStatus.OPEN and self.due is not None and self.due < today
