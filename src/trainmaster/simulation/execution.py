"""Running a PI's plan through the causal model: when each story starts, waits and is done."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from trainmaster.simulation import causal
from trainmaster.simulation.backlog import PiBacklog
from trainmaster.simulation.cadence import PiFrame
from trainmaster.simulation.dependencies import HANDOVER_DAYS, DependencyGraph

IMPEDIMENT_BLOCK_SHARE = 0.35   # stories in progress that an impediment blocks
IMPEDIMENT_BLOCK_DAYS = 10.0
RANDOM_BLOCK_SHARE = 0.03
REOPEN_SHARE = 0.04
PHASES = (6.0, 1.5, 1.2, 1.5)   # Dirichlet weights: in progress, review, ready for test, test
MIN_PHASE = 0.04
LEAD_DAYS = 5.0                 # a consumer starts a blocked story at most this long ahead


@dataclass
class TeamWork:
    """A team's working capacity on the ART's axis and where its queue stands."""

    rate: np.ndarray
    work: np.ndarray
    level: float = 0.0


@dataclass
class _Times:
    start: np.ndarray
    base: np.ndarray             # done without blocks
    shares: np.ndarray           # (n, 4) phase shares
    jitter: np.ndarray           # where in the in-progress phase a block begins
    reopen: np.ndarray           # (n, 3) gaps after done, NaN when never reopened
    blocked: np.ndarray          # block start, NaN when never blocked
    unblocked: np.ndarray

    @property
    def span(self) -> np.ndarray:
        return self.base - self.start

    @property
    def wait(self) -> np.ndarray:
        return np.where(np.isnan(self.blocked), 0.0, self.unblocked - self.blocked)

    @property
    def done(self) -> np.ndarray:
        return self.base + self.wait

    def final(self, rows: np.ndarray) -> np.ndarray:
        """Last time each row is done (after a reopening, if any)."""
        wait = np.where(np.isnan(self.blocked[rows]), 0.0,
                        self.unblocked[rows] - self.blocked[rows])
        return self.base[rows] + wait + np.nan_to_num(self.reopen[rows].sum(axis=1), nan=0.0)


def execute(rng: np.random.Generator, backlog: PiBacklog, teams: Sequence[TeamWork],
            capacity: np.ndarray, graph: DependencyGraph,
            impediments: Sequence[Sequence[tuple[float, float]]]) -> np.ndarray:
    """The stories' time table (see history.STORY_FLOW); sets each feature's start/finish."""
    table = backlog.stories
    n = len(table.items)
    points = np.nan_to_num(table.column("points"), nan=3.0)
    overload = _overload(backlog, capacity)
    base = _queue(backlog, teams, causal.effort(rng, points, overload))
    start = np.minimum(np.maximum(table.column("release"),
                                  base - causal.flow_days(rng, points, overload)), base - 0.05)
    shares = MIN_PHASE + (1 - len(PHASES) * MIN_PHASE) * rng.dirichlet(PHASES, n)
    gaps = np.column_stack([rng.uniform(0.5, 8, n), rng.uniform(0.3, 2, n), rng.uniform(0.1, 1, n)])
    reopened = (rng.random(n) < REOPEN_SHARE) & np.isfinite(start)
    times = _Times(start, base, shares, rng.uniform(0.2, 0.9, n),
                   np.where(reopened[:, None], gaps, np.nan), np.full(n, np.nan),
                   np.full(n, np.nan))
    _impediment_blocks(rng, times, table.column("team"), impediments)
    _settle(backlog, graph, times)
    return _table(times, table.column("created"))


def _queue(backlog: PiBacklog, teams: Sequence[TeamWork], effort: np.ndarray) -> np.ndarray:
    table = backlog.stories
    team_of, descoped = table.column("team"), table.column("descoped")
    release = table.column("release")
    base = np.full(len(table.items), np.nan)
    for t, team in enumerate(teams):
        rows = np.flatnonzero((team_of == t) & ~descoped)
        if len(rows) == 0:
            continue
        order = _order(backlog, team, rows, effort)
        levels = causal.queue_levels(effort[order],
                                     causal.level_at(team.work, team.rate, release[order]),
                                     team.level)
        base[order] = causal.time_at(team.work, team.rate, levels)
        team.level = float(levels[-1])
    return base


def _order(backlog: PiBacklog, team: TeamWork, rows: np.ndarray, effort: np.ndarray
           ) -> np.ndarray:
    """Plan order, with stories added after planning inserted where the team took them."""
    table = backlog.stories
    planned, iteration = table.column("planned"), table.column("iteration")
    fixed, added = rows[planned[rows] > 0], rows[planned[rows] == 0]
    if len(added) == 0:
        return fixed
    release = causal.level_at(team.work, team.rate, table.column("release")[fixed])
    began = causal.queue_levels(effort[fixed], release, team.level) - effort[fixed]
    created = table.column("created")[added]
    started = np.searchsorted(began, causal.level_at(team.work, team.rate, created), side="right")
    after_plan = np.searchsorted(planned[fixed], iteration[added], side="right")
    position = np.where(table.column("urgent")[added], started, np.maximum(started, after_plan))
    key = np.concatenate([np.arange(len(fixed)), position - 0.5 + created * 1e-6])
    return np.concatenate([fixed, added])[np.argsort(key, kind="stable")]


def _overload(backlog: PiBacklog, capacity: np.ndarray) -> np.ndarray:
    """Per story: how far its team's iteration was loaded beyond capacity (0 when not)."""
    table = backlog.stories
    team, index = table.column("team"), table.column("iteration") - 1
    cap = capacity[team, index]
    ratio = backlog.load[team, index] / np.maximum(cap, 1e-9)
    return np.where(cap > 0, np.maximum(ratio - 1.0, 0.0), 1.0)


