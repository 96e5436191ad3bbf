"""Epics of an ART: parents of features over a few PIs, implementing until all are done."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from trainmaster.domain.work_item import ItemLevel, KanbanState, WorkItem
from trainmaster.simulation import text
from trainmaster.simulation.cadence import PiFrame
from trainmaster.simulation.data import TrainData, keep
from trainmaster.simulation.history import record
from trainmaster.simulation.org import ArtOrg
from trainmaster.simulation.workdays import WorkAxis

if TYPE_CHECKING:
    from trainmaster.simulation.backlog import FeaturePlan

NO_EPIC_SHARE = 0.1
EPIC_FLOW = (KanbanState.FUNNEL, KanbanState.ANALYZING, KanbanState.IMPLEMENTING,
             KanbanState.DONE)


@dataclass
class EpicPlan:
    item: WorkItem
    first: int                      # positions of the first and last PI it spans
    last: int
    times: tuple[float, float]      # axis times of funnel and analyzing
    features: list[FeaturePlan] = field(default_factory=list)


class EpicBook:
    """About one epic per team, each spanning two or three PIs."""

    def __init__(self, data: TrainData, rng: np.random.Generator, org: ArtOrg,
                 frames: Sequence[PiFrame], keys: Iterator[str], cutoff: float) -> None:
        self.rng = rng
        self.epics: list[EpicPlan] = []
        count = max(4, len(org.teams))
        offset = org.first_team // max(1, len(org.teams)) * 3
        for e in range(count):
            first = int(np.clip(round(e * (len(frames) - 1) / count) - rng.integers(0, 2),
                                0, len(frames) - 1))
            last = min(len(frames) - 1, first + int(rng.integers(1, 3)))
            created = min(frames[first].planning - rng.uniform(25, 70),
                          cutoff - rng.uniform(1, 20))
            analyzing = created + rng.uniform(3, 15)
            title, work_type = text.EPICS[(offset + e) % len(text.EPICS)]
            item = keep(data.items, WorkItem(
                art_id=org.art.id or 0, level=ItemLevel.EPIC, key=next(keys), title=title,
                work_type=work_type,
                description=f"Epic of the {org.art.name}: {title}."))
            self.epics.append(EpicPlan(item, first, last, (created, analyzing)))

    def choose(self, position: int) -> EpicPlan | None:
        active = [e for e in self.epics if e.first <= position <= e.last]
        if not active or self.rng.random() < NO_EPIC_SHARE:
            return None
        return active[int(self.rng.integers(len(active)))]

    def finish(self, data: TrainData, axis: WorkAxis, cutoff: float, current: int) -> None:
        """Epic histories: implementing from the first feature started, done after the last."""
        times = np.full((len(self.epics), len(EPIC_FLOW)), np.nan)
        for row, epic in enumerate(self.epics):
            times[row, :2] = epic.times
            starts = [f.start for f in epic.features]
            finishes = [f.finish for f in epic.features]
            if starts and min(starts) < np.inf:
                times[row, 2] = max(min(starts), epic.times[1] + 0.1)
            if finishes and epic.last < current and max(finishes) < cutoff:
                times[row, 3] = max(max(finishes), times[row, 2]) + self.rng.uniform(1, 5)
        record(data, axis, [e.item for e in self.epics], times, [s.value for s in EPIC_FLOW],
               cutoff)
