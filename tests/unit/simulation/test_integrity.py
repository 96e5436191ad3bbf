"""Simulated data keeps every reference, invariant and time rule the real system keeps."""

from __future__ import annotations

import collections
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import rustworkx

from tests.unit.simulation.measures import NEW_YEAR, TODAY, first_done, histories
from trainmaster.domain.impediment import ESCALATION
from trainmaster.domain.pi import PiState
from trainmaster.domain.risk import Roam
from trainmaster.domain.work_item import ItemLevel, KanbanState, StoryStatus
from trainmaster.simulation import TrainData

# reference field -> the list it points into
REFERENCES = {
    "portfolio_id": "portfolios", "art_id": "arts", "team_id": "teams", "person_id": "people",
    "pi_id": "pis", "iteration_id": "iterations", "parent_id": "items", "item_id": "items",
    "consumer_id": "items", "provider_id": "items", "needed_by_iteration_id": "iterations",
    "offered_iteration_id": "iterations", "dependency_id": "dependencies", "risk_id": "risks",
    "owner_id": "people", "impediment_id": "impediments",
}
LISTS = ("arts", "teams", "memberships", "absences", "holidays", "pis", "iterations", "items",
         "status_changes", "dependencies", "dependency_events", "risks", "risk_changes",
         "objectives", "events", "impediments", "impediment_steps", "actions")


CASES = {"demo": TODAY, "portfolio": TODAY, "new_year": NEW_YEAR}


@pytest.fixture(params=sorted(CASES))
def case(request) -> tuple[TrainData, date]:
    return request.getfixturevalue(request.param), CASES[request.param]


@pytest.fixture
def data(case) -> TrainData:
    return case[0]


@pytest.fixture
def midnight(case) -> datetime:
    return datetime.combine(case[1], time(), UTC)


def test_every_reference_names_an_existing_row(data):
    ids = {name: {row.id for row in getattr(data, name)} for name in set(REFERENCES.values())}
    for name in LISTS:
        for row in getattr(data, name):
            for field, target in REFERENCES.items():
                value = getattr(row, field, None)
                assert value is None or value in ids[target], (name, row.id, field)
    items = {i.id for i in data.items}
    assert all(f in items for o in data.objectives for f in o.feature_ids)
    assert all(r.person_id in ids["people"] and r.art_id in ids["arts"] for r in data.art_roles)


def test_users_are_left_to_the_caller(data):
    for name in ("dependency_events", "risk_changes", "impediment_steps"):
        assert all(row.by_user_id is None for row in getattr(data, name))


def test_rows_respect_the_schemas_unique_keys(data):
    def unique(rows):
        return len(set(rows)) == len(rows)
    assert unique([a.key for a in data.arts])
    assert unique([(t.art_id, t.name) for t in data.teams])
    assert unique([p.email for p in data.people])
    assert unique([(m.team_id, m.person_id) for m in data.memberships])
    assert unique([(a.person_id, a.day) for a in data.absences])
    assert unique([(h.art_id, h.day) for h in data.holidays])
    assert unique([(p.art_id, p.name) for p in data.pis])
    assert unique([(i.art_id, i.key) for i in data.items])
    assert unique([(d.consumer_id, d.provider_id) for d in data.dependencies])


def test_items_keep_their_invariants(data):
    for item in data.items:
        item.check()
        assert item.points is None or item.points >= 0
        if item.level is ItemLevel.FEATURE:
            assert KanbanState(item.status)
        elif item.level is ItemLevel.STORY:
            assert StoryStatus(item.status)


def test_items_are_planned_only_into_iterations_of_their_pi(data):
    iterations = {i.id: i for i in data.iterations}
    for item in data.items:
        if item.iteration_id is not None:
            assert iterations[item.iteration_id].pi_id == item.pi_id
        if item.id in data.planned_iterations:
            planned = iterations[data.planned_iterations[item.id]]
            assert planned.pi_id == item.pi_id and not planned.is_ip


def test_dependencies_link_different_teams_of_one_pi_without_cycles(data):
    items = {i.id: i for i in data.items}
    graph = rustworkx.PyDiGraph()
    nodes = {i: graph.add_node(i) for i in items}
    for dep in data.dependencies:
        consumer, provider = items[dep.consumer_id], items[dep.provider_id]
        assert dep.consumer_id != dep.provider_id
        assert consumer.pi_id == provider.pi_id and consumer.team_id != provider.team_id
        assert consumer.level is provider.level
        graph.add_edge(nodes[dep.provider_id], nodes[dep.consumer_id], None)
    assert rustworkx.is_directed_acyclic_graph(graph)


def test_dependency_history_starts_with_the_request_and_ends_in_its_agreement(data):
    items = {i.id: i for i in data.items}
    events = collections.defaultdict(list)
    for event in data.dependency_events:
        events[event.dependency_id].append(event)
    for dep in data.dependencies:
        steps = events[dep.id]
        assert steps[0].agreement.value == "requested" and steps[0].at == dep.created_at
        assert dep.created_at > max(items[dep.consumer_id].created_at,
                                    items[dep.provider_id].created_at)
        assert steps[-1].agreement is dep.agreement
        assert steps[-1].offered_iteration_id == dep.offered_iteration_id
        assert [s.at for s in steps] == sorted(s.at for s in steps)


