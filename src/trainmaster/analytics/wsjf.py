"""WSJF ranking of the ART backlog and the epic roll-up (DOMAIN.md).

- WSJF = (business value + time criticality + risk reduction/opportunity enablement) / job
  size; every term on the modified Fibonacci scale (enforced by the domain).
- Ranking: highest WSJF first; equal scores go to the smaller job first, then by key.
  Features missing a term have no score and follow the ranked ones (by key).
- Epic roll-up: estimate = Σ of its features' estimates (Feature.points); progress =
  accepted feature points / total, where a feature is accepted when its ART Kanban state
  is `done`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from trainmaster.domain.work_item import KanbanState, WorkItem


@dataclass(frozen=True)
class RankedFeature:
    item: WorkItem
    rank: int | None         # 1 = do first; None without a WSJF score
    wsjf: float | None
    cost_of_delay: int | None


def rank_features(features: Iterable[WorkItem]) -> list[RankedFeature]:
    scored = [f for f in features if f.wsjf is not None]
    unscored = [f for f in features if f.wsjf is None]
    scored.sort(key=lambda f: (-(f.wsjf or 0.0), f.job_size or 0, f.key))
    unscored.sort(key=lambda f: f.key)
    out = [RankedFeature(f, n, round(f.wsjf or 0.0, 2), f.cost_of_delay)
           for n, f in enumerate(scored, start=1)]
    return out + [RankedFeature(f, None, None, f.cost_of_delay) for f in unscored]


@dataclass(frozen=True)
class EpicRollup:
    epic: WorkItem
    features: int
    estimate: float          # Σ of the estimated features' points
    unestimated: int         # features without an estimate
    accepted: float          # points of features in state done

    @property
    def progress(self) -> float | None:
        """Accepted points / total points, None while nothing is estimated."""
        return None if self.estimate <= 0 else self.accepted / self.estimate


def roll_up(epics: Sequence[WorkItem], features: Iterable[WorkItem]) -> list[EpicRollup]:
    by_epic: dict[int | None, list[WorkItem]] = defaultdict(list)
    for f in features:
        by_epic[f.parent_id].append(f)
    out = []
    for epic in epics:
        children = by_epic.get(epic.id, [])
        estimated = [f for f in children if f.points is not None]
        out.append(EpicRollup(
            epic=epic, features=len(children),
            estimate=float(sum(f.points or 0.0 for f in estimated)),
            unestimated=len(children) - len(estimated),
            accepted=float(sum(f.points or 0.0 for f in estimated
                               if f.status == KanbanState.DONE.value))))
    return out
