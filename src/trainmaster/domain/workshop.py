"""The Inspect & Adapt workshop of a PI and its problem-solving workshops.

A `Workshop` records the PI System Demo, the quantitative review (a snapshot of the
metrics) and the retrospective. Each `Problem` walks the problem-solving steps in order:
agree the problem → fishbone (causes in five categories) → 5 whys → Pareto vote →
restate the problem → solutions → done (improvement items created in the next PI).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from trainmaster.domain.art import check_name
from trainmaster.domain.errors import Conflict, Invalid, require
from trainmaster.domain.work_item import WorkType

MAX_WHYS = 5
PARETO_SHARE = 0.8
IMPROVEMENT_TYPES = (WorkType.ENABLER, WorkType.TECH_DEBT)


class CauseCategory(StrEnum):
    """The fishbone's bones."""

    PEOPLE = "people"
    PROCESS = "process"
    TOOLS = "tools"
    PROGRAM = "program"
    ENVIRONMENT = "environment"


class ProblemStage(StrEnum):
    AGREE = "agree"
    FISHBONE = "fishbone"
    WHYS = "whys"
    VOTE = "vote"
    RESTATE = "restate"
    SOLUTIONS = "solutions"
    DONE = "done"


STAGES = tuple(ProblemStage)


@dataclass
class Workshop:
    art_id: int
    pi_id: int
    demo_notes: str = ""
    demo_feature_ids: list[int] = field(default_factory=list)
    review: dict[str, Any] = field(default_factory=dict)
    retro_well: list[str] = field(default_factory=list)
    retro_improve: list[str] = field(default_factory=list)
    created_at: datetime | None = None
    id: int | None = None


@dataclass
class Cause:
    problem_id: int
    category: CauseCategory
    text: str
    whys: list[str] = field(default_factory=list)
    votes: int = 0
    id: int | None = None

    def __post_init__(self) -> None:
        self.category = CauseCategory(self.category)
        self.text = check_name(self.text, "text")
        require(len(self.whys) <= MAX_WHYS, f"at most {MAX_WHYS} whys", field="whys")
        require(self.votes >= 0, "must not be negative", field="votes")

    def ask_why(self, answer: str) -> None:
        """Add the answer to the next "why?" (at most five)."""
        answer = check_name(answer, "why")
        require(len(self.whys) < MAX_WHYS, f"a cause takes at most {MAX_WHYS} whys",
                field="why")
        self.whys.append(answer)

    @property
    def root(self) -> str:
        """The deepest answer: the root cause this chain reached."""
        return self.whys[-1] if self.whys else self.text


@dataclass
class Solution:
    problem_id: int
    text: str
    work_type: WorkType = WorkType.ENABLER
    item_id: int | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        self.work_type = WorkType(self.work_type)
        self.text = check_name(self.text, "text")
        require(self.work_type in IMPROVEMENT_TYPES,
                "an improvement item is an enabler or tech debt", field="work_type")


@dataclass
class Problem:
    workshop_id: int
    statement: str
    stage: ProblemStage = ProblemStage.AGREE
    restated: str = ""
    id: int | None = None

    def __post_init__(self) -> None:
        self.stage = ProblemStage(self.stage)
        self.statement = check_name(self.statement, "statement")

    def require_stage(self, *stages: ProblemStage) -> None:
        if self.stage not in stages:
            names = " or ".join(s.value for s in stages)
            raise Conflict(f"the problem is at the {self.stage.value} step; "
                           f"this belongs to the {names} step")

    def move_to(self, stage: ProblemStage, causes: Sequence[Cause],
                solutions: Sequence[Solution]) -> None:
        """Go back freely; go forward one step at a time once the current step is done."""
        stage = ProblemStage(stage)
        here, there = STAGES.index(self.stage), STAGES.index(stage)
        if there > here + 1:
            raise Conflict(f"finish the {STAGES[here + 1].value} step first")
        if there == here + 1:
            missing = self.missing_for(stage, causes, solutions)
            if missing:
                raise Invalid(missing, field="stage")
        if self.stage is ProblemStage.DONE and there < here:
            raise Conflict("the improvement items are created: the workshop is closed")
        self.stage = stage

    def missing_for(self, stage: ProblemStage, causes: Sequence[Cause],
                    solutions: Sequence[Solution]) -> str | None:
        """What must exist before entering `stage` (None when nothing is missing)."""
        checks = {
            ProblemStage.WHYS: (bool(causes), "add at least one cause to the fishbone"),
            ProblemStage.VOTE: (any(c.whys for c in causes), "ask why for at least one cause"),
            ProblemStage.RESTATE: (sum(c.votes for c in causes) > 0, "record the Pareto vote"),
            ProblemStage.SOLUTIONS: (bool(self.restated.strip()), "restate the problem"),
            ProblemStage.DONE: (bool(solutions) and all(s.item_id for s in solutions),
                                "create the improvement items from the solutions"),
        }
        ok, message = checks.get(stage, (True, ""))
        return None if ok else message

    def restate(self, text: str) -> None:
        self.require_stage(ProblemStage.RESTATE)
        self.restated = check_name(text, "restated")


@dataclass(frozen=True)
class ParetoBar:
    cause: Cause
    votes: int
    share: float        # of all votes
    cumulative: float   # running share, biggest cause first
    vital: bool         # among the causes that make up the first 80 % of votes


def pareto(causes: Sequence[Cause]) -> list[ParetoBar]:
    """Causes by votes, biggest first, with the running share and the vital few marked."""
    total = sum(c.votes for c in causes)
    ordered = sorted(causes, key=lambda c: (-c.votes, c.id or 0))
    bars, running = [], 0
    for cause in ordered:
        before = running / total if total else 0.0
        running += cause.votes
        bars.append(ParetoBar(cause, cause.votes, cause.votes / total if total else 0.0,
                              running / total if total else 0.0,
                              cause.votes > 0 and before < PARETO_SHARE))
    return bars
