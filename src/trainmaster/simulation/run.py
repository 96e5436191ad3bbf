"""One ART through all its PIs: plan, execute through the causal model, record what shows."""

from __future__ import annotations

from datetime import date
from itertools import count

import numpy as np

from trainmaster.domain.art import TeamRole
from trainmaster.domain.pi import PiState
from trainmaster.domain.work_item import KanbanState
from trainmaster.simulation import causal
from trainmaster.simulation.backlog import FeaturePlan, PiBacklog, Planner
from trainmaster.simulation.cadence import PiFrame, build_pis
from trainmaster.simulation.capacity import capacity_matrix, nominal_capacity
from trainmaster.simulation.ceremonies import record_actions, record_events
from trainmaster.simulation.data import TrainData
from trainmaster.simulation.dependencies import choose_dependencies, record_dependencies
from trainmaster.simulation.epics import EpicBook
from trainmaster.simulation.execution import TeamWork, execute, final_iteration
from trainmaster.simulation.history import STORY_FLOW, record
from trainmaster.simulation.impediments import draw_impediments, record_impediments, spans
from trainmaster.simulation.objectives import record_objectives
from trainmaster.simulation.org import ArtOrg
from trainmaster.simulation.risks import record_risks

FEATURE_FLOW = tuple(s.value for s in KanbanState)
RELEASE_GAPS = ((0.5, 3.0), (0.5, 2.0), (0.2, 4.0))   # validating → deploying → releasing → done


class ArtRun:
    def __init__(self, data: TrainData, rng: np.random.Generator, org: ArtOrg,
                 starts: list[date], today: date) -> None:
        self.data, self.rng, self.org, self.today = data, rng, org, today
        self.frames = build_pis(data, org.art.id or 0, org.axis, starts)
        self.cutoff = float(org.axis.index(today))
        keys = (f"{org.art.key}-{n}" for n in count(1))
        self.capacity = capacity_matrix(org, self.frames)
        self.nominal = nominal_capacity(org)
        self.traits = causal.draw_traits(rng, len(org.teams))
        executed = [f for f in self.frames if f.executed]
        self.impediments = draw_impediments(rng, self.traits, executed)
        self.teams = [self._team_work(t) for t in range(len(org.teams))]
        self.epics = EpicBook(data, rng, org, self.frames, keys, self.cutoff)
        self.planner = Planner(data, rng, org, keys, self.epics, self.cutoff)
        self.owners = sorted({p for ids in org.leaders.values() for p in ids}
                             | {org.coaches(t, r) for t in range(len(org.teams))
                                for r in (TeamRole.SCRUM_MASTER, TeamRole.PRODUCT_OWNER)})
        self.feature_times: list[np.ndarray] = []

    def _team_work(self, team: int) -> TeamWork:
        noise = self.rng.lognormal(0.0, causal.ITERATION_NOISE, self.capacity.shape[1:])
        windows = [(int(f.bounds[i]), int(f.bounds[i + 1]),
                    float(self.capacity[team, p, i] * noise[p, i]), it.is_ip)
                   for p, f in enumerate(self.frames) for i, it in enumerate(f.iterations)]
        size = self.org.axis.size
        rate = (causal.daily_rate(size, self.nominal[team], self.traits[team].reliability, windows)
                * causal.impediment_drag(size, spans(self.impediments, team)))
        return TeamWork(rate, causal.cumulative(rate))

    def run(self, frame: PiFrame) -> None:
        if frame.executed:
            self._execute(frame)
        else:
            plans = self.planner.plan_next(frame)
            self._record_features(plans, np.full((len(plans), 5), np.nan))
        record_events(self.data, self.rng, self.org, frame)
        record_risks(self.data, self.rng, self.org, frame, self.owners, self.cutoff)
        record_actions(self.data, self.rng, self.org, frame, self.owners, self.today, self.cutoff)

    def _execute(self, frame: PiFrame) -> None:
        start = frame.bounds[:1]
        carried = np.array([max(0.0, t.level - causal.level_at(t.work, t.rate, start)[0])
                            for t in self.teams])
        backlog = self.planner.plan_pi(frame, self.nominal, self.capacity[:, frame.position],
                                       self.traits, carried)
        graph = choose_dependencies(self.rng, backlog, len(self.org.teams),
                                    frame.pi.state is PiState.EXECUTING)
        record_dependencies(self.data, self.rng, self.org, backlog, graph)
        table = execute(self.rng, backlog, self.teams, self.capacity[:, frame.position], graph,
                        [spans(self.impediments, t) for t in range(len(self.org.teams))])
        self._settle_stories(backlog, table)
        later = np.array([[f.start, f.finish] for f in backlog.features]).reshape(-1, 2)
        gaps = np.cumsum([self.rng.uniform(lo, hi, len(later)) for lo, hi in RELEASE_GAPS], axis=0)
        self._record_features(backlog.features,
                              np.column_stack([later, later[:, 1:] + gaps.T]))
        for feature in backlog.features:
            index = final_iteration(frame, np.array([feature.planned]),
                                    np.array([feature.finish]), self.cutoff)[0]
            feature.item.plan(frame.pi.id, frame.iteration_id(int(index)))
        record_objectives(self.data, self.rng, self.org, backlog,
                          scored=frame.pi.state is PiState.CLOSED)

    def _settle_stories(self, backlog: PiBacklog, table: np.ndarray) -> None:
        stories, frame = backlog.stories, backlog.frame
        record(self.data, self.org.axis, stories.items, table, STORY_FLOW, self.cutoff)
        index = final_iteration(frame, stories.column("iteration"), table[:, 7], self.cutoff)
        for item, descoped, it in zip(stories.items, stories.descoped, index, strict=True):
            item.plan(frame.pi.id, None if descoped else frame.iteration_id(int(it)))

    def _record_features(self, plans: list[FeaturePlan], later: np.ndarray) -> None:
        """Feature histories: funnel, analyzing, backlog, then `later` (implementing … done)."""
        times = np.column_stack([np.array([p.times for p in plans]).reshape(-1, 3), later])
        times[~np.isfinite(times)] = np.nan
        record(self.data, self.org.axis, [p.item for p in plans], times, FEATURE_FLOW,
               self.cutoff)
        self.feature_times.append(times)

    def finish(self) -> None:
        """What needs every PI first: impediments, epic histories, WIP limits."""
        record_impediments(self.data, self.rng, self.org, self.impediments, self.cutoff)
        current = next(f.position for f in self.frames if f.pi.state is PiState.EXECUTING)
        self.epics.finish(self.data, self.org.axis, self.cutoff, current)
        times = np.vstack(self.feature_times)
        art = self.org.art
        art.wip_analyzing = max(art.wip_analyzing, _peak(times, 1, 2, self.cutoff) + 2)
        art.wip_implementing = max(art.wip_implementing, _peak(times, 3, 4, self.cutoff) + 2)


def _peak(times: np.ndarray, enter: int, leave: int, cutoff: float) -> int:
    """Most items at once in the state entered at column `enter` and left at `leave`."""
    inside = np.isfinite(times[:, enter]) & (times[:, enter] < cutoff)
    entered, left = times[inside, enter], times[inside, leave]
    left = np.where(np.isfinite(left) & (left < cutoff), left, np.inf)
    moments = np.concatenate([entered, left])
    steps = np.concatenate([np.ones(len(entered)), -np.ones(len(left))])
    order = np.lexsort((steps, moments))
    return int(np.max(np.cumsum(steps[order]), initial=0))
