"""Dependencies between work items and their states on the Program Board."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from trainmaster.domain.errors import require


class DependencyState(StrEnum):
    OK = "ok"
    AT_RISK = "at_risk"
    LATE = "late"
    UNPLANNED = "unplanned"


class Agreement(StrEnum):
    """How the providing team answered the consumer's request."""

    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    COUNTERED = "countered"


def dependency_state(provider_index: int | None, consumer_index: int | None) -> DependencyState:
    """State by iteration index: ok p < c, at risk p = c, late p > c, unplanned without p.

    A consumer without an iteration gives no date to compare against: the dependency is
    unplanned until both ends are planned.
    """
    if provider_index is None or consumer_index is None:
        return DependencyState.UNPLANNED
    if provider_index < consumer_index:
        return DependencyState.OK
    if provider_index == consumer_index:
        return DependencyState.AT_RISK
    return DependencyState.LATE


@dataclass
class Dependency:
    """The consumer item needs the provider item."""

    consumer_id: int
    provider_id: int
    description: str = ""
    needed_by_iteration_id: int | None = None
    agreement: Agreement = Agreement.REQUESTED
    offered_iteration_id: int | None = None
    created_at: datetime | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        self.agreement = Agreement(self.agreement)
        require(self.consumer_id != self.provider_id, "an item cannot depend on itself",
                field="provider_id")

    @property
    def awaits_answer(self) -> bool:
        """The consuming team asked and the providing team has not answered yet."""
        return self.agreement is Agreement.REQUESTED

    def request(self, *, at: datetime, by_user_id: int | None,
                needed_by_iteration_id: int | None = None, note: str = "") -> DependencyEvent:
        """The consuming team asks (again), optionally by an iteration."""
        if needed_by_iteration_id is not None:
            self.needed_by_iteration_id = needed_by_iteration_id
        return self._record(Agreement.REQUESTED, at, by_user_id, None, note)

    def accept(self, *, at: datetime, by_user_id: int | None,
               iteration_id: int | None = None, note: str = "") -> DependencyEvent:
        """The providing team agrees, by `iteration_id` or else by the iteration asked for."""
        return self._record(Agreement.ACCEPTED, at, by_user_id,
                            iteration_id or self.needed_by_iteration_id, note)

    def decline(self, *, at: datetime, by_user_id: int | None, note: str) -> DependencyEvent:
        """The providing team cannot deliver; a decline says why."""
        require(bool((note or "").strip()), "say why the dependency is declined", field="note")
        return self._record(Agreement.DECLINED, at, by_user_id, None, note)

    def counter(self, *, at: datetime, by_user_id: int | None, iteration_id: int,
                note: str = "") -> DependencyEvent:
        """The providing team offers another iteration than the one asked for."""
        require(iteration_id is not None, "a counter offer names an iteration",
                field="iteration_id")
        return self._record(Agreement.COUNTERED, at, by_user_id, iteration_id, note)

    def _record(self, agreement: Agreement, at: datetime, by_user_id: int | None,
                iteration_id: int | None, note: str) -> DependencyEvent:
        self.agreement = agreement
        self.offered_iteration_id = iteration_id
        return DependencyEvent(dependency_id=self.id or 0, agreement=agreement, at=at,
                               by_user_id=by_user_id, offered_iteration_id=iteration_id,
                               note=(note or "").strip())


@dataclass
class DependencyEvent:
    """One step of a dependency's agreement history."""

    dependency_id: int
    agreement: Agreement
    at: datetime
    by_user_id: int | None = None
    offered_iteration_id: int | None = None
    note: str = ""
    id: int | None = None
