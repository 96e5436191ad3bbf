"""What the simulation hands back: every domain object of the train, numbered from 1."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from trainmaster.domain.access import Role
from trainmaster.domain.action import ActionItem
from trainmaster.domain.art import Absence, Art, Holiday, Membership, Person, Portfolio, Team
from trainmaster.domain.dependency import Dependency, DependencyEvent
from trainmaster.domain.event import Event
from trainmaster.domain.impediment import Impediment, ImpedimentStep
from trainmaster.domain.objective import Objective
from trainmaster.domain.pi import Iteration, Pi
from trainmaster.domain.risk import Risk, RiskChange
from trainmaster.domain.work_item import StatusChange, WorkItem

# the unit of work's repository names, in an order that satisfies every reference
REPOSITORY_NAMES = (
    "portfolios", "arts", "teams", "people", "memberships", "absences", "holidays", "pis",
    "iterations", "items", "status_changes", "dependencies", "dependency_events", "risks",
    "risk_changes", "objectives", "events", "impediments", "impediment_steps", "actions",
)


class _Numbered(Protocol):
    id: int | None


N = TypeVar("N", bound=_Numbered)


def keep(rows: list[N], obj: N) -> N:
    """Append `obj` to its list and give it the next id of that list."""
    obj.id = len(rows) + 1
    rows.append(obj)
    return obj


@dataclass(frozen=True)
class ArtRole:
    """An ART-level seat the users made for the train should get (RTE, PM, Business Owner)."""

    art_id: int
    person_id: int
    role: Role


@dataclass
class TrainData:
    """A simulated portfolio: one list per repository of the unit of work, ids from 1.

    `planned_iterations` maps each feature and story planned at PI Planning to the iteration
    it was planned into then (its `iteration_id` is where it ended, or stands today); items
    added after planning are absent from it. `art_roles` names the people behind the ART-level
    roles, for the users the caller creates.
    """

    portfolios: list[Portfolio] = field(default_factory=list)
    arts: list[Art] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    absences: list[Absence] = field(default_factory=list)
    holidays: list[Holiday] = field(default_factory=list)
    pis: list[Pi] = field(default_factory=list)
    iterations: list[Iteration] = field(default_factory=list)
    items: list[WorkItem] = field(default_factory=list)
    status_changes: list[StatusChange] = field(default_factory=list)
    dependencies: list[Dependency] = field(default_factory=list)
    dependency_events: list[DependencyEvent] = field(default_factory=list)
    risks: list[Risk] = field(default_factory=list)
    risk_changes: list[RiskChange] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    impediments: list[Impediment] = field(default_factory=list)
    impediment_steps: list[ImpedimentStep] = field(default_factory=list)
    actions: list[ActionItem] = field(default_factory=list)
    art_roles: list[ArtRole] = field(default_factory=list)
    planned_iterations: dict[int, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Rows per repository name."""
        return {name: len(getattr(self, name)) for name in REPOSITORY_NAMES}
