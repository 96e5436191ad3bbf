"""The risk radar's features and outcomes, computed from a train's history at an instant.

Pure functions over domain objects (no storage): the radar feeds them what is stored, the
demo evaluation what the simulator generated. Three subjects, each a row of named numbers:

- **team PI objective** misses: actual BV < 80 % of its planned BV;
- **feature** misses: not every story of it done by the end of the PI's last development
  iteration;
- **team iteration** under-delivers: the points of the team's stories done in it fall below
  80 % of its capacity (DOMAIN.md capacity).

Everything a row holds is known at `at`: items created by then, stories done by then, the
plan (`History.plan`, item id -> iteration id; the stored iteration when absent), open
impediments, dependencies created by then, business value of PIs already over.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from trainmaster.analytics.capacity import iteration_capacity
from trainmaster.domain.art import Membership, Team
from trainmaster.domain.dependency import Dependency, DependencyState, dependency_state
from trainmaster.domain.impediment import Impediment
from trainmaster.domain.learning import RiskSubject
from trainmaster.domain.objective import Objective
from trainmaster.domain.pi import Iteration, Pi
from trainmaster.domain.work_item import ItemLevel, WorkItem, WorkType

MISS_SHARE = 0.8
WORK_TYPES = tuple(t.value for t in WorkType)

COMMON = ("load_vs_capacity", "scope_added_since_baseline", "completion_vs_ideal_burn",
          "impediments_open", "past_predictability", "past_miss_rate", "elapsed_share")
DEPS = ("dependencies_late", "dependencies_at_risk", "dependencies_unplanned")
FEATURE_NAMES: dict[RiskSubject, tuple[str, ...]] = {
    RiskSubject.ITERATION: (*COMMON, *DEPS, "committed_points", "iterations_ahead",
                            *(f"share_{t}" for t in WORK_TYPES)),
    RiskSubject.FEATURE: (*COMMON, *DEPS, "feature_points", "feature_done_share",
                          "planned_position", "is_enabler"),
    RiskSubject.OBJECTIVE: (*COMMON, "dependencies_late", "dependencies_unplanned", "committed",
                            "planned_bv", "linked_points", "linked_done_share"),
}

DESCRIPTIONS = {
    "load_vs_capacity": "load vs capacity",
    "scope_added_since_baseline": "scope added since PI start",
    "completion_vs_ideal_burn": "completion vs ideal burn",
    "impediments_open": "impediments open",
    "past_predictability": "team's past predictability",
    "past_miss_rate": "team's past under-delivering iterations",
    "elapsed_share": "share of the PI elapsed",
    "dependencies_late": "late dependencies",
    "dependencies_at_risk": "at-risk dependencies",
    "dependencies_unplanned": "unplanned dependencies",
    "committed_points": "points planned",
    "iterations_ahead": "iterations ahead",
    "feature_points": "feature points",
    "feature_done_share": "share of the feature done",
    "planned_position": "planned iteration (share of the PI)",
    "is_enabler": "enabler",
    "committed": "committed objective",
    "planned_bv": "planned business value",
    "linked_points": "points of linked features",
    "linked_done_share": "share of linked features done",
    **{f"share_{t}": f"share of {t.replace('_', '-')} work" for t in WORK_TYPES},
}


@dataclass
class History:
    """What the radar reads about one ART."""

    pis: list[Pi]
    iterations: list[Iteration]
    teams: list[Team]
    items: list[WorkItem]
    done_at: dict[int, datetime]                   # item id -> first entry into done
    dependencies: list[Dependency]
    objectives: list[Objective]
    impediments: list[Impediment]
    memberships: list[Membership]
    absences: dict[int, set[date]]
    holidays: list[date]
    plan: dict[int, int | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.iterations_of: dict[int, list[Iteration]] = defaultdict(list)
        for it in sorted(self.iterations, key=lambda i: i.index):
            self.iterations_of[it.pi_id].append(it)
        self.by_iteration = {i.id: i for i in self.iterations}
        self.seats: dict[int, list[Membership]] = defaultdict(list)
        for m in self.memberships:
            self.seats[m.team_id].append(m)
        self.stories_of: dict[int, list[WorkItem]] = defaultdict(list)
        self.children: dict[int, list[WorkItem]] = defaultdict(list)
        for item in self.items:
            if item.level is ItemLevel.STORY:
                if item.pi_id is not None:
                    self.stories_of[item.pi_id].append(item)
                if item.parent_id is not None:
                    self.children[item.parent_id].append(item)
        self.team_names = {t.id: t.name for t in self.teams}
        self.by_id = {i.id: i for i in self.items}
        self.features = [i for i in self.items if i.level is ItemLevel.FEATURE]
        self._capacity: dict[tuple[int, int], float] = {}

    def planned(self, item: WorkItem) -> Iteration | None:
        it = self.plan[item.id] if item.id in self.plan else item.iteration_id
        return self.by_iteration.get(it) if it is not None else None

    def capacity(self, team_id: int, iteration: Iteration) -> float:
        key = (team_id, iteration.id or 0)
        if key not in self._capacity:
            self._capacity[key] = iteration_capacity(iteration, self.seats.get(team_id, []),
                                                     self.absences, self.holidays)
        return self._capacity[key]

    def done_by(self, item: WorkItem, at: datetime) -> bool:
        done = self.done_at.get(item.id or 0)
        return done is not None and done <= at


@dataclass(frozen=True)
class SubjectRow:
    subject: RiskSubject
    subject_id: int
    team_id: int | None
    label: str
    features: dict[str, float]


def day_end(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=UTC)


def dev_iterations(history: History, pi: Pi) -> list[Iteration]:
    return [i for i in history.iterations_of[pi.id or 0] if not i.is_ip]


def iteration_delivered(history: History, team_id: int, iteration: Iteration) -> float:
    """Points of the team's stories done within the iteration's days."""
    start = datetime.combine(iteration.start_date, time(0), tzinfo=UTC)
    end = day_end(iteration.end_date)
    return sum(s.points or 0.0 for s in history.stories_of[iteration.pi_id]
               if s.team_id == team_id and (d := history.done_at.get(s.id or 0)) is not None
               and start <= d <= end)


def iteration_missed(history: History, team_id: int, iteration: Iteration) -> int | None:
    capacity = history.capacity(team_id, iteration)
    if capacity <= 0:
        return None
    return int(iteration_delivered(history, team_id, iteration) < MISS_SHARE * capacity)


@dataclass
class _Team:
    load: dict[int, float]                 # iteration id -> planned points
    by_type: dict[int, dict[str, float]]   # iteration id -> work type -> points
    total: float
    done: float
    baseline: float
    added: float
    impediments: int
    past_predictability: float
    past_miss_rate: float


class Snapshot:
    """One PI as known at `at`: the rows of all three subjects."""

    def __init__(self, history: History, pi: Pi, at: datetime) -> None:
        self.h, self.pi, self.at = history, pi, at
        self.dev = dev_iterations(history, pi)
        days = len(self.dev) * pi.iteration_days
        elapsed = (at.date() - pi.start_date).days + 1
        self.elapsed = min(1.0, max(0.0, elapsed / days)) if days else 1.0
        self.start = datetime.combine(pi.start_date, time(0), tzinfo=UTC)
        self.stories = [s for s in history.stories_of[pi.id or 0]
                        if s.created_at is None or s.created_at <= at]
        self.teams = {t.id or 0: self._team(t.id or 0) for t in history.teams}
        self.index = {i.id: i.index for i in history.iterations_of[pi.id or 0]}

    def _team(self, team_id: int) -> _Team:
        mine = [s for s in self.stories if s.team_id == team_id]
        load: dict[int, float] = defaultdict(float)
        by_type: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for s in mine:
            it = self.h.planned(s)
            if it is not None and it.pi_id == self.pi.id:
                load[it.id or 0] += s.points or 0.0
                by_type[it.id or 0][s.work_type.value] += s.points or 0.0
        baseline = sum(s.points or 0.0 for s in mine if not self._added(s))
        return _Team(load, by_type, sum(s.points or 0.0 for s in mine),
                     sum(s.points or 0.0 for s in mine if self.h.done_by(s, self.at)),
                     baseline, sum(s.points or 0.0 for s in mine if self._added(s)),
                     self._impediments(team_id), self._predictability(team_id),
                     self._miss_rate(team_id))

    def _added(self, item: WorkItem) -> bool:
        return item.created_at is not None and item.created_at > self.start

    def _impediments(self, team_id: int) -> int:
        return sum(1 for i in self.h.impediments if i.team_id == team_id
                   and i.raised_at is not None and i.raised_at <= self.at
                   and (i.resolved_at is None or i.resolved_at > self.at))

    def _predictability(self, team_id: int) -> float:
        over = {p.id for p in self.h.pis if p.end_date < self.at.date()}
        mine = [o for o in self.h.objectives if o.team_id == team_id and o.pi_id in over]
        planned = sum(o.planned_bv or 0 for o in mine if o.committed)
        actual = sum(o.actual_bv or 0 for o in mine)
        return actual / planned if planned else math.nan

    def _miss_rate(self, team_id: int) -> float:
        ended = [i for i in self.h.iterations if not i.is_ip and day_end(i.end_date) <= self.at]
        misses = [m for i in ended if (m := iteration_missed(self.h, team_id, i)) is not None]
        return (sum(misses) + 1) / (len(misses) + 2)  # Laplace-smoothed

    def common(self, team_id: int, load: float, capacity: float) -> dict[str, float]:
        t = self.teams.get(team_id)
        if t is None:
            return {n: math.nan for n in COMMON}
        return {
            "load_vs_capacity": load / capacity if capacity > 0 else math.nan,
            "scope_added_since_baseline": t.added / t.baseline if t.baseline else 0.0,
            "completion_vs_ideal_burn": (t.done / t.total if t.total else 0.0) - self.elapsed,
            "impediments_open": float(t.impediments),
            "past_predictability": t.past_predictability,
            "past_miss_rate": t.past_miss_rate,
            "elapsed_share": self.elapsed,
        }

    def team_load(self, team_id: int, remaining: list[Iteration]) -> tuple[float, float]:
        t = self.teams.get(team_id)
        if t is None:
            return 0.0, 0.0
        load = sum(t.load.get(i.id or 0, 0.0) for i in remaining)
        return load, sum(self.h.capacity(team_id, i) for i in remaining)

    def remaining(self) -> list[Iteration]:
        return [i for i in self.dev if day_end(i.end_date) > self.at] or self.dev[-1:]

    def dependency_states(self, feature_ids: set[int]) -> dict[str, float]:
        counts = dict.fromkeys(DEPS, 0.0)
        items = self.h.by_id
        for d in self.h.dependencies:
            if d.consumer_id not in feature_ids or (d.created_at and d.created_at > self.at):
                continue
            provider, consumer = items.get(d.provider_id), items.get(d.consumer_id)
            if provider is None or consumer is None or self.h.done_by(provider, self.at):
                continue
            p, c = self.h.planned(provider), self.h.planned(consumer)
            state = dependency_state(p.index if p and p.pi_id == self.pi.id else None,
                                     c.index if c else None)
            if state is not DependencyState.OK:
                counts[f"dependencies_{state.value}"] += 1
        return counts


def iteration_rows(snap: Snapshot) -> list[SubjectRow]:
    rows = []
    current = min((i.index for i in snap.remaining()), default=0)
    for team_id in sorted(snap.teams):
        t = snap.teams[team_id]
        for it in snap.remaining():
            capacity = snap.h.capacity(team_id, it)
            if capacity <= 0:
                continue
            load = t.load.get(it.id or 0, 0.0)
            features = {f.id or 0 for f in snap.h.features
                        if f.team_id == team_id and snap.h.planned(f) is it}
            types = t.by_type.get(it.id or 0, {})
            row = {**snap.common(team_id, load, capacity), **snap.dependency_states(features),
                   "committed_points": load, "iterations_ahead": float(it.index - current),
                   **{f"share_{w}": (types.get(w, 0.0) / load if load else 0.0)
                      for w in WORK_TYPES}}
            rows.append(SubjectRow(RiskSubject.ITERATION, it.id or 0, team_id,
                                   f"{snap.h.team_names.get(team_id, '?')} · {it.name}", row))
    return rows


def feature_rows(snap: Snapshot) -> list[SubjectRow]:
    rows = []
    remaining = snap.remaining()
    last = len(snap.dev) or 1
    for f in snap.h.features:
        if f.pi_id != snap.pi.id or f.team_id is None:
            continue
        stories = [s for s in snap.h.children.get(f.id or 0, [])
                   if s.created_at is None or s.created_at <= snap.at]
        total = sum(s.points or 0.0 for s in stories)
        if not stories or total <= 0 or (f.created_at and f.created_at > snap.at):
            continue
        done = sum(s.points or 0.0 for s in stories if snap.h.done_by(s, snap.at))
        if done >= total:
            continue
        planned = snap.h.planned(f)
        load, capacity = snap.team_load(f.team_id, remaining)
        row = {**snap.common(f.team_id, load, capacity),
               **snap.dependency_states({f.id or 0}),
               "feature_points": total, "feature_done_share": done / total,
               "planned_position": (planned.index / last) if planned else math.nan,
               "is_enabler": float(f.work_type is WorkType.ENABLER)}
        rows.append(SubjectRow(RiskSubject.FEATURE, f.id or 0, f.team_id,
                               f"{f.key} {f.title}", row))
    return rows


def objective_rows(snap: Snapshot) -> list[SubjectRow]:
    rows = []
    remaining = snap.remaining()
    items = snap.h.by_id
    for o in snap.h.objectives:
        if o.pi_id != snap.pi.id or o.team_id is None or not o.planned_bv:
            continue
        linked = [items[i] for i in o.feature_ids if i in items]
        stories = [s for f in linked for s in snap.h.children.get(f.id or 0, [])
                   if s.created_at is None or s.created_at <= snap.at]
        total = sum(s.points or 0.0 for s in stories)
        done = sum(s.points or 0.0 for s in stories if snap.h.done_by(s, snap.at))
        load, capacity = snap.team_load(o.team_id, remaining)
        deps = snap.dependency_states({f.id or 0 for f in linked})
        row = {**snap.common(o.team_id, load, capacity),
               "dependencies_late": deps["dependencies_late"],
               "dependencies_unplanned": deps["dependencies_unplanned"],
               "committed": float(o.committed), "planned_bv": float(o.planned_bv),
               "linked_points": total, "linked_done_share": done / total if total else math.nan}
        rows.append(SubjectRow(RiskSubject.OBJECTIVE, o.id or 0, o.team_id,
                               f"{snap.h.team_names.get(o.team_id, '?')}: {o.text}", row))
    return rows


def snapshot_rows(history: History, pi: Pi, at: datetime) -> list[SubjectRow]:
    """Every subject of the PI that is still open at `at`, with its features."""
    snap = Snapshot(history, pi, at)
    return iteration_rows(snap) + feature_rows(snap) + objective_rows(snap)


def outcome(history: History, pi: Pi, row: SubjectRow) -> int | None:
    """1 when the subject missed, 0 when it did not, None when not (yet) known."""
    if row.subject is RiskSubject.ITERATION:
        it = history.by_iteration[row.subject_id]
        return iteration_missed(history, row.team_id or 0, it)
    if row.subject is RiskSubject.FEATURE:
        dev = dev_iterations(history, pi)
        end = day_end(dev[-1].end_date) if dev else day_end(pi.end_date)
        stories = history.children.get(row.subject_id, [])
        return int(not all((d := history.done_at.get(s.id or 0)) is not None and d <= end
                           for s in stories))
    objective = next(o for o in history.objectives if o.id == row.subject_id)
    if objective.actual_bv is None or not objective.planned_bv:
        return None
    return int(objective.actual_bv < MISS_SHARE * objective.planned_bv)


def snapshot_times(history: History, pi: Pi) -> list[datetime]:
    """The ends of the PI's development iterations but the last: 'known after iteration k'."""
    return [day_end(i.end_date) for i in dev_iterations(history, pi)[:-1]]


def training_rows(history: History, pis: Iterable[Pi]
                  ) -> dict[RiskSubject, tuple[list[dict[str, float]], list[int]]]:
    """Feature rows and outcomes of finished PIs, after each development iteration."""
    out: dict[RiskSubject, tuple[list[dict[str, float]], list[int]]] = {
        s: ([], []) for s in RiskSubject}
    for pi in pis:
        for at in snapshot_times(history, pi):
            for row in snapshot_rows(history, pi, at):
                y = outcome(history, pi, row)
                if y is not None:
                    out[row.subject][0].append(row.features)
                    out[row.subject][1].append(y)
    return out
