"""The schema, mapped imperatively onto the domain's dataclasses.

Domain classes stay free of SQLAlchemy: `map_domain()` instruments them once at start-up.
Schema changes go through Alembic migrations (storage/migrations).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import registry

from trainmaster.domain.access import ApiToken, Role, RoleGrant, User, WebSession
from trainmaster.domain.action import ActionItem, ActionStatus
from trainmaster.domain.art import (
    Absence,
    Art,
    Holiday,
    Membership,
    Person,
    Portfolio,
    Team,
    TeamRole,
)
from trainmaster.domain.dependency import Agreement, Dependency, DependencyEvent
from trainmaster.domain.event import Event, EventKind
from trainmaster.domain.impediment import Impediment, ImpedimentStep, Level
from trainmaster.domain.job import Job, JobStatus
from trainmaster.domain.objective import Objective
from trainmaster.domain.pi import Iteration, Pi, PiState
from trainmaster.domain.risk import Risk, RiskChange, Roam
from trainmaster.domain.work_item import ItemLevel, StatusChange, WorkItem, WorkType
from trainmaster.storage.types import UtcDateTime, enum_column, json_dict, json_list

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)
mapper_registry = registry(metadata=metadata)


def id_column() -> Column[int]:
    return Column("id", Integer, primary_key=True, autoincrement=True)


def fk_column(name: str, target: str, *, nullable: bool = False,
              cascade: bool = True) -> Column[int]:
    ondelete = "CASCADE" if cascade else "SET NULL"
    return Column(name, Integer, ForeignKey(target, ondelete=ondelete), nullable=nullable,
                  index=True)


portfolios = Table("portfolios", metadata, id_column(), Column("name", String(200), nullable=False))

arts = Table(
    "arts", metadata, id_column(),
    Column("name", String(200), nullable=False),
    Column("key", String(20), nullable=False, unique=True),
    Column("timezone", String(64), nullable=False),
    fk_column("portfolio_id", "portfolios.id", nullable=True, cascade=False),
    Column("solution_train", String(200)),
    Column("vision_url", Text),
    Column("roadmap_url", Text),
    Column("guardrails", json_dict(), nullable=False),
    Column("guardrail_tolerance", Float, nullable=False),
    Column("wip_analyzing", Integer, nullable=False),
    Column("wip_implementing", Integer, nullable=False),
)

teams = Table(
    "teams", metadata, id_column(),
    fk_column("art_id", "arts.id"),
    Column("name", String(200), nullable=False),
    UniqueConstraint("art_id", "name", name="uq_teams_art_name"),
)

people = Table(
    "people", metadata, id_column(),
    Column("name", String(200), nullable=False),
    Column("email", String(200), unique=True),
)

memberships = Table(
    "memberships", metadata, id_column(),
    fk_column("team_id", "teams.id"),
    fk_column("person_id", "people.id"),
    Column("role", enum_column(TeamRole), nullable=False),
    Column("allocation", Float, nullable=False),
    UniqueConstraint("team_id", "person_id", name="uq_memberships_team_person"),
)

absences = Table(
    "absences", metadata, id_column(),
    fk_column("person_id", "people.id"),
    Column("day", Date, nullable=False),
    Column("reason", String(100), nullable=False),
    UniqueConstraint("person_id", "day", name="uq_absences_person_day"),
)

holidays = Table(
    "holidays", metadata, id_column(),
    fk_column("art_id", "arts.id"),
    Column("day", Date, nullable=False),
    Column("name", String(200), nullable=False),
    UniqueConstraint("art_id", "day", name="uq_holidays_art_day"),
)

pis = Table(
    "pis", metadata, id_column(),
    fk_column("art_id", "arts.id"),
    Column("name", String(200), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("iteration_days", Integer, nullable=False),
    Column("iterations", Integer, nullable=False),
    Column("has_ip", Boolean, nullable=False),
    Column("state", enum_column(PiState), nullable=False),
    UniqueConstraint("art_id", "name", name="uq_pis_art_name"),
)

iterations = Table(
    "iterations", metadata, id_column(),
    fk_column("pi_id", "pis.id"),
    Column("index", Integer, nullable=False),
    Column("name", String(50), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=False),
    Column("is_ip", Boolean, nullable=False),
    UniqueConstraint("pi_id", "index", name="uq_iterations_pi_index"),
)

work_items = Table(
    "work_items", metadata, id_column(),
    fk_column("art_id", "arts.id"),
    Column("level", enum_column(ItemLevel), nullable=False, index=True),
    Column("key", String(64), nullable=False),
    Column("title", Text, nullable=False),
    Column("work_type", enum_column(WorkType), nullable=False),
    Column("status", String(64), nullable=False),
    Column("description", Text, nullable=False),
    Column("acceptance_criteria", Text, nullable=False),
    Column("points", Float),
    Column("business_value", Integer),
    Column("time_criticality", Integer),
    Column("risk_reduction", Integer),
    Column("job_size", Integer),
    fk_column("team_id", "teams.id", nullable=True, cascade=False),
    fk_column("pi_id", "pis.id", nullable=True, cascade=False),
    fk_column("iteration_id", "iterations.id", nullable=True, cascade=False),
    fk_column("parent_id", "work_items.id", nullable=True, cascade=False),
    Column("external_key", String(128)),
    Column("created_at", UtcDateTime()),
    Column("updated_at", UtcDateTime()),
    UniqueConstraint("art_id", "key", name="uq_work_items_art_key"),
    UniqueConstraint("art_id", "external_key", name="uq_work_items_art_external_key"),
)

status_changes = Table(
    "status_changes", metadata, id_column(),
    fk_column("item_id", "work_items.id"),
    Column("from_status", String(64)),
    Column("to_status", String(64), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Index("ix_status_changes_item_at", "item_id", "at"),
)

dependencies = Table(
    "dependencies", metadata, id_column(),
    fk_column("consumer_id", "work_items.id"),
    fk_column("provider_id", "work_items.id"),
    Column("description", Text, nullable=False),
    fk_column("needed_by_iteration_id", "iterations.id", nullable=True, cascade=False),
    Column("agreement", enum_column(Agreement), nullable=False),
    fk_column("offered_iteration_id", "iterations.id", nullable=True, cascade=False),
    Column("created_at", UtcDateTime()),
    UniqueConstraint("consumer_id", "provider_id", name="uq_dependencies_pair"),
)

dependency_events = Table(
    "dependency_events", metadata, id_column(),
    fk_column("dependency_id", "dependencies.id"),
    Column("agreement", enum_column(Agreement), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    fk_column("by_user_id", "users.id", nullable=True, cascade=False),
    fk_column("offered_iteration_id", "iterations.id", nullable=True, cascade=False),
    Column("note", Text, nullable=False),
)

risks = Table(
    "risks", metadata, id_column(),
    fk_column("art_id", "arts.id"),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False),
    fk_column("pi_id", "pis.id", nullable=True, cascade=False),
    Column("roam", enum_column(Roam), nullable=False),
    fk_column("owner_id", "people.id", nullable=True, cascade=False),
    Column("due", Date),
    Column("created_at", UtcDateTime()),
)

risk_changes = Table(
    "risk_changes", metadata, id_column(),
    fk_column("risk_id", "risks.id"),
    Column("from_roam", enum_column(Roam), nullable=False),
    Column("to_roam", enum_column(Roam), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    fk_column("by_user_id", "users.id", nullable=True, cascade=False),
    Column("note", Text, nullable=False),
)

objectives = Table(
    "objectives", metadata, id_column(),
    fk_column("pi_id", "pis.id"),
    Column("text", Text, nullable=False),
    fk_column("team_id", "teams.id", nullable=True),
    Column("committed", Boolean, nullable=False),
    Column("planned_bv", Integer),
    Column("actual_bv", Integer),
    Column("feature_ids", json_list(), nullable=False),
)

events = Table(
    "events", metadata, id_column(),
    fk_column("art_id", "arts.id"),
    Column("kind", enum_column(EventKind), nullable=False),
    Column("title", String(200), nullable=False),
    Column("start", UtcDateTime(), nullable=False),
    Column("end", UtcDateTime(), nullable=False),
    fk_column("pi_id", "pis.id", nullable=True),
    Column("recurrence", String(200)),
    Column("location", String(200), nullable=False),
)

impediments = Table(
    "impediments", metadata, id_column(),
    fk_column("art_id", "arts.id"),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False),
    fk_column("team_id", "teams.id", nullable=True, cascade=False),
    fk_column("pi_id", "pis.id", nullable=True, cascade=False),
    Column("level", enum_column(Level), nullable=False),
    Column("raised_at", UtcDateTime()),
    Column("resolved_at", UtcDateTime()),
    fk_column("owner_id", "people.id", nullable=True, cascade=False),
)

impediment_steps = Table(
    "impediment_steps", metadata, id_column(),
    fk_column("impediment_id", "impediments.id"),
    Column("level", enum_column(Level), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    fk_column("by_user_id", "users.id", nullable=True, cascade=False),
    Column("resolved", Boolean, nullable=False),
)

action_items = Table(
    "action_items", metadata, id_column(),
    fk_column("art_id", "arts.id"),
    Column("title", String(200), nullable=False),
    fk_column("owner_id", "people.id", nullable=True, cascade=False),
    Column("due", Date),
    Column("status", enum_column(ActionStatus), nullable=False),
    Column("source", String(200), nullable=False),
    Column("created_at", UtcDateTime()),
)

users = Table(
    "users", metadata, id_column(),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("password_hash", String(200), nullable=False),
    fk_column("person_id", "people.id", nullable=True, cascade=False),
    Column("is_admin", Boolean, nullable=False),
    Column("created_at", UtcDateTime()),
)

role_grants = Table(
    "role_grants", metadata, id_column(),
    fk_column("user_id", "users.id"),
    fk_column("art_id", "arts.id"),
    Column("role", enum_column(Role), nullable=False),
    UniqueConstraint("user_id", "art_id", "role", name="uq_role_grants_user_art_role"),
)

api_tokens = Table(
    "api_tokens", metadata, id_column(),
    fk_column("user_id", "users.id"),
    Column("name", String(100), nullable=False),
    Column("token_hash", String(128), nullable=False, unique=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("last_used_at", UtcDateTime()),
)

web_sessions = Table(
    "web_sessions", metadata, id_column(),
    Column("key_hash", String(128), nullable=False, unique=True),
    fk_column("user_id", "users.id"),
    Column("csrf_token", String(128), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
)

jobs = Table(
    "jobs", metadata, id_column(),
    Column("kind", String(64), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("payload", json_dict(), nullable=False),
    Column("status", enum_column(JobStatus), nullable=False, index=True),
    Column("progress", Float, nullable=False),
    Column("message", Text, nullable=False),
    Column("result", json_dict(), nullable=False),
    Column("worker", String(200)),
    Column("started_at", UtcDateTime()),
    Column("finished_at", UtcDateTime()),
    fk_column("created_by", "users.id", nullable=True, cascade=False),
)

MAPPED: dict[type, Table] = {
    Portfolio: portfolios, Art: arts, Team: teams, Person: people, Membership: memberships,
    Absence: absences, Holiday: holidays, Pi: pis, Iteration: iterations, WorkItem: work_items,
    StatusChange: status_changes, Dependency: dependencies, DependencyEvent: dependency_events,
    Risk: risks, RiskChange: risk_changes, Objective: objectives, Event: events,
    Impediment: impediments, ImpedimentStep: impediment_steps, ActionItem: action_items,
    User: users, RoleGrant: role_grants, ApiToken: api_tokens, WebSession: web_sessions,
    Job: jobs,
}
