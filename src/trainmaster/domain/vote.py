"""The PI confidence vote (fist of five): rounds and votes.

Each round collects one vote per attendee per scope (the ART, or one team); a re-vote
replaces the earlier one. Closing a round applies the rule (analytics.vote): the ART
commits, or the round fails and a rework round opens. Rounds are kept as history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from trainmaster.domain.errors import Conflict, Invalid, require

ART_SCOPE = "art"


class RoundStatus(StrEnum):
    OPEN = "open"
    COMMITTED = "committed"
    FAILED = "failed"


def team_scope(team_id: int) -> str:
    return f"team:{team_id}"


def scope_team(scope: str) -> int | None:
    """The team id of a scope ('team:7' -> 7), None for the ART scope."""
    if scope == ART_SCOPE:
        return None
    head, _, tail = scope.partition(":")
    if head != "team" or not tail.isdigit():
        raise Invalid(f"{scope!r} is neither 'art' nor 'team:<id>'", field="scope")
    return int(tail)


@dataclass
class VoteRound:
    pi_id: int
    number: int
    opened_at: datetime
    opened_by: int | None = None
    status: RoundStatus = RoundStatus.OPEN
    closed_at: datetime | None = None
    closed_by: int | None = None
    art_mean: float | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        self.status = RoundStatus(self.status)
        require(self.number >= 1, "rounds count from 1", field="number")

    @property
    def is_open(self) -> bool:
        return self.status is RoundStatus.OPEN

    def close(self, *, commits: bool, art_mean: float | None, at: datetime,
              by_user_id: int | None) -> None:
        if not self.is_open:
            raise Conflict(f"vote round {self.number} is already closed ({self.status.value})")
        self.status = RoundStatus.COMMITTED if commits else RoundStatus.FAILED
        self.art_mean = art_mean
        self.closed_at, self.closed_by = at, by_user_id


@dataclass
class Vote:
    """One attendee's fist of five for one scope; a 1 or a 2 must be heard (has a reason)."""

    round_id: int
    voter_id: int
    scope: str
    value: int
    reason: str = ""
    team_id: int | None = None
    at: datetime | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        require(isinstance(self.value, int) and 1 <= self.value <= 5,
                "a confidence vote is 1 to 5", field="value")
        self.team_id = scope_team(self.scope)
        self.reason = (self.reason or "").strip()
        require(self.value > 2 or bool(self.reason),
                "every 1 or 2 must be heard: give the reason", field="reason")
