"""Impediments and their escalation team → ART → portfolio."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from trainmaster.domain.art import check_name
from trainmaster.domain.errors import Conflict


class Level(StrEnum):
    TEAM = "team"
    ART = "art"
    PORTFOLIO = "portfolio"


ESCALATION = (Level.TEAM, Level.ART, Level.PORTFOLIO)


@dataclass
class Impediment:
    art_id: int
    title: str
    description: str = ""
    team_id: int | None = None
    pi_id: int | None = None
    level: Level = Level.TEAM
    raised_at: datetime | None = None
    resolved_at: datetime | None = None
    owner_id: int | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        self.title = check_name(self.title, "title")
        self.level = Level(self.level)

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    def escalate(self, *, at: datetime, by_user_id: int | None) -> ImpedimentStep:
        if not self.is_open:
            raise Conflict("a resolved impediment cannot be escalated")
        position = ESCALATION.index(self.level)
        if position == len(ESCALATION) - 1:
            raise Conflict("the impediment is already at portfolio level")
        self.level = ESCALATION[position + 1]
        return ImpedimentStep(self.id or 0, self.level, at, by_user_id)

    def resolve(self, *, at: datetime, by_user_id: int | None) -> ImpedimentStep:
        if not self.is_open:
            raise Conflict("the impediment is already resolved")
        self.resolved_at = at
        return ImpedimentStep(self.id or 0, self.level, at, by_user_id, resolved=True)


@dataclass
class ImpedimentStep:
    """Entry at a level (or resolution at it), with who and when."""

    impediment_id: int
    level: Level
    at: datetime
    by_user_id: int | None = None
    resolved: bool = False
    id: int | None = None
