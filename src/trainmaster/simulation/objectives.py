"""Team PI objectives: written at PI Planning, scored by the Business Owners at I&A."""

from __future__ import annotations

import numpy as np

from trainmaster.domain.objective import Objective
from trainmaster.simulation import causal, text
from trainmaster.simulation.backlog import FeaturePlan, PiBacklog
from trainmaster.simulation.data import TrainData, keep
from trainmaster.simulation.org import ArtOrg


def record_objectives(data: TrainData, rng: np.random.Generator, org: ArtOrg,
                      backlog: PiBacklog, *, scored: bool) -> None:
    """3–5 objectives per team; the committed ones carry the team's top features."""
    for team in range(len(org.teams)):
        features = sorted((f for f in backlog.features if f.team == team), key=lambda f: f.rank)
        if not features:
            continue
        count = min(int(rng.integers(3, 6)), len(features))
        uncommitted = 0 if count == 1 else 1 if count <= 3 else int(rng.integers(1, 3))
        committed = np.arange(count) < count - uncommitted
        planned = np.where(committed, rng.integers(5, 11, count), rng.integers(1, 8, count))
        groups = [[features[i] for i in group]
                  for group in np.array_split(np.arange(len(features)), count)]
        actual = _score(rng, backlog, groups, planned) if scored else [None] * count
        for k, group in enumerate(groups):
            keep(data.objectives, Objective(
                pi_id=backlog.frame.pi.id or 0,
                text=text.objective(rng, bool(committed[k]), group[0].noun),
                team_id=org.teams[team].id, committed=bool(committed[k]),
                planned_bv=int(planned[k]), actual_bv=actual[k],
                feature_ids=[f.item.id or 0 for f in group]))


def _score(rng: np.random.Generator, backlog: PiBacklog, groups: list[list[FeaturePlan]],
           planned: np.ndarray) -> list[int | None]:
    frame = backlog.frame
    done_share, on_time = np.zeros(len(groups)), np.zeros(len(groups))
    for k, group in enumerate(groups):
        points = np.array([f.item.points or 1.0 for f in group])
        done = np.array([f.finish < frame.inspect for f in group])
        in_time = np.array([f.finish < frame.bounds[f.planned] for f in group])
        done_share[k] = points[done].sum() / points.sum()
        on_time[k] = in_time.mean()
    return [int(v) for v in causal.actual_bv(rng, planned, done_share, on_time)]
