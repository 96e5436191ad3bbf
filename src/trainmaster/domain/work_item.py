"""Work items (epic, feature, story), their WSJF terms and status history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from trainmaster.domain.errors import Invalid, require

FIBONACCI = (1, 2, 3, 5, 8, 13, 20)


class ItemLevel(StrEnum):
    EPIC = "epic"
    FEATURE = "feature"
    STORY = "story"


class WorkType(StrEnum):
    BUSINESS = "business"
    ENABLER = "enabler"
    DEFECT = "defect"
    TECH_DEBT = "tech_debt"


class KanbanState(StrEnum):
    """The ART Kanban states of a feature, in flow order."""

    FUNNEL = "funnel"
    ANALYZING = "analyzing"
    BACKLOG = "backlog"
    IMPLEMENTING = "implementing"
    VALIDATING = "validating"
    DEPLOYING = "deploying"
    RELEASING = "releasing"
    DONE = "done"


class StoryStatus(StrEnum):
    """Default story workflow; imported items may carry other status names."""

    TODO = "todo"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    IN_REVIEW = "in_review"
    READY_FOR_TEST = "ready_for_test"
    IN_TEST = "in_test"
    DONE = "done"


WSJF_TERMS = ("business_value", "time_criticality", "risk_reduction", "job_size")


def check_fibonacci(value: int | None, field_name: str) -> int | None:
    if value is not None and value not in FIBONACCI:
        raise Invalid(f"must be one of {', '.join(map(str, FIBONACCI))}", field=field_name)
    return value


@dataclass
class WorkItem:
    """An epic, feature or story of one ART.

    Features carry the ART Kanban state in `status`, WSJF terms and an owning team; stories
    carry points, a team and an iteration. `iteration_id` is the planned iteration.
    """

    art_id: int
    level: ItemLevel
    key: str
    title: str
    work_type: WorkType = WorkType.BUSINESS
    status: str = ""
    description: str = ""
    acceptance_criteria: str = ""
    points: float | None = None
    business_value: int | None = None
    time_criticality: int | None = None
    risk_reduction: int | None = None
    job_size: int | None = None
    team_id: int | None = None
    pi_id: int | None = None
    iteration_id: int | None = None
    parent_id: int | None = None
    external_key: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        self.level = ItemLevel(self.level)
        self.work_type = WorkType(self.work_type)
        self.title = (self.title or "").strip()
        require(bool(self.title), "must not be empty", field="title")
        require(bool((self.key or "").strip()), "must not be empty", field="key")
        if not self.status:
            self.status = (KanbanState.FUNNEL if self.level is ItemLevel.FEATURE
                           else StoryStatus.TODO).value
        if self.level is ItemLevel.FEATURE:
            self.status = kanban_state(self.status).value
        self.check()

    def check(self) -> None:
        """Re-check the invariants after a change."""
        require(self.points is None or self.points >= 0, "must not be negative", field="points")
        for term in WSJF_TERMS:
            check_fibonacci(getattr(self, term), term)
        if self.level is ItemLevel.EPIC:
            require(self.iteration_id is None, "an epic is not planned into an iteration",
                    field="iteration_id")

    @property
    def cost_of_delay(self) -> int | None:
        terms = (self.business_value, self.time_criticality, self.risk_reduction)
        if any(t is None for t in terms):
            return None
        return sum(t for t in terms if t is not None)

    @property
    def wsjf(self) -> float | None:
        """WSJF = (BV + TC + RR/OE) / job size; None while any term is missing."""
        cod = self.cost_of_delay
        if cod is None or not self.job_size:
            return None
        return cod / self.job_size

    def plan(self, iteration_pi_id: int | None, iteration_id: int | None) -> None:
        """Plan into an iteration (None unplans); the iteration must belong to the item's PI."""
        require(self.level is not ItemLevel.EPIC, "an epic is not planned into an iteration",
                field="iteration_id")
        if iteration_id is not None:
            require(self.pi_id is not None, "plan the item into a PI first", field="pi_id")
            require(iteration_pi_id == self.pi_id,
                    "the iteration belongs to another PI than the item", field="iteration_id")
        self.iteration_id = iteration_id


def kanban_state(value: str) -> KanbanState:
    try:
        return KanbanState(value)
    except ValueError:
        allowed = ", ".join(s.value for s in KanbanState)
        raise Invalid(f"{value!r} is not an ART Kanban state ({allowed})", field="status") from None


@dataclass
class StatusChange:
    """One transition of a work item; the basis of every flow metric."""

    item_id: int
    to_status: str
    at: datetime
    from_status: str | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        require(self.at.tzinfo is not None, "must carry a time zone", field="at")
        require(bool(self.to_status), "must not be empty", field="to_status")
