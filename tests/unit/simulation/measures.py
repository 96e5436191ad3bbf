"""What an analyst would measure in simulated data, computed from the public records only."""

from __future__ import annotations

import collections
from datetime import date, datetime, timedelta

import numpy as np

from trainmaster.domain.pi import PiState
from trainmaster.domain.work_item import ItemLevel, StatusChange
from trainmaster.simulation import TrainData

TODAY = date(2026, 11, 24)
NEW_YEAR = date(2024, 12, 30)     # a PI across the turn of the year, holidays everywhere


def histories(data: TrainData) -> dict[int, list[StatusChange]]:
    out: dict[int, list[StatusChange]] = collections.defaultdict(list)
    for change in data.status_changes:
        out[change.item_id].append(change)
    return out


def first_done(data: TrainData) -> dict[int, datetime]:
    out: dict[int, datetime] = {}
    for change in data.status_changes:
        if change.to_status == "done":
            out.setdefault(change.item_id, change.at)
    return out


def closed_pis(data: TrainData) -> set[int]:
    return {p.id for p in data.pis if p.state is PiState.CLOSED}


def capacity(data: TrainData) -> dict[tuple[int, int], float]:
    """DOMAIN.md capacity per (team id, iteration id), recomputed from seats and absences."""
    absent = collections.defaultdict(set)
    for absence in data.absences:
        absent[absence.person_id].add(absence.day)
    holidays = collections.defaultdict(set)
    for holiday in data.holidays:
        holidays[holiday.art_id].add(holiday.day)
    seats = collections.defaultdict(list)
    for seat in data.memberships:
        if seat.counts_for_capacity:
            seats[seat.team_id].append(seat)
    art_of_pi = {p.id: p.art_id for p in data.pis}
    out = {}
    for it in data.iterations:
        art = art_of_pi[it.pi_id]
        length = (it.end_date - it.start_date).days + 1
        days = [it.start_date + timedelta(days=k) for k in range(length)]
        off = sum(1 for d in days if d in holidays[art] and d.weekday() < 5)
        for team in (t for t in data.teams if t.art_id == art):
            points = sum(8 * s.allocation - sum(d in absent[s.person_id] for d in days) - off
                         for s in seats[team.id])
            out[(team.id, it.id)] = max(0.0, points)
    return out


def planned_load(data: TrainData) -> collections.Counter:
    """Points planned at PI Planning per (team id, iteration id)."""
    load: collections.Counter = collections.Counter()
    for item in data.items:
        if item.level is ItemLevel.STORY and item.id in data.planned_iterations:
            load[(item.team_id, data.planned_iterations[item.id])] += item.points or 0
    return load


def business_value(data: TrainData) -> dict[tuple[int, int], tuple[int, int]]:
    """(actual, planned) business value per (team id, PI id) over finished PIs."""
    sums: dict[tuple[int, int], list[int]] = collections.defaultdict(lambda: [0, 0])
    for objective in data.objectives:
        if objective.actual_bv is not None:
            sums[(objective.team_id, objective.pi_id)][0] += objective.actual_bv
            sums[(objective.team_id, objective.pi_id)][1] += objective.planned_bv
    return {k: (a, p) for k, (a, p) in sums.items()}


def on_time_share(data: TrainData) -> dict[tuple[int, int], float]:
    """Per (team id, finished PI id): share of planned stories done by their iteration's end."""
    iterations = {i.id: i for i in data.iterations}
    done, closed = first_done(data), closed_pis(data)
    flags = collections.defaultdict(list)
    for item in data.items:
        planned = data.planned_iterations.get(item.id)
        if item.level is ItemLevel.STORY and item.pi_id in closed and planned:
            end = iterations[planned].end_date
            in_time = item.id in done and done[item.id].date() <= end
            flags[(item.team_id, item.pi_id)].append(in_time)
    return {k: float(np.mean(v)) for k, v in flags.items()}


def within_team(keys: list[tuple[int, int]], values: np.ndarray) -> np.ndarray:
    """Values minus their team's mean (removes a team's chronic level)."""
    teams = np.array([k[0] for k in keys])
    out = values.astype(float).copy()
    for team in set(teams.tolist()):
        out[teams == team] -= out[teams == team].mean()
    return out
