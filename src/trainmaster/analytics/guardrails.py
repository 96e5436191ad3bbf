"""Capacity allocation against the ART's lean budget guardrails (DOMAIN.md).

The share of each work type = points planned for that type / all points planned in the PI's
iterations. A story counts for its feature's work type (capacity is allocated at feature
level), or its own type when it has no feature. A share that deviates from the guardrail by
more than the tolerance (Art.guardrail_tolerance, default 0.05 = 5 percentage points) is
flagged; a type without a guardrail share has a target of 0.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from trainmaster.domain.work_item import ItemLevel, WorkItem, WorkType


@dataclass(frozen=True)
class GuardrailRow:
    work_type: str
    target: float
    points: float
    share: float
    deviation: float         # share − target
    flagged: bool


def points_by_type(stories: Iterable[WorkItem], features: Mapping[int, WorkItem]
                   ) -> dict[str, float]:
    """Planned story points per work type (the feature's type when the story has one)."""
    out: dict[str, float] = defaultdict(float)
    for s in stories:
        if s.level is not ItemLevel.STORY or s.iteration_id is None:
            continue
        parent = features.get(s.parent_id or 0)
        kind = parent.work_type if parent is not None else s.work_type
        out[kind.value] += s.points or 0.0
    return dict(out)


def allocation(planned: Mapping[str, float], guardrails: Mapping[str, float],
               tolerance: float) -> list[GuardrailRow]:
    total = sum(planned.values())
    rows = []
    for kind in WorkType:
        target = float(guardrails.get(kind.value, 0.0))
        points = float(planned.get(kind.value, 0.0))
        share = points / total if total > 0 else 0.0
        deviation = share - target
        flagged = bool(guardrails) and total > 0 and abs(deviation) > tolerance + 1e-9
        rows.append(GuardrailRow(kind.value, target, round(points, 2), round(share, 4),
                                 round(deviation, 4), flagged))
    return rows
