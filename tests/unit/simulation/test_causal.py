"""The hidden model's pieces, and its effects as an analyst would find them in the data."""

from __future__ import annotations

import numpy as np

from tests.unit.simulation.measures import (
    business_value,
    capacity,
    closed_pis,
    planned_load,
    within_team,
)
from trainmaster.domain.pi import PiState
from trainmaster.domain.work_item import ItemLevel
from trainmaster.simulation import TrainData, causal


def test_capacity_is_eight_points_per_full_time_person_less_a_point_per_day_away():
    assert causal.iteration_capacity([1.0, 1.0, 0.5], [0, 0, 0], 0) == 20.0
    assert causal.iteration_capacity([1.0, 1.0, 0.5], [3, 0, 1], 1) == 13.0
    assert causal.iteration_capacity([0.5], [10], 0) == 0.0


def test_queue_levels_equal_a_one_server_queue_worked_step_by_step():
    rng = np.random.default_rng(0)
    effort, release = rng.uniform(0.5, 5, 50), np.sort(rng.uniform(0, 100, 50))
    expected, level = [], 7.0
    for work, ready in zip(effort, release, strict=True):
        level = max(level, ready) + work
        expected.append(level)
    assert np.allclose(causal.queue_levels(effort, release, 7.0), expected)


def test_time_at_inverts_the_cumulative_work_curve():
    rate = np.array([4.0, 0.0, 4.0, 2.0, 0.0, 6.0])
    work = causal.cumulative(rate)
    u = np.array([0.25, 2.5, 3.9, 5.5])
    assert np.allclose(causal.time_at(work, rate, causal.level_at(work, rate, u)), u)
    assert causal.time_at(work, rate, np.array([work[-1] + 1]))[0] == np.inf


def test_open_impediments_slow_the_team_down_for_at_most_fifteen_days():
    drag = causal.impediment_drag(40, [(2.0, 5.0), (4.0, np.inf)])
    slowed = 1.0 - causal.IMPEDIMENT_DRAG
    assert drag[0] == 1.0 and drag[2] == slowed and drag[4] == slowed * slowed
    assert drag[5] == slowed and drag[18] == slowed and drag[19] == 1.0


def test_business_owners_score_done_and_timely_work_higher():
    rng = np.random.default_rng(1)
    planned = np.full(2000, 8)
    late = causal.actual_bv(rng, planned, np.full(2000, 0.5), np.zeros(2000))
    timely = causal.actual_bv(rng, planned, np.ones(2000), np.ones(2000))
    assert late.mean() < 4 < 8 < timely.mean() + 0.5 and timely.max() <= 10 and late.min() >= 0


def _overload_and_value(data: TrainData) -> tuple[np.ndarray, np.ndarray]:
    """Per finished team-PI: its iterations' total overload share, and actual / planned BV."""
    cap, load = capacity(data), planned_load(data)
    iterations = {i.id: i for i in data.iterations}
    excess: dict[tuple[int, int], float] = {}
    for (team, iteration), points in load.items():
        key = (team, iterations[iteration].pi_id)
        over = max(0.0, points - cap[(team, iteration)]) / max(cap[(team, iteration)], 1.0)
        excess[key] = excess.get(key, 0.0) + over
    value = business_value(data)
    keys = sorted(value)
    return (np.array([excess.get(k, 0.0) for k in keys]),
            np.array([value[k][0] / value[k][1] for k in keys]))


def test_overloaded_teams_earn_less_of_their_planned_business_value(samples):
    excess, ratio = (np.concatenate(v) for v in zip(*map(_overload_and_value, samples),
                                                    strict=True))
    assert np.corrcoef(excess, ratio)[0, 1] < -0.1
    assert ratio[excess == 0].mean() - ratio[excess > 0.1].mean() > 0.05


def _feature_slips(data: TrainData) -> tuple[list[int], list[int], list[int]]:
    """Iterations each finished feature ended after its plan: late-dependency consumers,
    other consumers, features without dependencies."""
    iterations = {i.id: i for i in data.iterations}
    items = {i.id: i for i in data.items}
    closed = closed_pis(data)
    planned = {k: iterations[v].index for k, v in data.planned_iterations.items()}
    late, fine = set(), set()
    for dep in data.dependencies:
        consumer = items[dep.consumer_id]
        if consumer.level is ItemLevel.FEATURE and consumer.pi_id in closed:
            (late if planned[dep.provider_id] > planned[consumer.id] else fine).add(consumer.id)
    slip = {f.id: iterations[f.iteration_id].index - planned[f.id] for f in items.values()
            if f.level is ItemLevel.FEATURE and f.pi_id in closed}
    return ([slip[f] for f in late], [slip[f] for f in fine - late],
            [s for f, s in slip.items() if f not in late | fine])


def test_features_with_late_dependencies_finish_later(samples):
    for data in samples:
        late, fine, alone = _feature_slips(data)
        assert np.mean(late) > np.mean(fine) + 0.7
        assert np.mean(fine) > np.mean(alone)


def _within_team_effect(samples: list[TrainData], on_time: list[dict], cause) -> float:
    """Correlation of a cause with the on-time share of planned stories, within teams."""
    causes, shares = [], []
    for data, share in zip(samples, on_time, strict=True):
        keys = sorted(share)
        causes.append(within_team(keys, np.array([cause(data).get(k, 0.0) for k in keys])))
        shares.append(within_team(keys, np.array([share[k] for k in keys])))
    return float(np.corrcoef(np.concatenate(causes), np.concatenate(shares))[0, 1])


def _added_share(data: TrainData) -> dict[tuple[int, int], float]:
    added, planned = {}, {}
    for item in data.items:
        if item.level is ItemLevel.STORY:
            book = planned if item.id in data.planned_iterations else added
            key = (item.team_id, item.pi_id)
            book[key] = book.get(key, 0.0) + (item.points or 0.0)
    return {k: added.get(k, 0.0) / v for k, v in planned.items()}


def _impediment_days(data: TrainData) -> dict[tuple[int, int], float]:
    pis = {p.id: p for p in data.pis}
    days: dict[tuple[int, int], float] = {}
    for impediment in data.impediments:
        resolved = impediment.resolved_at
        end = resolved.date() if resolved else pis[impediment.pi_id].end_date
        key = (impediment.team_id, impediment.pi_id)
        days[key] = days.get(key, 0.0) + min((end - impediment.raised_at.date()).days, 21)
    return days


def test_scope_added_after_planning_makes_a_teams_planned_stories_slip(samples, on_time):
    assert _within_team_effect(samples, on_time, _added_share) < -0.1


def test_open_impediments_make_a_teams_planned_stories_slip(samples, on_time):
    assert _within_team_effect(samples, on_time, _impediment_days) < -0.1


def test_a_teams_reliability_is_chronic_across_pis(samples):
    early, late = [], []
    for data in samples:
        value = business_value(data)
        for team in data.teams:
            order = [p.id for p in data.pis
                     if p.state is PiState.CLOSED and p.art_id == team.art_id]
            ratios = [value[(team.id, p)][0] / value[(team.id, p)][1] for p in order]
            early.append(np.mean(ratios[:2]))
            late.append(np.mean(ratios[2:]))
    assert np.corrcoef(early, late)[0, 1] > 0.25
