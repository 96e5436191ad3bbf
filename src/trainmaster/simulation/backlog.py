"""The backlog a PI is planned with: features ranked by WSJF, stories placed into iterations."""

from __future__ import annotations

from bisect import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from trainmaster.domain.work_item import FIBONACCI, ItemLevel, WorkItem, WorkType
from trainmaster.simulation import text
from trainmaster.simulation.cadence import PiFrame
from trainmaster.simulation.causal import TeamTraits
from trainmaster.simulation.data import TrainData, keep
from trainmaster.simulation.epics import EpicBook, EpicPlan
from trainmaster.simulation.org import ArtOrg

MAINTENANCE_SHARE = 0.08      # planned points of stories outside features
PLAN_NOISE = 0.07
CARRY_PLANNED = 0.5          # share of the carried work a team takes off its new plan
KNOWN_ABSENCES = (0.4, 1.0)   # share of the capacity lost to absences a team plans for
PULL_IN_DAYS = 2.0            # a story may be pulled in this many working days early
DESCOPED_SHARE = 0.03         # planned stories later taken out of the PI, never started
UNESTIMATED_SHARE = 0.04
MISSING_WSJF_SHARE = 0.1
MISSING_CRITERIA_SHARE = 0.05
ATTACHED_SCOPE_SHARE = 0.6    # added stories that belong to a feature of the team
URGENT_SHARE = 0.7
WORK_TYPES = (WorkType.BUSINESS, WorkType.ENABLER, WorkType.DEFECT, WorkType.TECH_DEBT)
WORK_TYPE_CUMULATIVE = (0.6, 0.85, 0.925)              # 60 / 25 / 7.5 / 7.5 %
TERM_CUMULATIVE = (0.08, 0.22, 0.42, 0.64, 0.8, 0.92)  # weights of 1, 2, 3, 5, 8, 13, 20
STORY_POINTS = (1, 2, 3, 5, 8, 13)
JOB_SIZE_LIMITS = (6, 12, 20, 30, 45, 65)


@dataclass
class FeaturePlan:
    item: WorkItem
    team: int
    rank: int                          # priority within the team, 0 first
    planned: int                       # iteration index planned at PI Planning (0: none)
    noun: str
    times: tuple[float, float, float]  # axis times of funnel, analyzing, backlog
    index: int = -1                    # position in the PI's feature list
    stories: list[int] = field(default_factory=list)
    start: float = np.inf              # set by the execution: first story started
    finish: float = np.inf             # last story done


@dataclass
class StoryTable:
    """One PI's stories, column by column (rows in plan order per team)."""

    items: list[WorkItem] = field(default_factory=list)
    team: list[int] = field(default_factory=list)
    feature: list[int] = field(default_factory=list)
    planned: list[int] = field(default_factory=list)     # 0: added after planning
    iteration: list[int] = field(default_factory=list)   # planned, or where it was added
    points: list[float] = field(default_factory=list)    # NaN: not estimated
    created: list[float] = field(default_factory=list)
    release: list[float] = field(default_factory=list)
    urgent: list[bool] = field(default_factory=list)
    descoped: list[bool] = field(default_factory=list)

    def add(self, item: WorkItem, **row: float | int | bool) -> int:
        self.items.append(item)
        for name, value in row.items():
            getattr(self, name).append(value)
        return len(self.items) - 1

    def column(self, name: str) -> np.ndarray:
        return np.asarray(getattr(self, name))


@dataclass
class PiBacklog:
    frame: PiFrame
    load: np.ndarray                   # planned points, (teams, iterations)
    features: list[FeaturePlan] = field(default_factory=list)
    stories: StoryTable = field(default_factory=StoryTable)


def _less_carried(targets: np.ndarray, carried: float) -> np.ndarray:
    """Take carried work off the first iterations, keeping a third of each."""
    out = targets.copy()
    for i, target in enumerate(targets):
        cut = min(carried, target * 2 / 3)
        out[i] -= cut
        carried -= cut
    return out


@dataclass
class _Draft:
    work_type: WorkType
    noun: str
    title: str
    stories: list[tuple[str, int]]
    terms: list[int | None]
    priority: float


