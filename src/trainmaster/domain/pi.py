"""Program Increments and their iterations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from trainmaster.domain.art import check_name
from trainmaster.domain.errors import require


class PiState(StrEnum):
    PLANNING = "planning"
    EXECUTING = "executing"
    CLOSED = "closed"


@dataclass
class Pi:
    """A Program Increment: development iterations followed by an optional IP iteration."""

    art_id: int
    name: str
    start_date: date
    iteration_days: int = 14
    iterations: int = 4
    has_ip: bool = True
    state: PiState = PiState.PLANNING
    id: int | None = None

    def __post_init__(self) -> None:
        self.name = check_name(self.name)
        self.state = PiState(self.state)
        require(5 <= self.iteration_days <= 28, "must be between 5 and 28 days",
                field="iteration_days")
        require(1 <= self.iterations <= 8, "must be between 1 and 8", field="iterations")

    @property
    def total_iterations(self) -> int:
        return self.iterations + (1 if self.has_ip else 0)

    @property
    def end_date(self) -> date:
        """The last day of the PI (inclusive)."""
        return self.start_date + timedelta(days=self.iteration_days * self.total_iterations - 1)

    def build_iterations(self) -> list[Iteration]:
        """The PI's iterations in order, the IP iteration last."""
        require(self.id is not None, "the PI must be stored before its iterations", field="pi")
        out = []
        for index in range(1, self.total_iterations + 1):
            start = self.start_date + timedelta(days=self.iteration_days * (index - 1))
            is_ip = self.has_ip and index == self.total_iterations
            out.append(Iteration(
                pi_id=self.id or 0, index=index, name="IP" if is_ip else f"I{index}",
                start_date=start, end_date=start + timedelta(days=self.iteration_days - 1),
                is_ip=is_ip,
            ))
        return out

    def iteration_index_on(self, day: date) -> int | None:
        """1-based index of the iteration containing `day`, or None outside the PI."""
        if day < self.start_date or day > self.end_date:
            return None
        return (day - self.start_date).days // self.iteration_days + 1


@dataclass
class Iteration:
    pi_id: int
    index: int
    name: str
    start_date: date
    end_date: date
    is_ip: bool = False
    id: int | None = None

    def __post_init__(self) -> None:
        require(self.index >= 1, "must be 1 or more", field="index")
        require(self.end_date >= self.start_date, "must not end before it starts",
                field="end_date")

    def contains(self, day: date) -> bool:
        return self.start_date <= day <= self.end_date

    def working_days(self) -> list[date]:
        days = (self.end_date - self.start_date).days + 1
        all_days = (self.start_date + timedelta(days=i) for i in range(days))
        return [d for d in all_days if d.weekday() < 5]
