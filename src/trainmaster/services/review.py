"""The quantitative review of Inspect & Adapt: predictability per team and for the ART.

Predictability (DOMAIN.md, computed by analytics.predictability) = Σ actual BV of all
objectives (committed and uncommitted) / Σ planned BV of the committed objectives × 100 %,
per team and, over all teams, for the ART. An objective without actual BV yet counts 0 and
is reported as such.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from trainmaster.analytics import predictability as measure
from trainmaster.analytics.flow import compute_flow_metrics
from trainmaster.analytics.flow_history import StatusHistory
from trainmaster.analytics.flow_workflow import default_mapping
from trainmaster.domain.art import Team
from trainmaster.domain.objective import Objective
from trainmaster.domain.pi import Pi, PiState
from trainmaster.domain.work_item import ItemLevel
from trainmaster.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Predictability:
    """One row of the review: a team's (or the ART's) figure from analytics.predictability."""

    label: str
    team_id: int | None          # None for the ART
    planned: int                 # Σ planned BV of committed objectives
    actual: int                  # Σ actual BV of all objectives
    objectives: int
    without_actual: int          # objectives whose actual BV is not entered yet
    percent: float | None
    band: str | None             # "below", "healthy" or "above" the 80–100 % band

    @property
    def in_band(self) -> bool:
        return self.band == "healthy"

    def as_dict(self) -> dict[str, Any]:
        return {"label": self.label, "team_id": self.team_id, "planned": self.planned,
                "actual": self.actual, "percent": self.percent, "band": self.band,
                "objectives": self.objectives, "without_actual": self.without_actual}


def _row(label: str, team_id: int | None, figure: measure.Predictability) -> Predictability:
    percent = None if figure.percent is None else round(figure.percent, 1)
    return Predictability(label, team_id, figure.planned, figure.actual, figure.objectives,
                          figure.unscored, percent, figure.band)


def predictability(label: str, team_id: int | None, objectives: Sequence[Objective]
                   ) -> Predictability:
    return _row(label, team_id, measure.predictability(objectives).art)


def by_team(teams: Sequence[Team], objectives: Sequence[Objective]
            ) -> tuple[list[Predictability], Predictability]:
    """Per team (teams with objectives) and for the ART (team objectives only)."""
    report = measure.predictability(objectives)
    rows = [_row(t.name, t.id, report.teams[t.id]) for t in teams if t.id in report.teams]
    return rows, _row("ART", None, report.art)


@dataclass(frozen=True)
class FlowSummary:
    """Flow metrics of the PI's features over the PI so far (analytics.flow)."""

    window: tuple[date, date]
    completed: int
    flow_time_days: dict[int | float, float | None]   # 50th, 85th, 95th percentiles
    wip_at_end: int
    efficiency: float | None
    distribution: dict[str, float]

    def as_dict(self) -> dict[str, Any]:
        return {"window": [d.isoformat() for d in self.window], "completed": self.completed,
                "flow_time_days": {str(k): v for k, v in self.flow_time_days.items()},
                "wip_at_end": self.wip_at_end, "efficiency": self.efficiency,
                "distribution": self.distribution}


def flow_summary(uow: UnitOfWork, pi: Pi, timezone: str, today: date) -> FlowSummary | None:
    """Call inside `with uow:`; None before the PI starts or without status history."""
    end = min(pi.end_date, today)
    features = uow.items.find(pi_id=pi.id, level=ItemLevel.FEATURE.value)
    rows = uow.status_changes.history([f.id for f in features if f.id]) if features else []
    if end < pi.start_date or not rows:
        return None
    types = {f.id: f.work_type.value for f in features}
    history = StatusHistory.from_changes([r[0] for r in rows], [r[2] for r in rows],
                                         [r[3] for r in rows], [types[r[0]] for r in rows])
    metrics = compute_flow_metrics(history, default_mapping(), pi.start_date, end,
                                   timezone).overall
    return FlowSummary((pi.start_date, end), metrics.velocity.total,
                       dict(metrics.flow_time.percentiles), metrics.load.at_end,
                       metrics.efficiency.value, dict(metrics.distribution.completed))


@dataclass(frozen=True)
class ReviewView:
    pi: Pi
    teams: list[Predictability]
    art: Predictability
    history: list[tuple[Pi, Predictability]]   # the ART's figure for this and earlier PIs
    flow: FlowSummary | None = None

    def snapshot(self, at: datetime) -> dict[str, Any]:
        return {"taken_at": at.isoformat(), "art": self.art.as_dict(),
                "teams": [t.as_dict() for t in self.teams],
                "history": [{"pi": p.name, **r.as_dict()} for p, r in self.history],
                "flow": self.flow.as_dict() if self.flow else None}


def pi_review(uow: UnitOfWork, pi: Pi, today: date) -> ReviewView:
    """Call inside `with uow:` (the caller has checked the actor may view the ART)."""
    teams = uow.teams.find(art_id=pi.art_id, order_by="name")
    rows, art = by_team(teams, uow.objectives.find(pi_id=pi.id))
    history = []
    for earlier in uow.pis.find(art_id=pi.art_id, order_by="start_date"):
        if earlier.start_date > pi.start_date or (earlier.state is PiState.PLANNING
                                                  and earlier.id != pi.id):
            continue
        _, figure = by_team(teams, uow.objectives.find(pi_id=earlier.id))
        history.append((earlier, figure))
    timezone = uow.arts.get(pi.art_id).timezone
    return ReviewView(pi, rows, art, history, flow_summary(uow, pi, timezone, today))
