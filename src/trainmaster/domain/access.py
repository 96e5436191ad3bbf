"""Users, their roles per ART, and what each role may do."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from trainmaster.domain.errors import Forbidden, require


class Role(StrEnum):
    RTE = "rte"
    PRODUCT_MANAGER = "product_manager"
    BUSINESS_OWNER = "business_owner"
    SCRUM_MASTER = "scrum_master"
    PRODUCT_OWNER = "product_owner"
    TEAM_MEMBER = "team_member"
    VIEWER = "viewer"


class Permission(StrEnum):
    VIEW = "view"
    MANAGE_TRAIN = "manage_train"          # teams, people, PIs, calendar, ART settings
    EDIT_BACKLOG = "edit_backlog"          # work items, planning, dependencies
    ANSWER_DEPENDENCY = "answer_dependency"
    WRITE_OBJECTIVES = "write_objectives"
    SET_BUSINESS_VALUE = "set_business_value"
    MANAGE_RISKS = "manage_risks"
    RUN_VOTE = "run_vote"                  # open and close the confidence vote
    CAST_VOTE = "cast_vote"
    OVERRIDE_WIP = "override_wip"
    RUN_EVENTS = "run_events"              # ART Sync, impediments, action items, I&A
    MANAGE_USERS = "manage_users"
    IMPORT_DATA = "import_data"


_WRITERS = {Permission.VIEW, Permission.EDIT_BACKLOG, Permission.ANSWER_DEPENDENCY,
            Permission.WRITE_OBJECTIVES, Permission.MANAGE_RISKS, Permission.CAST_VOTE,
            Permission.RUN_EVENTS}

GRANTS: dict[Role, frozenset[Permission]] = {
    Role.RTE: frozenset(Permission) - {Permission.SET_BUSINESS_VALUE},
    Role.PRODUCT_MANAGER: frozenset(_WRITERS | {Permission.IMPORT_DATA}),
    Role.BUSINESS_OWNER: frozenset({Permission.VIEW, Permission.SET_BUSINESS_VALUE,
                                    Permission.MANAGE_RISKS, Permission.CAST_VOTE}),
    Role.SCRUM_MASTER: frozenset(_WRITERS),
    Role.PRODUCT_OWNER: frozenset(_WRITERS),
    Role.TEAM_MEMBER: frozenset(_WRITERS - {Permission.RUN_EVENTS}),
    Role.VIEWER: frozenset({Permission.VIEW}),
}


@dataclass
class User:
    username: str
    display_name: str = ""
    password_hash: str = ""
    person_id: int | None = None
    is_admin: bool = False
    created_at: datetime | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        self.username = (self.username or "").strip().lower()
        require(bool(self.username) and self.username.replace(".", "").replace("_", "")
                .replace("-", "").isalnum(),
                "use letters, digits, '.', '_' or '-'", field="username")
        self.display_name = self.display_name or self.username


@dataclass
class RoleGrant:
    user_id: int
    art_id: int
    role: Role
    id: int | None = None

    def __post_init__(self) -> None:
        self.role = Role(self.role)


@dataclass(frozen=True)
class Actor:
    """Who is acting: a user with their roles per ART (an admin may do everything)."""

    user_id: int | None
    username: str
    roles: dict[int, frozenset[Role]] = field(default_factory=dict)
    is_admin: bool = False
    person_id: int | None = None

    def can(self, permission: Permission, art_id: int | None = None) -> bool:
        if self.is_admin:
            return True
        role_sets = self.roles.values() if art_id is None else [self.roles.get(art_id, frozenset())]
        return any(permission in GRANTS[role] for roles in role_sets for role in roles)

    def require(self, permission: Permission, art_id: int | None = None) -> None:
        if not self.can(permission, art_id):
            raise Forbidden(f"{self.username} may not {permission.value.replace('_', ' ')}"
                            + ("" if art_id is None else f" on ART {art_id}"))

    def role_names(self, art_id: int) -> list[str]:
        return sorted(r.value for r in self.roles.get(art_id, frozenset()))


SYSTEM = Actor(user_id=None, username="system", is_admin=True)


@dataclass
class ApiToken:
    """A bearer token for scripts; only its hash is stored."""

    user_id: int
    name: str
    token_hash: str
    created_at: datetime
    last_used_at: datetime | None = None
    id: int | None = None


@dataclass
class WebSession:
    """A browser session kept in the database so any web worker can serve it."""

    key_hash: str
    user_id: int
    csrf_token: str
    created_at: datetime
    expires_at: datetime
    id: int | None = None