class Planner:
    """Creates the features and stories of an ART's PIs."""

    def __init__(self, data: TrainData, rng: np.random.Generator, org: ArtOrg,
                 keys: Iterator[str], epics: EpicBook, cutoff: float) -> None:
        self.data, self.rng, self.org, self.keys = data, rng, org, keys
        self.epics, self.cutoff = epics, cutoff

    def plan_pi(self, frame: PiFrame, nominal: np.ndarray, capacity: np.ndarray,
                traits: list[TeamTraits], carried: np.ndarray) -> PiBacklog:
        """Each team plans `ambition ×` the capacity it knows of, less the work it carries.

        A team knows only part of its absences at planning (KNOWN_ABSENCES), so iterations
        with many people away end up overloaded.
        """
        dev = frame.dev_iterations
        backlog = PiBacklog(frame, np.zeros((len(self.org.teams), len(frame.iterations))))
        for team, trait in enumerate(traits):
            known = self.rng.uniform(*KNOWN_ABSENCES)
            expected = nominal[team] - known * (nominal[team] - capacity[team, :dev])
            targets = expected * trait.ambition * self.rng.lognormal(0.0, PLAN_NOISE, dev)
            self._plan_team(backlog, team, _less_carried(targets, CARRY_PLANNED * carried[team]))
        for team, trait in enumerate(traits):
            self._add_scope(backlog, team, trait.churn)
        return backlog

    def _plan_team(self, backlog: PiBacklog, team: int, targets: np.ndarray) -> None:
        drafts = self._drafts(team, targets.sum() * (1.0 - MAINTENANCE_SHARE))
        drafts.sort(key=lambda d: -d.priority)
        entries = [(k, title, points, d.work_type)
                   for k, d in enumerate(drafts) for title, points in d.stories]
        budget = targets.sum() * MAINTENANCE_SHARE
        while budget > 0:
            title, work_type, base = text.maintenance_story(self.rng, self._noun(team))
            points = self._points(base)
            entries.insert(int(self.rng.integers(len(entries) + 1)), (-1, title, points, work_type))
            budget -= points
        sizes = np.array([e[2] for e in entries], dtype=float)
        placed = np.searchsorted(np.cumsum(targets), np.cumsum(sizes) - sizes, side="right") + 1
        placed = np.clip(placed, 1, len(targets))
        last = {k: int(it) for (k, *_), it in zip(entries, placed, strict=True)}
        features = [self._feature(backlog, team, d, rank, last[rank])
                    for rank, d in enumerate(drafts)]
        for (k, title, points, work_type), it in zip(entries, placed, strict=True):
            self._story(backlog, team, features[k] if k >= 0 else None, title, points,
                        work_type, int(it))

    def _drafts(self, team: int, budget: float) -> list[_Draft]:
        drafts: list[_Draft] = []
        while budget > 0:
            drafts.append(self._draft(team))
            budget -= sum(p for _, p in drafts[-1].stories)
        return drafts

    def _draft(self, team: int) -> _Draft:
        rng = self.rng
        work_type = WORK_TYPES[bisect(WORK_TYPE_CUMULATIVE, rng.random())]
        noun = self._noun(team)
        stories = [text.story(rng, noun) for _ in range(int(rng.integers(3, 11)))]
        stories = [(title, self._points(base)) for title, base in stories]
        total = sum(p for _, p in stories)
        terms: list[int | None] = [FIBONACCI[bisect(TERM_CUMULATIVE, x)] for x in rng.random(3)]
        terms.append(FIBONACCI[int(np.searchsorted(JOB_SIZE_LIMITS, total))])
        if rng.random() < MISSING_WSJF_SHARE:
            terms[int(rng.integers(4))] = None
        value = sum(t for t in terms[:3] if t) / (terms[3] or 8) if None not in terms else 1.0
        return _Draft(work_type, noun, text.feature_title(rng, work_type, noun), stories, terms,
                      value * float(rng.lognormal(0.0, 0.3)))

    def _noun(self, team: int) -> str:
        return text.pick(self.rng, text.area(self.org.first_team + team)[1])

    def _points(self, base: int) -> int:
        """The typical points, one Fibonacci step smaller (30 %) or larger (15 %) at times."""
        draw = self.rng.random()
        step = -1 if draw < 0.3 else 1 if draw >= 0.85 else 0
        return STORY_POINTS[min(max(STORY_POINTS.index(base) + step, 0), len(STORY_POINTS) - 1)]

    def _key(self) -> str:
        return next(self.keys)

    def new_feature(self, draft: _Draft, *, team: int | None, pi_id: int | None,
                    epic: EpicPlan | None) -> WorkItem:
        rng, area = self.rng, text.area(self.org.first_team + (team or 0))[0]
        estimate = max(1, round(sum(p for _, p in draft.stories) * rng.lognormal(0.0, 0.15)))
        criteria = (text.acceptance_criteria(rng, draft.noun)
                    if rng.random() >= MISSING_CRITERIA_SHARE else "")
        bv, tc, rr, size = draft.terms
        return keep(self.data.items, WorkItem(
            art_id=self.org.art.id or 0, level=ItemLevel.FEATURE, key=self._key(),
            title=draft.title, work_type=draft.work_type,
            description=text.feature_description(rng, draft.work_type, draft.noun, area),
            acceptance_criteria=criteria, points=float(estimate), business_value=bv,
            time_criticality=tc, risk_reduction=rr, job_size=size,
            team_id=None if team is None else self.org.teams[team].id, pi_id=pi_id,
            parent_id=epic.item.id if epic else None))

    def _feature(self, backlog: PiBacklog, team: int, draft: _Draft, rank: int,
                 planned: int) -> FeaturePlan:
        frame, rng = backlog.frame, self.rng
        ready = frame.planning - rng.uniform(1, 40)
        analyzing = ready - rng.uniform(2, 8)
        created = analyzing - rng.uniform(3, 30)
        epic = self.epics.choose(frame.position)
        item = self.new_feature(draft, team=team, pi_id=frame.pi.id, epic=epic)
        item.plan(frame.pi.id, frame.iteration_id(planned))
        self.data.planned_iterations[item.id or 0] = frame.iteration_id(planned)
        plan = FeaturePlan(item, team, rank, planned, draft.noun, (created, analyzing, ready),
                           index=len(backlog.features))
        backlog.features.append(plan)
        if epic:
            epic.features.append(plan)
        return plan

    def _story(self, backlog: PiBacklog, team: int, feature: FeaturePlan | None, title: str,
               points: int, work_type: WorkType, iteration: int) -> None:
        frame, rng = backlog.frame, self.rng
        floor = feature.times[1] + 0.1 if feature else frame.planning - 15
        created = max(floor, frame.planning + rng.uniform(-6, 0.9))
        estimated = rng.random() >= UNESTIMATED_SHARE
        descoped = rng.random() < DESCOPED_SHARE and (feature is None or len(feature.stories) >= 2)
        item = self._story_item(frame, team, feature, title, points if estimated else None,
                                work_type, iteration)
        self.data.planned_iterations[item.id or 0] = frame.iteration_id(iteration)
        backlog.load[team, iteration - 1] += points if estimated else 0
        row = backlog.stories.add(
            item, team=team, feature=feature.index if feature else -1,
            planned=iteration, iteration=iteration, points=points if estimated else np.nan,
            created=created, urgent=False, descoped=descoped,
            release=max(frame.bounds[0], frame.bounds[iteration - 1] - PULL_IN_DAYS))
        if feature:
            feature.stories.append(row)

    def _story_item(self, frame: PiFrame, team: int, feature: FeaturePlan | None, title: str,
                    points: float | None, work_type: WorkType, iteration: int) -> WorkItem:
        item = keep(self.data.items, WorkItem(
            art_id=self.org.art.id or 0, level=ItemLevel.STORY, key=self._key(), title=title,
            work_type=work_type, points=None if points is None else float(points),
            team_id=self.org.teams[team].id, pi_id=frame.pi.id,
            parent_id=feature.item.id if feature else None))
        item.plan(frame.pi.id, frame.iteration_id(iteration))
        return item

    def _add_scope(self, backlog: PiBacklog, team: int, churn: float) -> None:
        """Stories added after planning, during the PI's development iterations."""
        frame, rng = backlog.frame, self.rng
        for index in range(1, frame.dev_iterations + 1):
            for _ in range(int(rng.poisson(churn))):
                created = rng.uniform(frame.bounds[index - 1], frame.bounds[index])
                if created >= self.cutoff:
                    continue
                self._added_story(backlog, team, index, created)

    def _added_story(self, backlog: PiBacklog, team: int, index: int, created: float) -> None:
        rng = self.rng
        open_ = [f for f in backlog.features if f.team == team and f.planned >= index]
        feature = (open_[int(rng.integers(len(open_)))]
                   if open_ and rng.random() < ATTACHED_SCOPE_SHARE else None)
        if feature:
            title, base = text.story(rng, feature.noun)
            work_type = feature.item.work_type
        else:
            title, work_type, base = text.maintenance_story(rng, self._noun(team))
        points = min(5, self._points(base))
        item = self._story_item(backlog.frame, team, feature, title, points, work_type, index)
        row = backlog.stories.add(
            item, team=team, feature=feature.index if feature else -1,
            planned=0, iteration=index, points=float(points), created=created,
            release=created + 0.1, urgent=bool(rng.random() < URGENT_SHARE), descoped=False)
        if feature:
            feature.stories.append(row)

    def plan_next(self, frame: PiFrame) -> list[FeaturePlan]:
        """A few features per team for the coming PI, most of them ready; some in the funnel.

        The three with the best WSJF lack acceptance criteria, as a readiness check finds.
        """
        teams = len(self.org.teams)
        plans = [self._upcoming(frame, team)
                 for team in range(teams) for _ in range(int(self.rng.integers(1, 3)))]
        plans += [self._upcoming(None, int(self.rng.integers(teams)))
                  for _ in range(max(2, teams // 2))]
        ranked = sorted((p for p in plans if p.item.pi_id and p.item.wsjf is not None),
                        key=lambda p: -(p.item.wsjf or 0.0))
        for plan in ranked[:3]:
            plan.item.acceptance_criteria = ""
        return plans

    def _upcoming(self, frame: PiFrame | None, team: int) -> FeaturePlan:
        rng = self.rng
        draft = self._draft(team)
        created = self.cutoff - rng.uniform(3, 50)
        if frame is None:
            item = self.new_feature(draft, team=None, pi_id=None, epic=None)
            return FeaturePlan(item, team, 0, 0, draft.noun, (created, np.inf, np.inf))
        analyzing = created + rng.uniform(1, 8)
        epic = self.epics.choose(frame.position)
        item = self.new_feature(draft, team=team, pi_id=frame.pi.id, epic=epic)
        if rng.random() < UNESTIMATED_SHARE * 4:
            item.points = None
        plan = FeaturePlan(item, team, 0, 0, draft.noun,
                           (created, analyzing, analyzing + rng.uniform(1, 10)))
        if epic:
            epic.features.append(plan)
        return plan
