"""Build the demo train: simulated history stored in bulk, one user per role."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from trainmaster.domain.access import SYSTEM, Actor, Role
from trainmaster.domain.art import TeamRole
from trainmaster.domain.errors import Forbidden
from trainmaster.services import auth
from trainmaster.services.catalog import REFERENCES
from trainmaster.services.unit_of_work import REPOSITORIES, UnitOfWork
from trainmaster.simulation.data import TrainData
from trainmaster.simulation.demo import generate

Progress = Callable[[str, int, int], None]

# reference fields beyond the catalog's, found on history rows
HISTORY_REFERENCES = {"dependency_id": "dependencies", "risk_id": "risks",
                      "impediment_id": "impediments", "by_user_id": "users",
                      "created_by": "users"}
# the order rows go in, parents first
LOAD_ORDER = ("portfolios", "arts", "teams", "people", "memberships", "absences", "holidays",
              "pis", "iterations", "items", "status_changes", "dependencies",
              "dependency_events", "risks", "risk_changes", "objectives", "events",
              "impediments", "impediment_steps", "actions")

DEMO_USERS: tuple[tuple[str, str, Role], ...] = (
    ("alice", "Alice Rivera", Role.RTE),
    ("bob", "Bob Chen", Role.PRODUCT_MANAGER),
    ("jon", "Jon Okafor", Role.BUSINESS_OWNER),
    ("sam", "Sam Kowalski", Role.SCRUM_MASTER),
    ("pat", "Pat Nguyen", Role.PRODUCT_OWNER),
    ("tess", "Tess Larsen", Role.TEAM_MEMBER),
    ("vic", "Vic Moreau", Role.VIEWER),
)


@dataclass(frozen=True)
class DemoResult:
    created: bool
    counts: dict[str, int]
    art_keys: list[str]
    users: list[tuple[str, str, str]]  # username, password, role


def demo_password(username: str) -> str:
    return f"{username}-demo"


def build_demo(uow: UnitOfWork, actor: Actor, *, seed: int, arts: int, teams: int, pis: int,
               today: date, at: datetime, progress: Progress | None = None) -> DemoResult:
    """Generate and store the demo train unless its ARTs already exist (then keep them)."""
    if not actor.is_admin:
        raise Forbidden("only an administrator builds the demo train")
    data = generate(seed, arts=arts, teams=teams, pis=pis, today=today, progress=progress)
    keys = [a.key for a in data.arts]
    users = [(u, demo_password(u), role.value) for u, _, role in DEMO_USERS]
    with uow:
        if uow.arts.first(key=keys):
            return DemoResult(False, {}, keys, users)
        offsets = {name: uow.repo(name).max_id() for name in LOAD_ORDER}
        offsets["users"] = 0
        for name in LOAD_ORDER:
            rows = getattr(data, name)
            uow.repo(name).bulk_insert_rows([_shifted(r, offsets) for r in rows])
            if progress:
                progress("store", LOAD_ORDER.index(name) + 1, len(LOAD_ORDER))
        uow.commit()
        art_ids = [offsets["arts"] + a.id for a in data.arts]
        people = _demo_people(data, offsets["people"])
    _add_demo_users(uow, art_ids, people, at)
    return DemoResult(True, data.counts(), keys, users)


def _shifted(obj: Any, offsets: dict[str, int]) -> dict[str, Any]:
    """A simulated row as a dict, its id and references moved past the stored rows."""
    row: dict[str, Any] = {}
    repo = _repo_of(obj)
    for name in _field_names(type(obj)):
        value = getattr(obj, name)
        target = repo if name == "id" else REFERENCES.get(name) or HISTORY_REFERENCES.get(name)
        row[name] = value + offsets[target] if target and value is not None else value
    if "feature_ids" in row:
        row["feature_ids"] = [i + offsets["items"] for i in row["feature_ids"]]
    return row


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


_REPO_OF: dict[type, str] = {cls: name for name, cls in REPOSITORIES.items()}


def _repo_of(obj: Any) -> str:
    return _REPO_OF[type(obj)]


def _demo_people(data: TrainData, offset: int) -> dict[Role, int]:
    """Stored person ids for the demo users: ART roles, then seats on the first team."""
    people = {r.role: offset + r.person_id for r in data.art_roles
              if r.art_id == data.arts[0].id}
    first_team = min(t.id for t in data.teams if t.art_id == data.arts[0].id)
    seats = {TeamRole.SCRUM_MASTER: Role.SCRUM_MASTER, TeamRole.PRODUCT_OWNER: Role.PRODUCT_OWNER,
             TeamRole.DEVELOPER: Role.TEAM_MEMBER}
    for m in data.memberships:
        if m.team_id == first_team and m.role in seats:
            people.setdefault(seats[m.role], offset + m.person_id)
    return people


def _add_demo_users(uow: UnitOfWork, art_ids: list[int], people: dict[Role, int],
                    at: datetime) -> None:
    """One user per role; the RTE, PM and Business Owner are people of the first ART."""
    for username, display, role in DEMO_USERS:
        with uow:
            exists = uow.users.first(username=username)
        if exists is None:
            auth.add_user(uow, SYSTEM, username, demo_password(username), display_name=display,
                          art_id=art_ids[0], roles=(role,), person_id=people.get(role), at=at)
        for art_id in art_ids:
            auth.grant_role(uow, SYSTEM, username, art_id, role)

