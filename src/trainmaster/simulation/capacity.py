"""Capacity per team and iteration by the DOMAIN.md formula, from seats, absences, holidays."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from trainmaster.simulation.cadence import PiFrame
from trainmaster.simulation.causal import POINTS_PER_PERSON, iteration_capacity
from trainmaster.simulation.org import ArtOrg


def _days_in(days: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    return np.searchsorted(days, ends, side="right") - np.searchsorted(days, starts, side="left")


def capacity_matrix(org: ArtOrg, frames: Sequence[PiFrame]) -> np.ndarray:
    """Capacity in points, shaped (teams, PIs, iterations)."""
    starts = np.array([[it.start_date for it in f.iterations] for f in frames],
                      dtype="datetime64[D]")
    ends = np.array([[it.end_date for it in f.iterations] for f in frames], dtype="datetime64[D]")
    holidays = _days_in(np.array(sorted(org.holidays), dtype="datetime64[D]"), starts, ends)
    out = np.zeros((len(org.teams), *starts.shape))
    for team, seats in enumerate(org.seats):
        counted = [s for s in seats if s.counts_for_capacity]
        allocations = [s.allocation for s in counted]
        absent = [_days_in(org.absences[s.person_id], starts, ends) for s in counted]
        for p, i in np.ndindex(starts.shape):
            away = [int(a[p, i]) for a in absent]
            out[team, p, i] = iteration_capacity(allocations, away, int(holidays[p, i]))
    return out


def nominal_capacity(org: ArtOrg) -> np.ndarray:
    """Capacity of a full iteration with nobody away, per team."""
    return np.array([POINTS_PER_PERSON * sum(s.allocation for s in seats if s.counts_for_capacity)
                     for seats in org.seats])
