"""Time an impediment spends at each level (team → ART → portfolio) and time to resolve.

Input per impediment: when it was raised and its steps (entry at a level, or resolution at
it), each with a time stamp. The time at a level runs from entering it to the next step
(escalation or resolution), or to `now` while the impediment is still open there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from trainmaster.domain.impediment import ESCALATION, Impediment, ImpedimentStep, Level

HOUR = 3600.0


@dataclass(frozen=True)
class Stay:
    """One impediment's time at one level."""

    impediment_id: int
    level: Level
    entered: datetime
    left: datetime | None     # None while still there
    resolved_here: bool

    def hours(self, now: datetime) -> float:
        return ((self.left or now) - self.entered).total_seconds() / HOUR


@dataclass(frozen=True)
class LevelReport:
    """Per level: how many impediments reached it, how long they stayed, how many ended there."""

    level: Level
    reached: int
    resolved: int           # resolved at this level
    escalated: int          # left this level upwards
    open: int               # still open at this level
    median_hours: float | None        # time at the level, stays that ended
    p85_hours: float | None
    median_resolve_hours: float | None  # for those resolved here: entering level → resolved
    median_total_hours: float | None    # for those resolved here: raised → resolved


def stays(impediment: Impediment, steps: Sequence[ImpedimentStep]) -> list[Stay]:
    """The impediment's stays per level, in order.

    When no entry step opens the history at the raise time (rows from an import, or created
    without the use case), the first stay starts at `raised_at` at the level below the first
    recorded entry.
    """
    ordered = sorted(steps, key=lambda s: (s.at, s.resolved))
    entries = [(s.level, s.at) for s in ordered if not s.resolved]
    resolution = next((s for s in ordered if s.resolved), None)
    start = impediment.raised_at
    if start is not None and (not entries or entries[0][1] > start):
        first = entries[0][0] if entries else (resolution.level if resolution
                                               else impediment.level)
        below = ESCALATION[max(ESCALATION.index(first) - 1, 0)] if entries else first
        entries.insert(0, (below, start))
    out = []
    for i, (level, entered) in enumerate(entries):
        last = i == len(entries) - 1
        left = entries[i + 1][1] if not last else (resolution.at if resolution else None)
        out.append(Stay(impediment.id or 0, level, entered, left,
                        resolved_here=last and resolution is not None))
    return out


def _percentile(values: list[float], q: float) -> float | None:
    return float(np.percentile(values, q)) if values else None


def level_report(histories: Sequence[tuple[Impediment, Sequence[ImpedimentStep]]],
                 now: datetime) -> list[LevelReport]:
    """One report per level, team first."""
    all_stays = [(imp, stays(imp, steps)) for imp, steps in histories]
    out = []
    for level in ESCALATION:
        here = [(imp, s) for imp, ss in all_stays for s in ss if s.level is level]
        ended = [s.hours(now) for _, s in here if s.left is not None]
        resolved = [(imp, s) for imp, s in here if s.resolved_here]
        totals = [((s.left or now) - (imp.raised_at or s.entered)).total_seconds() / HOUR
                  for imp, s in resolved]
        out.append(LevelReport(
            level=level, reached=len(here), resolved=len(resolved),
            escalated=sum(1 for _, s in here if s.left is not None and not s.resolved_here),
            open=sum(1 for _, s in here if s.left is None),
            median_hours=_percentile(ended, 50), p85_hours=_percentile(ended, 85),
            median_resolve_hours=_percentile([s.hours(now) for _, s in resolved], 50),
            median_total_hours=_percentile(totals, 50)))
    return out


def age_hours(impediment: Impediment, steps: Sequence[ImpedimentStep], now: datetime) -> float:
    """How long the impediment has been (or was) open."""
    history = stays(impediment, steps)
    if not history:
        return 0.0
    end = history[-1].left if impediment.resolved_at else now
    return ((end or now) - history[0].entered).total_seconds() / HOUR
