"""Flow predictability = the predictability measure (DOMAIN.md, Flow metrics).

Per team: Σ actual BV of all its objectives (committed and uncommitted) / Σ planned BV of
its committed objectives × 100 %. For the ART: the same sums over all teams. It can exceed
100 %; the healthy band is 80–100 %. Program objectives (no team) summarise the teams'
and are left out. An objective without an actual BV counts 0 and is reported as unscored.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

HEALTHY_LOW, HEALTHY_HIGH = 80.0, 100.0


class ObjectiveRecord(Protocol):
    """What the measure reads from an objective (domain Objective fits)."""

    @property
    def team_id(self) -> Hashable | None: ...
    @property
    def committed(self) -> bool: ...
    @property
    def planned_bv(self) -> int | None: ...
    @property
    def actual_bv(self) -> int | None: ...


@dataclass(frozen=True)
class Objective:
    """A plain objective record."""

    team_id: Hashable | None
    committed: bool
    planned_bv: int | None
    actual_bv: int | None


@dataclass(frozen=True)
class Predictability:
    """One team's (or the ART's) sums and percentage; `percent` None without a plan."""

    planned: int
    actual: int
    percent: float | None
    band: str | None
    objectives: int
    unscored: int


@dataclass(frozen=True)
class PredictabilityReport:
    """Per team and for the whole ART."""

    teams: Mapping[Hashable, Predictability] = field(default_factory=dict)
    art: Predictability = field(default_factory=lambda: _measure([]))


def band(percent: float | None) -> str | None:
    """"below" (< 80 %), "healthy" (80–100 %) or "above" (> 100 %)."""
    if percent is None:
        return None
    if percent < HEALTHY_LOW:
        return "below"
    return "healthy" if percent <= HEALTHY_HIGH else "above"


def _measure(objectives: list[ObjectiveRecord]) -> Predictability:
    planned = sum(o.planned_bv or 0 for o in objectives if o.committed)
    actual = sum(o.actual_bv or 0 for o in objectives)
    percent = actual / planned * 100.0 if planned else None
    return Predictability(planned, actual, percent, band(percent), len(objectives),
                          sum(o.actual_bv is None for o in objectives))


def predictability(objectives: Iterable[ObjectiveRecord]) -> PredictabilityReport:
    """The predictability measure per team and for the ART."""
    by_team: dict[Hashable, list[ObjectiveRecord]] = {}
    for o in objectives:
        if o.team_id is not None:
            by_team.setdefault(o.team_id, []).append(o)
    teams = {team: _measure(group) for team, group in by_team.items()}
    return PredictabilityReport(teams, _measure([o for g in by_team.values() for o in g]))
