"""The train and its people: portfolio, ART, team, person, membership, absences, holidays."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from trainmaster.domain.errors import Invalid, require
from trainmaster.domain.work_item import WorkType

DEFAULT_GUARDRAILS: dict[str, float] = {
    WorkType.BUSINESS.value: 0.60,
    WorkType.ENABLER.value: 0.25,
    WorkType.DEFECT.value: 0.075,
    WorkType.TECH_DEBT.value: 0.075,
}


def check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise Invalid(f"unknown time zone {name!r}", field="timezone") from exc
    return name


def check_name(value: str, field_name: str = "name") -> str:
    value = (value or "").strip()
    require(bool(value), "must not be empty", field=field_name)
    require(len(value) <= 200, "must be at most 200 characters", field=field_name)
    return value


@dataclass
class Portfolio:
    name: str
    id: int | None = None

    def __post_init__(self) -> None:
        self.name = check_name(self.name)


@dataclass
class Art:
    """An Agile Release Train: 5–12 teams with one backlog and one cadence."""

    name: str
    key: str
    timezone: str = "UTC"
    portfolio_id: int | None = None
    solution_train: str | None = None
    vision_url: str | None = None
    roadmap_url: str | None = None
    guardrails: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_GUARDRAILS))
    guardrail_tolerance: float = 0.05
    wip_analyzing: int = 5
    wip_implementing: int = 10
    id: int | None = None

    def __post_init__(self) -> None:
        self.name = check_name(self.name)
        self.key = check_key(self.key)
        self.timezone = check_timezone(self.timezone)
        check_guardrails(self.guardrails)
        require(0 <= self.guardrail_tolerance <= 1, "must be a share between 0 and 1",
                field="guardrail_tolerance")
        require(self.wip_analyzing >= 1, "must be at least 1", field="wip_analyzing")
        require(self.wip_implementing >= 1, "must be at least 1", field="wip_implementing")


def check_key(key: str) -> str:
    key = (key or "").strip().upper()
    require(bool(key), "must not be empty", field="key")
    require(key.replace("-", "").replace("_", "").isalnum() and len(key) <= 20,
            "must be letters, digits, '-' or '_' (at most 20)", field="key")
    return key


def check_guardrails(shares: dict[str, float]) -> None:
    known = {t.value for t in WorkType}
    for name, share in shares.items():
        require(name in known, f"unknown work type {name!r}", field="guardrails")
        require(0 <= share <= 1, f"share of {name} must be between 0 and 1", field="guardrails")
    require(abs(sum(shares.values()) - 1.0) < 1e-6 or not shares,
            "shares must add up to 1", field="guardrails")


@dataclass
class Team:
    art_id: int
    name: str
    id: int | None = None

    def __post_init__(self) -> None:
        self.name = check_name(self.name)


@dataclass
class Person:
    name: str
    email: str | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        self.name = check_name(self.name)
        if self.email is not None:
            require("@" in self.email, "is not an e-mail address", field="email")


class TeamRole(StrEnum):
    DEVELOPER = "developer"
    TESTER = "tester"
    SCRUM_MASTER = "scrum_master"
    PRODUCT_OWNER = "product_owner"


CAPACITY_ROLES = frozenset({TeamRole.DEVELOPER, TeamRole.TESTER})


@dataclass
class Membership:
    """A person's seat on a team with the fraction of their time it gets."""

    team_id: int
    person_id: int
    role: TeamRole = TeamRole.DEVELOPER
    allocation: float = 1.0
    id: int | None = None

    def __post_init__(self) -> None:
        self.role = TeamRole(self.role)
        require(0 < self.allocation <= 1, "must be a fraction in (0, 1]", field="allocation")

    @property
    def counts_for_capacity(self) -> bool:
        return self.role in CAPACITY_ROLES


@dataclass
class Absence:
    person_id: int
    day: date
    reason: str = "vacation"
    id: int | None = None


@dataclass
class Holiday:
    art_id: int
    day: date
    name: str = "Holiday"
    id: int | None = None
