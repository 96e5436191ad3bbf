"""ART risks and the ROAM board."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from trainmaster.domain.art import check_name
from trainmaster.domain.errors import require


class Roam(StrEnum):
    UNROAMED = "unroamed"
    RESOLVED = "resolved"
    OWNED = "owned"
    ACCEPTED = "accepted"
    MITIGATED = "mitigated"


@dataclass
class Risk:
    art_id: int
    title: str
    description: str = ""
    pi_id: int | None = None
    roam: Roam = Roam.UNROAMED
    owner_id: int | None = None
    due: date | None = None
    created_at: datetime | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        self.title = check_name(self.title, "title")
        self.roam = Roam(self.roam)

    def move(self, to: Roam, *, by_user_id: int | None, at: datetime,
             owner_id: int | None = None, note: str = "") -> RiskChange:
        """ROAM the risk; Owned needs a named owner. Returns the history entry to keep."""
        to = Roam(to)
        if owner_id is not None:
            self.owner_id = owner_id
        require(to is not Roam.OWNED or self.owner_id is not None,
                "an owned risk needs a named owner", field="owner_id")
        change = RiskChange(risk_id=self.id or 0, from_roam=self.roam, to_roam=to,
                            by_user_id=by_user_id, at=at, note=note)
        self.roam = to
        return change

    def is_overdue(self, today: date) -> bool:
        return (self.due is not None and self.due < today
                and self.roam not in (Roam.RESOLVED, Roam.ACCEPTED))


@dataclass
class RiskChange:
    risk_id: int
    from_roam: Roam
    to_roam: Roam
    at: datetime
    by_user_id: int | None = None
    note: str = ""
    id: int | None = None
