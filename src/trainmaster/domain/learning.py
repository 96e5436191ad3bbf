"""What the train learns from its own history: stored models, triage, risk predictions.

- A `StoredModel` is one trained model of an ART (kind "triage" or "risk"), kept as bytes
  with its version, when it was trained and how it measured.
- A `TriageSuggestion` proposes one value (work type, team, points, a WSJF term) for one
  backlog item with its confidence and reasons; a person accepts, edits or rejects it, and
  the decision is kept: it is what the next training learns from.
- A `RiskForecast` is one prediction of the risk radar: the probability that a team PI
  objective or a feature misses, or that a team's iteration under-delivers, with its top
  factors. A person may confirm it as an ART risk on the ROAM board, or dismiss it.
- A `RetrainSchedule` says how often a kind of model is retrained for an ART.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from trainmaster.domain.errors import Conflict, require


class ModelKind(StrEnum):
    TRIAGE = "triage"
    RISK = "risk"


class DecisionStatus(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    EDITED = "edited"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"   # a newer suggestion replaced it before anyone decided


class RiskSubject(StrEnum):
    OBJECTIVE = "objective"     # a team PI objective misses (actual BV < 80 % of planned)
    FEATURE = "feature"         # a feature is not done by the end of the PI's last iteration
    ITERATION = "iteration"     # a team's iteration delivers < 80 % of its capacity


class ForecastStatus(StrEnum):
    OPEN = "open"
    CONFIRMED = "confirmed"     # became an ART risk on the ROAM board
    DISMISSED = "dismissed"


TRIAGE_FIELDS = ("work_type", "team_id", "points", "business_value", "time_criticality",
                 "risk_reduction", "job_size")


@dataclass
class StoredModel:
    art_id: int
    kind: ModelKind
    version: int
    trained_at: datetime
    blob: bytes
    metrics: dict[str, Any] = field(default_factory=dict)
    trained_on: int = 0
    by_user_id: int | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        self.kind = ModelKind(self.kind)
        require(self.version >= 1, "must be 1 or more", field="version")


@dataclass
class TriageSuggestion:
    """One suggested value for one field of one backlog item."""

    art_id: int
    item_id: int
    field: str
    value: str
    confidence: float
    reasons: list[dict[str, Any]] = field(default_factory=list)
    current: str | None = None
    kind: str = "missing"         # missing, inconsistent or changed
    low: float | None = None      # estimate range (points)
    high: float | None = None
    model_version: int = 0
    status: DecisionStatus = DecisionStatus.PROPOSED
    created_at: datetime | None = None
    decided_at: datetime | None = None
    decided_by: int | None = None
    decided_value: str | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        self.status = DecisionStatus(self.status)
        require(self.field in TRIAGE_FIELDS,
                f"must be one of {', '.join(TRIAGE_FIELDS)}", field="field")

    def decide(self, status: DecisionStatus, value: str | None, *, at: datetime,
               by_user_id: int | None) -> None:
        if self.status is not DecisionStatus.PROPOSED:
            raise Conflict(f"suggestion {self.id} was already {self.status.value}")
        self.status = DecisionStatus(status)
        self.decided_value = value
        self.decided_at = at
        self.decided_by = by_user_id


@dataclass
class RiskForecast:
    """One item of the risk radar, as predicted at `taken_at`."""

    art_id: int
    pi_id: int
    subject: RiskSubject
    subject_id: int
    label: str
    probability: float
    base_rate: float
    factors: list[dict[str, Any]] = field(default_factory=list)
    team_id: int | None = None
    model_version: int = 0
    taken_at: datetime | None = None
    status: ForecastStatus = ForecastStatus.OPEN
    risk_id: int | None = None
    decided_by: int | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        self.subject = RiskSubject(self.subject)
        self.status = ForecastStatus(self.status)
        require(0.0 <= self.probability <= 1.0, "must be between 0 and 1", field="probability")

    def settle(self, status: ForecastStatus, *, by_user_id: int | None,
               risk_id: int | None = None) -> None:
        if self.status is not ForecastStatus.OPEN:
            raise Conflict(f"risk forecast {self.id} was already {self.status.value}")
        self.status = ForecastStatus(status)
        self.decided_by = by_user_id
        self.risk_id = risk_id


@dataclass
class RetrainSchedule:
    """Retrain `kind` for the ART every `every_hours` hours; workers check what is due."""

    art_id: int
    kind: ModelKind
    every_hours: int
    enabled: bool = True
    last_queued_at: datetime | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        self.kind = ModelKind(self.kind)
        require(1 <= self.every_hours <= 24 * 90, "must be between 1 hour and 90 days",
                field="every_hours")

    def due(self, at: datetime) -> bool:
        if not self.enabled:
            return False
        return (self.last_queued_at is None
                or at - self.last_queued_at >= timedelta(hours=self.every_hours))
