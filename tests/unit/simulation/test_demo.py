"""The demo train's shape: what `generate` builds and how much of it."""

from __future__ import annotations

import collections
from datetime import date, timedelta

import numpy as np
import pytest

from tests.unit.simulation.measures import TODAY
from trainmaster.domain.access import Role
from trainmaster.domain.art import TeamRole
from trainmaster.domain.dependency import Agreement
from trainmaster.domain.errors import Invalid
from trainmaster.domain.event import EventKind
from trainmaster.domain.impediment import Level
from trainmaster.domain.pi import PiState
from trainmaster.domain.risk import Roam
from trainmaster.domain.work_item import ItemLevel, WorkType
from trainmaster.simulation import TrainData, generate
from trainmaster.simulation.data import REPOSITORY_NAMES

BIRDS = ["Osprey", "Kestrel", "Falcon", "Heron", "Merlin", "Harrier", "Condor", "Puffin"]


def _per_pi(data: TrainData, level: ItemLevel) -> collections.Counter:
    return collections.Counter(i.pi_id for i in data.items if i.level is level)


def _executed(data: TrainData) -> list[int]:
    return [p.id for p in data.pis if p.state is not PiState.PLANNING]


def test_same_seed_and_day_give_identical_data(demo):
    assert generate(7, today=TODAY) == demo


def test_another_seed_gives_another_train():
    one, other = (generate(seed, teams=3, pis=1, today=TODAY) for seed in (7, 8))
    assert one != other
    assert [p.name for p in one.people] != [p.name for p in other.people]


def test_counts_name_every_repository_of_the_unit_of_work(demo):
    counts = demo.counts()
    assert list(counts) == list(REPOSITORY_NAMES)
    assert all(counts[name] == len(getattr(demo, name)) > 0 for name in REPOSITORY_NAMES)


def test_ids_are_numbered_from_one_in_every_list(demo):
    for name in REPOSITORY_NAMES:
        rows = getattr(demo, name)
        assert [row.id for row in rows] == list(range(1, len(rows) + 1))


def test_values_are_plain_python_not_numpy(demo):
    for name in REPOSITORY_NAMES:
        for row in getattr(demo, name):
            assert not any(isinstance(v, np.generic) for v in vars(row).values()), (name, row)
    assert all(type(i.points) is float for i in demo.items if i.points is not None)
    assert all(type(f) is int for o in demo.objectives for f in o.feature_ids)
    assert all(type(k) is int and type(v) is int for k, v in demo.planned_iterations.items())


def test_demo_is_one_payments_art_in_berlin_with_eight_bird_teams(demo):
    (art,) = demo.arts
    assert (art.name, art.key, art.timezone, art.solution_train) == (
        "Payments ART", "PAY", "Europe/Berlin", None)
    assert art.portfolio_id == demo.portfolios[0].id
    assert [t.name for t in demo.teams] == BIRDS


def test_teams_seat_six_to_nine_people_with_one_scrum_master_and_one_product_owner(demo):
    seats = collections.defaultdict(list)
    for seat in demo.memberships:
        seats[seat.team_id].append(seat)
    for team in demo.teams:
        roles = collections.Counter(s.role for s in seats[team.id])
        assert 6 <= len(seats[team.id]) <= 9
        assert roles[TeamRole.SCRUM_MASTER] == roles[TeamRole.PRODUCT_OWNER] == 1
        assert roles[TeamRole.DEVELOPER] + roles[TeamRole.TESTER] >= 4


def test_shared_people_give_half_their_time_to_each_of_two_teams(demo):
    allocations = collections.defaultdict(list)
    for seat in demo.memberships:
        allocations[seat.person_id].append(seat.allocation)
    shared = [a for a in allocations.values() if len(a) > 1]
    assert shared and all(a == [0.5, 0.5] for a in shared)
    assert sum(a == [1.0] for a in allocations.values()) > 5 * len(shared)


def test_people_have_unique_names_and_emails_across_the_portfolio(portfolio):
    names = [p.name for p in portfolio.people]
    emails = [p.email for p in portfolio.people]
    assert len(set(names)) == len(names) and len(set(emails)) == len(emails)
    assert all(e == p.name.replace(" ", ".").lower() + "@example.com"
               for p, e in zip(portfolio.people, emails, strict=True))


def test_the_journeys_people_lead_the_first_art(demo):
    people = {p.id: p.name.split()[0] for p in demo.people}
    seats = {(people[r.person_id], r.role) for r in demo.art_roles}
    assert {("Alice", Role.RTE), ("Bob", Role.PRODUCT_MANAGER),
            ("Jon", Role.BUSINESS_OWNER)} <= seats


