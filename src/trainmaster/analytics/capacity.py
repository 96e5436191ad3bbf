"""Team capacity and load per iteration, in normalized story points (DOMAIN.md).

Capacity of a team in one iteration:

    Σ over its developers and testers of  max(0, 8 × allocation × days / 14 − days off)

- 8 points per full-time developer/tester per 2-week iteration, scaled by the seat's
  allocation (a half-time tester brings 4). An iteration of another length scales the 8 by
  its calendar length in days / 14 (one week: 4 points, three weeks: 12).
- days off: 1 point per person per vacation day or ART holiday falling on a working day
  (Mon–Fri) of the iteration; a day that is both counts once. A person's capacity never
  drops below 0.
- Scrum Masters and Product Owners bring no capacity (Membership.counts_for_capacity).
- The IP iteration carries no planned feature work: its plannable capacity is 0, so
  anything planned into it overloads it.

Load = points of the stories planned into the iteration. An iteration is overloaded when
load > capacity.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from trainmaster.domain.art import Membership
from trainmaster.domain.pi import Iteration
from trainmaster.domain.work_item import ItemLevel, WorkItem

POINTS_PER_FTE = 8.0
BASE_ITERATION_DAYS = 14


@dataclass(frozen=True)
class IterationLoad:
    iteration_id: int
    index: int
    name: str
    is_ip: bool
    capacity: float
    load: float

    @property
    def overloaded(self) -> bool:
        return self.load > self.capacity + 1e-9

    @property
    def free(self) -> float:
        return round(self.capacity - self.load, 2)

    @property
    def utilisation(self) -> float | None:
        """Load / capacity, None when there is no capacity."""
        return None if self.capacity <= 0 else self.load / self.capacity


def _days_in(iteration: Iteration, days: Iterable[date]) -> set[date]:
    return {d for d in days if iteration.contains(d) and d.weekday() < 5}


def iteration_capacity(iteration: Iteration, seats: Sequence[Membership],
                       absences: Mapping[int, Iterable[date]],
                       holidays: Iterable[date]) -> float:
    """Capacity of the seats (one team's memberships) in one iteration."""
    if iteration.is_ip:
        return 0.0
    length = (iteration.end_date - iteration.start_date).days + 1
    full = POINTS_PER_FTE * length / BASE_ITERATION_DAYS
    closed = _days_in(iteration, holidays)
    total = 0.0
    for seat in seats:
        if not seat.counts_for_capacity:
            continue
        off = closed | _days_in(iteration, absences.get(seat.person_id, ()))
        total += max(0.0, full * seat.allocation - len(off))
    return round(total, 2)


def planned_points(stories: Iterable[WorkItem]) -> dict[tuple[int | None, int], float]:
    """Story points per (team id, iteration id) for stories planned into an iteration."""
    out: dict[tuple[int | None, int], float] = defaultdict(float)
    for s in stories:
        if s.level is ItemLevel.STORY and s.iteration_id is not None:
            out[(s.team_id, s.iteration_id)] += s.points or 0.0
    return dict(out)


def team_loads(iterations: Sequence[Iteration], seats: Sequence[Membership],
               absences: Mapping[int, Iterable[date]], holidays: Iterable[date],
               load: Mapping[int, float]) -> list[IterationLoad]:
    """Capacity and load per iteration for one team; `load` maps iteration id -> points."""
    holiday_list = list(holidays)
    return [IterationLoad(it.id or 0, it.index, it.name, it.is_ip,
                          iteration_capacity(it, seats, absences, holiday_list),
                          round(load.get(it.id or 0, 0.0), 2))
            for it in sorted(iterations, key=lambda i: i.index)]


def absences_by_person(rows: Iterable[tuple[int, date]]) -> dict[int, set[date]]:
    out: dict[int, set[date]] = defaultdict(set)
    for person_id, day in rows:
        out[person_id].add(day)
    return dict(out)
