"""The people side of a train: ART, teams, people, seats, absences and holidays."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from trainmaster.domain.access import Role
from trainmaster.domain.art import Absence, Art, Holiday, Membership, Person, Team, TeamRole
from trainmaster.simulation import names
from trainmaster.simulation.data import ArtRole, TrainData, keep
from trainmaster.simulation.workdays import WorkAxis, holidays_between

HOME_SIZES = (6, 9)        # people seated at home per team: 6–8, a guest makes at most 9
GUEST_SHARE = 0.4          # share of teams that borrow half of a developer/tester
TESTER_SHARE = 0.25
VACATION_LENGTHS = (1, 1, 2, 3, 5, 5, 5, 10)  # working days per vacation block
LEADER_ROLES = (Role.RTE, Role.PRODUCT_MANAGER, Role.BUSINESS_OWNER, Role.BUSINESS_OWNER)
JOURNEY_NAMES = {Role.RTE: "Alice", Role.PRODUCT_MANAGER: "Bob", Role.BUSINESS_OWNER: "Jon"}


@dataclass
class ArtOrg:
    """One ART with what the rest of the simulation needs to know about its people."""

    art: Art
    axis: WorkAxis
    teams: list[Team]
    seats: list[list[Membership]]
    leaders: dict[Role, list[int]]
    holidays: list[date]
    first_team: int                     # portfolio-wide index of the ART's first team
    absences: dict[int, np.ndarray] = field(default_factory=dict)

    def people(self) -> list[int]:
        seated = {s.person_id for team in self.seats for s in team}
        return sorted(seated | {p for ids in self.leaders.values() for p in ids})

    def coaches(self, team: int, role: TeamRole) -> int:
        return next(s.person_id for s in self.seats[team] if s.role is role)


def build_art(data: TrainData, rng: np.random.Generator, pool: names.NamePool, *, index: int,
              teams: int, window: tuple[date, date], absence_window: tuple[date, date],
              today: date, solution_train: str | None) -> ArtOrg:
    """Create the ART, its holidays, leaders, teams, seats and absences."""
    profile = names.art_profile(index)
    slug = profile.key.lower()
    art = keep(data.arts, Art(
        name=profile.name, key=profile.key, timezone=profile.timezone,
        portfolio_id=data.portfolios[0].id,
        solution_train=solution_train,
        vision_url=f"https://wiki.{names.EMAIL_DOMAIN}/{slug}/vision",
        roadmap_url=None if index == 0 else f"https://wiki.{names.EMAIL_DOMAIN}/{slug}/roadmap"))
    holidays = holidays_between(profile.holidays, *window)
    for day, name in holidays:
        keep(data.holidays, Holiday(art_id=art.id or 0, day=day, name=name))
    axis = WorkAxis(*window, profile.timezone, [d for d, _ in holidays])
    leaders = _leaders(data, pool, art, journey=index == 0)
    first_team = index * teams
    team_rows = [keep(data.teams, Team(art_id=art.id or 0, name=names.team_name(first_team + t)))
                 for t in range(teams)]
    seats = _seats(data, rng, pool, team_rows)
    org = ArtOrg(art, axis, team_rows, seats, leaders, [d for d, _ in holidays], first_team)
    org.absences = _absences(data, rng, axis, org.people(), absence_window, today)
    return org


def _person(data: TrainData, name: tuple[str, str]) -> int:
    person = keep(data.people, Person(name=" ".join(name), email=names.email(*name)))
    return person.id or 0


def _leaders(data: TrainData, pool: names.NamePool, art: Art, *, journey: bool
             ) -> dict[Role, list[int]]:
    leaders: dict[Role, list[int]] = {}
    for role in LEADER_ROLES:
        first = JOURNEY_NAMES.get(role) if journey and role not in leaders else None
        pid = _person(data, pool.take_with_first(first) if first else pool.take())
        leaders.setdefault(role, []).append(pid)
        data.art_roles.append(ArtRole(art_id=art.id or 0, person_id=pid, role=role))
    return leaders


def _seats(data: TrainData, rng: np.random.Generator, pool: names.NamePool,
           teams: list[Team]) -> list[list[Membership]]:
    rows: list[list[tuple[int, TeamRole, float]]] = []
    for _ in teams:
        size = int(rng.integers(*HOME_SIZES))
        roles = [TeamRole.SCRUM_MASTER, TeamRole.PRODUCT_OWNER] + [
            TeamRole.TESTER if rng.random() < TESTER_SHARE else TeamRole.DEVELOPER
            for _ in range(size - 2)]
        rows.append([(_person(data, pool.take()), role, 1.0) for role in roles])
    _share_people(rng, rows)
    return [[keep(data.memberships, Membership(team_id=team.id or 0, person_id=pid, role=role,
                                               allocation=alloc))
             for pid, role, alloc in seats] for team, seats in zip(teams, rows, strict=True)]


def _share_people(rng: np.random.Generator, rows: list[list[tuple[int, TeamRole, float]]]) -> None:
    """Some teams borrow half of a developer or tester from another team of the ART."""
    if len(rows) < 2:
        return
    for team in range(len(rows)):
        if rng.random() >= GUEST_SHARE:
            continue
        home = int(rng.integers(len(rows) - 1))
        home += home >= team
        free = [i for i, (_, role, alloc) in enumerate(rows[home])
                if role in (TeamRole.DEVELOPER, TeamRole.TESTER) and alloc == 1.0]
        if len(free) < 3:
            continue
        seat = free[int(rng.integers(len(free)))]
        pid, role, _ = rows[home][seat]
        rows[home][seat] = (pid, role, 0.5)
        rows[team].append((pid, role, 0.5))


def _absences(data: TrainData, rng: np.random.Generator, axis: WorkAxis, people: list[int],
              window: tuple[date, date], today: date) -> dict[int, np.ndarray]:
    """Vacations (also planned ones after today) and past sick days, on working days only."""
    lo, hi, now = axis.index(window[0]), axis.index(window[1]), axis.index(today)
    years = (hi - lo) / 250.0
    out: dict[int, np.ndarray] = {}
    for pid in people:
        days: dict[int, str] = {}
        for _ in range(int(rng.poisson(3.0 * years))):
            length = VACATION_LENGTHS[int(rng.integers(len(VACATION_LENGTHS)))]
            start = int(rng.integers(lo, max(lo + 1, hi - length)))
            days.update(dict.fromkeys(range(start, start + length), "vacation"))
        for _ in range(int(rng.poisson(2.0 * years))):
            start = int(rng.integers(lo, max(lo + 1, now - 3)))
            for d in range(start, start + int(rng.integers(1, 4))):
                days.setdefault(d, "sick")
        ordered = sorted(days)
        for d in ordered:
            keep(data.absences, Absence(person_id=pid, day=axis.dates[d].item(), reason=days[d]))
        out[pid] = axis.dates[np.array(ordered, dtype=np.int64)]
    return out