def test_people_take_vacations_and_the_art_has_holidays(demo):
    per_person = collections.Counter(a.person_id for a in demo.absences)
    assert len(per_person) > 0.8 * len(demo.people)
    assert {a.reason for a in demo.absences} == {"vacation", "sick"}
    assert all(a.day < TODAY for a in demo.absences if a.reason == "sick")
    assert any(a.day > TODAY for a in demo.absences)
    assert 5 <= len(demo.holidays) and all(h.day.weekday() < 5 for h in demo.holidays)


def test_three_finished_pis_a_current_one_in_its_second_iteration_and_a_next_one(demo):
    states = [p.state for p in demo.pis]
    assert states == [PiState.CLOSED] * 3 + [PiState.EXECUTING, PiState.PLANNING]
    current, upcoming = demo.pis[3], demo.pis[4]
    assert current.iteration_index_on(TODAY) == 2
    assert upcoming.start_date == current.end_date.fromordinal(current.end_date.toordinal() + 1)
    assert len({p.name for p in demo.pis}) == 5


def test_every_pi_has_four_two_week_iterations_and_an_ip_iteration(demo):
    for pi in demo.pis:
        iterations = [i for i in demo.iterations if i.pi_id == pi.id]
        assert [i.name for i in iterations] == ["I1", "I2", "I3", "I4", "IP"]
        assert iterations[0].start_date == pi.start_date and iterations[-1].end_date == pi.end_date


def test_a_pi_holds_about_sixty_features_and_four_hundred_stories(demo):
    features, stories = _per_pi(demo, ItemLevel.FEATURE), _per_pi(demo, ItemLevel.STORY)
    for pi in _executed(demo):
        assert 40 <= features[pi] <= 80
        assert 300 <= stories[pi] <= 560


def test_the_next_pi_has_a_few_features_and_the_best_three_lack_acceptance_criteria(demo):
    upcoming = [i for i in demo.items if i.pi_id == demo.pis[-1].id]
    assert all(i.level is ItemLevel.FEATURE and i.iteration_id is None for i in upcoming)
    assert 8 <= len(upcoming) <= 16
    ranked = sorted((i for i in upcoming if i.wsjf is not None), key=lambda i: -(i.wsjf or 0))
    assert [bool(i.acceptance_criteria) for i in ranked[:3]] == [False] * 3
    assert sum(bool(i.acceptance_criteria) for i in ranked[3:]) >= len(ranked[3:]) - 2
    statuses = collections.Counter(i.status for i in upcoming)
    assert set(statuses) <= {"funnel", "analyzing", "backlog"}
    assert statuses["backlog"] > len(upcoming) / 2


def test_features_mix_work_types_and_mostly_carry_wsjf_terms(demo):
    features = [i for i in demo.items if i.level is ItemLevel.FEATURE]
    types = collections.Counter(f.work_type for f in features)
    assert types[WorkType.BUSINESS] > types[WorkType.ENABLER] > 0
    assert types[WorkType.DEFECT] > 0 and types[WorkType.TECH_DEBT] > 0
    scored = sum(f.wsjf is not None for f in features)
    assert 0.8 * len(features) < scored < len(features)


def test_about_one_epic_per_team_parents_most_features(demo):
    epics = {i.id for i in demo.items if i.level is ItemLevel.EPIC}
    features = [i for i in demo.items if i.level is ItemLevel.FEATURE and i.pi_id]
    assert len(epics) == 8
    assert sum(f.parent_id in epics for f in features) > 0.8 * len(features)


def test_thirty_to_fifty_feature_dependencies_per_pi_and_some_between_stories(demo):
    items = {i.id: i for i in demo.items}
    per_pi = collections.Counter((items[d.consumer_id].pi_id, items[d.consumer_id].level)
                                 for d in demo.dependencies)
    for pi in _executed(demo):
        assert 30 <= per_pi[(pi, ItemLevel.FEATURE)] <= 50
        assert per_pi[(pi, ItemLevel.STORY)] > 0
    agreements = collections.Counter(d.agreement for d in demo.dependencies)
    assert agreements[Agreement.ACCEPTED] > agreements[Agreement.COUNTERED] > 0
    assert agreements[Agreement.DECLINED] > 0


def test_ten_to_twenty_risks_per_pi_in_every_roam_state(demo):
    per_pi = collections.Counter(r.pi_id for r in demo.risks)
    assert all(10 <= per_pi[pi] <= 20 for pi in _executed(demo))
    assert {r.roam for r in demo.risks} == set(Roam)
    assert any(r.roam is Roam.UNROAMED for r in demo.risks if r.pi_id == demo.pis[3].id)