def test_business_value_stays_in_range_and_is_scored_only_for_finished_pis(data):
    closed = {p.id for p in data.pis if p.state is PiState.CLOSED}
    for objective in data.objectives:
        assert 1 <= objective.planned_bv <= 10
        if objective.pi_id in closed:
            assert 0 <= objective.actual_bv <= 10
        else:
            assert objective.actual_bv is None


def test_status_histories_chain_grow_in_time_and_end_before_today(data, midnight):
    items = {i.id: i for i in data.items}
    for item_id, changes in histories(data).items():
        assert changes[0].from_status is None and changes[0].at == items[item_id].created_at
        for before, after in zip(changes, changes[1:], strict=False):
            assert after.from_status == before.to_status
            assert before.at < after.at
        assert changes[-1].at < midnight and changes[-1].at.tzinfo is UTC
        assert items[item_id].status == changes[-1].to_status
        assert items[item_id].updated_at == changes[-1].at
    assert set(histories(data)) == set(items)


def test_nothing_else_happens_on_or_after_today(data, midnight):
    stamps = [d.created_at for d in data.dependencies] + [e.at for e in data.dependency_events]
    stamps += [r.created_at for r in data.risks] + [c.at for c in data.risk_changes]
    stamps += [i.raised_at for i in data.impediments] + [s.at for s in data.impediment_steps]
    stamps += [i.resolved_at for i in data.impediments if i.resolved_at]
    stamps += [a.created_at for a in data.actions]
    assert all(s is not None and s.tzinfo is not None and s < midnight for s in stamps)


def test_a_done_story_was_done_inside_or_after_its_iteration(data):
    iterations = {i.id: i for i in data.iterations}
    zones = {a.id: ZoneInfo(a.timezone) for a in data.arts}
    done = first_done(data)
    stories = [i for i in data.items if i.level is ItemLevel.STORY and i.id in done]
    assert len(stories) > 300
    for story in stories:
        day = done[story.id].astimezone(zones[story.art_id]).date()
        assert day >= iterations[story.iteration_id].start_date
        assert day == done[story.id].date()


def test_feature_status_agrees_with_its_stories(data):
    """Validating or later: every story done; implementing: some story started (all may be
    done while a reopened one waits); before that: none started."""
    stories = collections.defaultdict(list)
    for item in data.items:
        if item.level is ItemLevel.STORY and item.parent_id and item.iteration_id:
            stories[item.parent_id].append(item.status)
    order = [s.value for s in KanbanState]
    for feature in (i for i in data.items if i.level is ItemLevel.FEATURE and i.id in stories):
        states = stories[feature.id]
        position = order.index(feature.status)
        if position >= order.index("validating"):
            assert set(states) == {"done"}
        elif feature.status == "implementing":
            assert set(states) != {"todo"}
        else:
            assert set(states) == {"todo"}


def test_the_current_pi_is_partly_done_and_later_iterations_not_started(case):
    data, today = case
    current = {p.id for p in data.pis if p.state is PiState.EXECUTING}
    iterations = {i.id: i for i in data.iterations}
    stories = [i for i in data.items if i.level is ItemLevel.STORY and i.pi_id in current]
    statuses = collections.Counter(s.status for s in stories)
    assert 0.1 * len(stories) < statuses["done"] < 0.5 * len(stories)
    later = today + timedelta(days=5)   # beyond the two working days a story may be pulled in
    future = [s for s in stories
              if s.iteration_id and iterations[s.iteration_id].start_date > later]
    assert future and all(s.status == "todo" for s in future)


def test_risk_histories_chain_and_owned_risks_have_owners(data):
    changes = collections.defaultdict(list)
    for change in data.risk_changes:
        changes[change.risk_id].append(change)
    for risk in data.risks:
        roam = Roam.UNROAMED
        for change in changes[risk.id]:
            assert change.from_roam is roam and change.at > risk.created_at
            roam = change.to_roam
        assert roam is risk.roam
        assert risk.roam is not Roam.OWNED or risk.owner_id is not None


def test_impediments_climb_team_art_portfolio_in_time(data):
    steps = collections.defaultdict(list)
    for step in data.impediment_steps:
        steps[step.impediment_id].append(step)
    for impediment in data.impediments:
        trail = steps[impediment.id]
        climbed = [s.level for s in trail if not s.resolved]
        assert climbed == list(ESCALATION[:len(climbed)]) and climbed[-1] is impediment.level
        assert trail[0].at == impediment.raised_at
        assert [s.at for s in trail] == sorted(s.at for s in trail)
        assert trail[-1].resolved == (impediment.resolved_at is not None)


def test_events_are_aware_and_end_after_they_start(data):
    assert all(e.start.tzinfo is not None and e.end >= e.start for e in data.events)
    zones = {a.id: a.timezone for a in data.arts}
    assert all(str(e.start.tzinfo) == zones[e.art_id] for e in data.events)


def test_history_never_breaks_the_arts_wip_limits(data):
    for art in data.arts:
        features = {i.id for i in data.items if i.art_id == art.id and i.level is ItemLevel.FEATURE}
        moves = sorted((c for c in data.status_changes if c.item_id in features),
                       key=lambda c: c.at)
        wip: collections.Counter = collections.Counter()
        for move in moves:
            wip[move.from_status] -= 1
            wip[move.to_status] += 1
            assert wip["analyzing"] <= art.wip_analyzing
            assert wip["implementing"] <= art.wip_implementing
