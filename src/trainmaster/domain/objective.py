"""Team and program PI objectives with business value."""

from __future__ import annotations

from dataclasses import dataclass, field

from trainmaster.domain.errors import require


def check_planned_bv(value: int | None) -> int | None:
    require(value is None or 1 <= value <= 10, "planned business value is 1 to 10",
            field="planned_bv")
    return value


def check_actual_bv(value: int | None) -> int | None:
    require(value is None or 0 <= value <= 10, "actual business value is 0 to 10",
            field="actual_bv")
    return value


@dataclass
class Objective:
    """A team PI objective (team_id set) or a program PI objective (team_id None)."""

    pi_id: int
    text: str
    team_id: int | None = None
    committed: bool = True
    planned_bv: int | None = None
    actual_bv: int | None = None
    feature_ids: list[int] = field(default_factory=list)
    id: int | None = None

    def __post_init__(self) -> None:
        self.text = (self.text or "").strip()
        require(bool(self.text), "must not be empty", field="text")
        check_planned_bv(self.planned_bv)
        check_actual_bv(self.actual_bv)