def test_each_team_writes_three_to_five_objectives_per_pi(demo):
    per_team = collections.Counter((o.team_id, o.pi_id) for o in demo.objectives)
    assert set(per_team.values()) <= {3, 4, 5}
    assert len(per_team) == len(demo.teams) * len(_executed(demo))
    assert 0.15 < np.mean([not o.committed for o in demo.objectives]) < 0.45
    assert all(o.feature_ids for o in demo.objectives)


def test_impediments_escalate_and_most_are_resolved(demo):
    levels = collections.Counter(i.level for i in demo.impediments)
    assert levels[Level.TEAM] and levels[Level.ART] and levels[Level.PORTFOLIO]
    resolved = [i for i in demo.impediments if not i.is_open]
    assert 0.6 * len(demo.impediments) < len(resolved) < len(demo.impediments)


def test_action_items_come_from_art_syncs_and_some_are_overdue(demo):
    assert all(a.source.startswith("ART Sync ") for a in demo.actions)
    assert any(a.is_overdue(TODAY) for a in demo.actions)
    assert sum(a.status.value == "done" for a in demo.actions) > len(demo.actions) / 2


def test_the_calendar_follows_the_cadence_in_the_arts_time_zone(demo):
    for pi in demo.pis:
        kinds = collections.Counter(e.kind for e in demo.events if e.pi_id == pi.id)
        assert kinds == {EventKind.PI_PLANNING: 2, EventKind.ART_SYNC: 8,
                         EventKind.SYSTEM_DEMO: 4, EventKind.PI_SYSTEM_DEMO: 1,
                         EventKind.INSPECT_ADAPT: 1, EventKind.MILESTONE: 2}
    planning = [e for e in demo.events if e.kind is EventKind.PI_PLANNING]
    assert all(str(e.start.tzinfo) == "Europe/Berlin" and e.start.hour == 9 for e in planning)
    assert all(e.start.date() < demo.pis[0].start_date for e in planning[:2])


def test_several_arts_get_distinct_keys_zones_and_one_solution_train(portfolio):
    assert [a.key for a in portfolio.arts] == ["PAY", "LEND", "CARD"]
    assert len({a.timezone for a in portfolio.arts}) == 3
    assert {a.solution_train for a in portfolio.arts} == {"Digital Banking Solution Train"}
    names = [t.name for t in portfolio.teams]
    assert len(set(names)) == len(names) == 18
    keys = [(i.art_id, i.key) for i in portfolio.items]
    assert len(set(keys)) == len(keys)


def test_progress_is_reported_once_per_pi():
    calls: list[tuple[str, int, int]] = []
    generate(3, arts=2, teams=2, pis=1, today=TODAY, progress=lambda *a: calls.append(a))
    assert calls == [("pi", k, 6) for k in range(1, 7)]


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"arts": 0}, "arts"), ({"teams": 0}, "teams"), ({"pis": -1}, "pis"), ({"teams": 99}, "teams"),
])
def test_impossible_sizes_are_refused_naming_the_field(kwargs, field):
    with pytest.raises(Invalid) as err:
        generate(1, today=date(2026, 1, 5), **kwargs)
    assert err.value.field == field


def test_a_negative_seed_is_refused():
    with pytest.raises(Invalid) as err:
        generate(-1, today=TODAY)
    assert err.value.field == "seed"


def test_a_train_without_finished_pis_still_has_a_current_and_a_next_pi():
    data = generate(5, teams=3, pis=0, today=TODAY)
    assert [p.state for p in data.pis] == [PiState.EXECUTING, PiState.PLANNING]
    assert data.objectives and all(o.actual_bv is None for o in data.objectives)


@pytest.mark.parametrize("today", [
    date(2025, 12, 7), date(2026, 12, 7), date(2028, 12, 7),     # a year back, two ahead
    date(2026, 12, 31), date(2027, 1, 1),                        # New Year
    date(2027, 2, 14), date(2027, 2, 15),                        # the last and first day of a PI
    date(2028, 2, 29),                                           # a leap day
])
def test_the_demo_built_on_any_day_runs_a_current_pi_and_plans_the_next(today):
    data = generate(3, teams=2, pis=1, today=today)
    by_state = collections.defaultdict(list)
    for pi in data.pis:
        by_state[pi.state].append(pi)
    (current,), (coming,) = by_state[PiState.EXECUTING], by_state[PiState.PLANNING]
    assert current.start_date < today <= current.end_date
    assert current.iteration_index_on(today) == 2           # in its second iteration
    assert today < coming.start_date == current.end_date + timedelta(days=1)
    assert all(pi.end_date < today for pi in by_state[PiState.CLOSED])
    assert len({pi.name for pi in data.pis}) == len(data.pis)
