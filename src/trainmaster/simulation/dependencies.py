"""Cross-team dependencies of a PI and how the providers answered them at PI Planning."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trainmaster.domain.dependency import (
    Agreement,
    Dependency,
    DependencyEvent,
    DependencyState,
    dependency_state,
)
from trainmaster.domain.work_item import WorkItem
from trainmaster.simulation.backlog import PiBacklog
from trainmaster.simulation.data import TrainData, keep
from trainmaster.simulation.org import ArtOrg

PER_TEAM = (30 / 8, 50 / 8)    # feature dependencies per team and PI: 30–50 for 8 teams
STORY_SHARE = (0.1, 0.25)      # story dependencies per feature dependency
ACCEPT = {DependencyState.OK: 1.0, DependencyState.AT_RISK: 0.7, DependencyState.LATE: 0.35}
DECLINED_SHARE = 0.05
UNANSWERED_SHARE = 0.05        # in the executing PI only
DESCRIBED_SHARE = 0.7          # consumer features that name what they need
HANDOVER_DAYS = 0.3


@dataclass
class DependencyPlan:
    consumer: int           # feature index, or story row when `stories`
    provider: int
    stories: bool
    agreement: Agreement
    offered: bool           # the provider offered its planned iteration

    @property
    def blocking(self) -> bool:
        return self.agreement is not Agreement.DECLINED


@dataclass
class DependencyGraph:
    order: list[int]        # feature indexes, every provider before its consumers
    plans: list[DependencyPlan]

    def by_consumer_feature(self, stories_feature: np.ndarray) -> dict[int, list[DependencyPlan]]:
        out: dict[int, list[DependencyPlan]] = {}
        for plan in self.plans:
            if plan.blocking:
                feature = int(stories_feature[plan.consumer]) if plan.stories else plan.consumer
                out.setdefault(feature, []).append(plan)
        return out


def choose_dependencies(rng: np.random.Generator, backlog: PiBacklog, teams: int,
                        executing: bool) -> DependencyGraph:
    """Pairs of features (and some of stories) of different teams, without cycles."""
    features = backlog.features
    order = [int(i) for i in rng.permutation(len(features))]
    rank = np.empty(len(features), dtype=int)
    rank[order] = np.arange(len(features))
    teams_of = np.array([f.team for f in features])
    planned = np.array([f.planned for f in features])
    wanted = int(round(rng.uniform(*PER_TEAM) * teams)) if teams > 1 else 0
    pairs = _pairs(rng, rank, teams_of, planned, wanted, len(features))
    plans = [_answer(rng, c, p, False, planned, executing) for c, p in pairs]
    story_feature = backlog.stories.column("feature")
    eligible = np.flatnonzero((story_feature >= 0) & (backlog.stories.column("planned") > 0)
                              & ~backlog.stories.column("descoped"))
    if len(eligible) > 1:
        count = int(round(len(plans) * rng.uniform(*STORY_SHARE)))
        rows = _pairs(rng, rank[story_feature[eligible]], teams_of[story_feature[eligible]],
                      backlog.stories.column("planned")[eligible], count, len(eligible))
        story_planned = backlog.stories.column("planned")
        plans += [_answer(rng, int(eligible[c]), int(eligible[p]), True, story_planned, executing)
                  for c, p in rows]
    return DependencyGraph(order, plans)


def _pairs(rng: np.random.Generator, rank: np.ndarray, teams: np.ndarray, planned: np.ndarray,
           wanted: int, n: int) -> list[tuple[int, int]]:
    chosen: list[tuple[int, int]] = []
    seen: set[tuple[int, int]] = set()
    for _ in range(wanted * 40):
        if len(chosen) >= wanted or n < 2:
            break
        a, b = (int(x) for x in rng.integers(n, size=2))
        consumer, provider = (a, b) if rank[a] > rank[b] else (b, a)
        if teams[a] == teams[b] or (consumer, provider) in seen:
            continue
        state = dependency_state(int(planned[provider]), int(planned[consumer]))
        if rng.random() < ACCEPT[state]:
            seen.add((consumer, provider))
            chosen.append((consumer, provider))
    return chosen


def _answer(rng: np.random.Generator, consumer: int, provider: int, stories: bool,
            planned: np.ndarray, executing: bool) -> DependencyPlan:
    draw = rng.random()
    if draw < DECLINED_SHARE:
        return DependencyPlan(consumer, provider, stories, Agreement.DECLINED, False)
    if executing and draw < DECLINED_SHARE + UNANSWERED_SHARE:
        return DependencyPlan(consumer, provider, stories, Agreement.REQUESTED, False)
    late = planned[provider] > planned[consumer]
    return DependencyPlan(consumer, provider, stories,
                          Agreement.COUNTERED if late else Agreement.ACCEPTED, True)


def record_dependencies(data: TrainData, rng: np.random.Generator, org: ArtOrg,
                        backlog: PiBacklog, graph: DependencyGraph) -> None:
    """Dependencies with their agreement history on the two days of PI Planning."""
    frame = backlog.frame
    for plan in graph.plans:
        consumer, provider, c_it, p_it = _ends(backlog, plan)
        requested = frame.planning + rng.uniform(0.05, 0.8)
        if plan.stories:
            created = backlog.stories.created
            requested = max(requested, created[plan.consumer] + 0.02,
                            created[plan.provider] + 0.02)
        answered = min(requested + rng.uniform(0.05, 0.9), frame.planning + 1.85)
        offered = frame.iteration_id(p_it) if plan.offered else None
        c_team = org.teams[_team(backlog, plan, True)]
        p_team = org.teams[_team(backlog, plan, False)]
        dependency = keep(data.dependencies, Dependency(
            consumer_id=consumer.id or 0, provider_id=provider.id or 0,
            description=f"Team {c_team.name} needs '{provider.title}' from team {p_team.name} "
                        f"for '{consumer.title}'",
            needed_by_iteration_id=frame.iteration_id(c_it), agreement=plan.agreement,
            offered_iteration_id=offered, created_at=org.axis.at(requested)))
        keep(data.dependency_events, DependencyEvent(
            dependency.id or 0, Agreement.REQUESTED, org.axis.at(requested),
            note=f"Needed by iteration {c_it}"))
        if plan.agreement is not Agreement.REQUESTED:
            keep(data.dependency_events, DependencyEvent(
                dependency.id or 0, plan.agreement, org.axis.at(answered),
                offered_iteration_id=offered,
                note=f"Offered iteration {p_it}" if offered else "Not this PI"))
        if not plan.stories and rng.random() < DESCRIBED_SHARE:
            noun = backlog.features[plan.provider].noun
            consumer.description += f" Needs the {noun} from team {p_team.name}."


def _ends(backlog: PiBacklog, plan: DependencyPlan) -> tuple[WorkItem, WorkItem, int, int]:
    if plan.stories:
        table = backlog.stories
        return (table.items[plan.consumer], table.items[plan.provider],
                table.planned[plan.consumer], table.planned[plan.provider])
    c, p = backlog.features[plan.consumer], backlog.features[plan.provider]
    return c.item, p.item, c.planned, p.planned


def _team(backlog: PiBacklog, plan: DependencyPlan, consumer: bool) -> int:
    index = plan.consumer if consumer else plan.provider
    return backlog.stories.team[index] if plan.stories else backlog.features[index].team
