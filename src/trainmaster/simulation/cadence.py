"""The PIs of an ART: finished ones, the current one (in its second iteration) and the next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from trainmaster.domain.pi import Iteration, Pi, PiState
from trainmaster.simulation.data import TrainData, keep
from trainmaster.simulation.workdays import WORK_HOURS, WorkAxis

PI_DAYS = 70                   # 4 iterations of 2 weeks and the IP iteration
PLANNING_BEFORE_START = 5      # day 1 of PI Planning: the Wednesday before the PI starts
INSPECT_AFTER_START = 58       # Inspect & Adapt: Wednesday of the IP iteration's first week
NINE_AM = 1.0 / WORK_HOURS


@dataclass
class PiFrame:
    """A PI with its iterations placed on the ART's working-time axis."""

    pi: Pi
    iterations: list[Iteration]
    bounds: np.ndarray        # axis start of each iteration, then the end of the PI
    planning: float           # axis time of PI Planning day 1, 09:00
    inspect: float            # axis time of Inspect & Adapt, 09:00
    position: int             # 0-based among the ART's PIs

    @property
    def executed(self) -> bool:
        return self.pi.state is not PiState.PLANNING

    @property
    def dev_iterations(self) -> int:
        return self.pi.iterations

    def iteration_id(self, index: int) -> int:
        return self.iterations[index - 1].id or 0

    def index_at(self, u: np.ndarray) -> np.ndarray:
        """1-based index of the iteration holding each axis time, clamped into the PI."""
        found = np.searchsorted(self.bounds[:-1], u, side="right")
        return np.clip(found, 1, len(self.iterations))


def pi_starts(today: date, finished: int) -> list[date]:
    """Start dates of the finished PIs, the current one and the next one."""
    current = today - timedelta(days=21)
    current -= timedelta(days=current.weekday())
    return [current + timedelta(days=PI_DAYS * k) for k in range(-finished, 2)]


def pi_name(start: date) -> str:
    return f"PI {start.year % 100:02d}.{(start.timetuple().tm_yday - 1) // PI_DAYS + 1}"


def build_pis(data: TrainData, art_id: int, axis: WorkAxis, starts: list[date]) -> list[PiFrame]:
    frames = []
    for position, start in enumerate(starts):
        state = (PiState.CLOSED if position < len(starts) - 2 else
                 PiState.EXECUTING if position == len(starts) - 2 else PiState.PLANNING)
        pi = keep(data.pis, Pi(art_id=art_id, name=pi_name(start), start_date=start, state=state))
        iterations = [keep(data.iterations, it) for it in pi.build_iterations()]
        bounds = np.array([axis.index(it.start_date) for it in iterations]
                          + [axis.index(pi.end_date + timedelta(days=1))], dtype=float)
        planning = axis.index(start - timedelta(days=PLANNING_BEFORE_START)) + NINE_AM
        inspect = axis.index(start + timedelta(days=INSPECT_AFTER_START)) + NINE_AM
        frames.append(PiFrame(pi, iterations, bounds, planning, inspect, position))
    return frames
