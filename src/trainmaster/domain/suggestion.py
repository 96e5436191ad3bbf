"""Suggested dependencies: pairs of backlog items the finder thinks are linked.

A suggestion is proposed with a score and the reasons a person can check; someone accepts it
(it becomes a dependency request) or rejects it (the pair is remembered and never proposed
again). A run records when the finder last looked at a PI or an ART backlog.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from trainmaster.domain.errors import Conflict, require


class SuggestionStatus(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass
class SuggestionRun:
    """One pass of the finder over a PI's items (pi_id set) or an ART's backlog."""

    art_id: int
    started_at: datetime
    pi_id: int | None = None
    finished_at: datetime | None = None
    items: int = 0
    proposed: int = 0
    model_id: str = ""
    by_user_id: int | None = None
    id: int | None = None


@dataclass
class DependencySuggestion:
    """The consumer item probably needs the provider item (a guess until someone decides)."""

    art_id: int
    consumer_id: int
    provider_id: int
    score: float
    reasons: list[str] = field(default_factory=list)
    direction_known: bool = False
    pi_id: int | None = None
    run_id: int | None = None
    status: SuggestionStatus = SuggestionStatus.PROPOSED
    created_at: datetime | None = None
    decided_at: datetime | None = None
    decided_by: int | None = None
    dependency_id: int | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        self.status = SuggestionStatus(self.status)
        require(self.consumer_id != self.provider_id, "an item cannot depend on itself",
                field="provider_id")

    @property
    def pair(self) -> frozenset[int]:
        """The two items, in no order: a decision on a pair holds both ways."""
        return frozenset((self.consumer_id, self.provider_id))

    def accept(self, *, at: datetime, by_user_id: int | None, dependency_id: int) -> None:
        self._decide(SuggestionStatus.ACCEPTED, at, by_user_id)
        self.dependency_id = dependency_id

    def reject(self, *, at: datetime, by_user_id: int | None) -> None:
        self._decide(SuggestionStatus.REJECTED, at, by_user_id)

    def _decide(self, status: SuggestionStatus, at: datetime, by_user_id: int | None) -> None:
        if self.status is not SuggestionStatus.PROPOSED:
            raise Conflict(f"suggestion {self.id} was already {self.status.value}")
        self.status = status
        self.decided_at = at
        self.decided_by = by_user_id