def _impediment_blocks(rng: np.random.Generator, times: _Times, team_of: np.ndarray,
                       impediments: Sequence[Sequence[tuple[float, float]]]) -> None:
    """Open impediments block some stories in progress; a few stories wait for other reasons."""
    active_end = times.start + times.shares[:, 0] * times.span
    for team, spans in enumerate(impediments):
        rows = np.flatnonzero(team_of == team)
        for raised, resolved in spans:
            hit = ((times.start[rows] < raised) & (raised + 0.03 < active_end[rows])
                   & np.isnan(times.blocked[rows])
                   & (rng.random(len(rows)) < IMPEDIMENT_BLOCK_SHARE))
            chosen = rows[hit]
            times.blocked[chosen] = raised + 0.02
            times.unblocked[chosen] = max(min(resolved, raised + IMPEDIMENT_BLOCK_DAYS),
                                          raised + 0.1)
    n = len(times.start)
    other = (np.isnan(times.blocked) & np.isfinite(times.base)
             & (rng.random(n) < RANDOM_BLOCK_SHARE))
    times.blocked[other] = (times.start + times.jitter * times.shares[:, 0] * times.span)[other]
    times.unblocked[other] = times.blocked[other] + rng.uniform(0.3, 3.0, n)[other]


def _settle(backlog: PiBacklog, graph: DependencyGraph, times: _Times) -> None:
    """Dependency waits, features in dependency order so each provider is settled first."""
    stories = backlog.stories
    descoped = stories.column("descoped")
    need = np.full(len(stories.items), -np.inf)
    by_consumer = graph.by_consumer_feature(stories.column("feature"))
    final = np.nan_to_num(times.final(np.arange(len(stories.items))), nan=np.inf)
    for index in graph.order:
        feature = backlog.features[index]
        rows = np.array([r for r in feature.stories if not descoped[r]], dtype=np.int64)
        for plan in by_consumer.get(index, []):
            if plan.stories:
                need[plan.consumer] = max(need[plan.consumer], final[plan.provider] + HANDOVER_DAYS)
                continue
            ready = backlog.features[plan.provider].finish + HANDOVER_DAYS
            tail = rows[-int(np.ceil(causal.INTEGRATION_SHARE * len(rows))):]
            need[tail] = np.maximum(need[tail], ready)
        _wait_for(times, rows, need[rows])
        final[rows] = np.nan_to_num(times.final(rows), nan=np.inf)   # NaN: never done
        feature.start = float(np.min(times.start[rows]))
        feature.finish = float(np.max(final[rows]))


def _wait_for(times: _Times, rows: np.ndarray, need: np.ndarray) -> None:
    """Block stories until `need`; a team starts them at most LEAD_DAYS before it."""
    begin = (times.start + times.jitter * times.shares[:, 0] * times.span)[rows]
    hit = need > begin + 0.05
    rows, need, begin = rows[hit], need[hit], begin[hit]
    shift = np.maximum(0.0, need - LEAD_DAYS * times.jitter[rows] - begin)
    times.start[rows] += shift
    times.base[rows] += shift
    times.blocked[rows] = begin + shift
    times.unblocked[rows] = need


def _table(times: _Times, created: np.ndarray) -> np.ndarray:
    span, wait, shares = times.span, times.wait, times.shares
    table = np.full((len(created), 11), np.nan)
    table[:, 0] = created
    table[:, 1] = times.start
    table[:, 2], table[:, 3] = times.blocked, times.unblocked
    table[:, 4] = times.start + shares[:, 0] * span + wait
    table[:, 5] = table[:, 4] + shares[:, 1] * span
    table[:, 6] = table[:, 5] + shares[:, 2] * span
    table[:, 7] = times.done
    table[:, 8:] = times.done[:, None] + np.cumsum(times.reopen, axis=1)
    return table


def final_iteration(frame: PiFrame, planned: np.ndarray, finish: np.ndarray,
                    cutoff: float) -> np.ndarray:
    """Where an item ends: the iteration it was done in (the last one when done after the
    PI); undone, its planned iteration, or the current one once that has passed."""
    total = len(frame.iterations)
    if cutoff >= frame.bounds[-1]:
        waiting = np.full(len(planned), total)
    elif cutoff < frame.bounds[0]:
        waiting = np.asarray(planned)
    else:
        waiting = np.maximum(planned, frame.index_at(np.array([cutoff]))[0])
    return np.where(finish < cutoff, frame.index_at(finish), waiting)
