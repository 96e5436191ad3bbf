"""The unit-of-work and repository interfaces the services program against.

`storage.unit_of_work.SqlUnitOfWork` implements them on SQLAlchemy; tests use an in-memory
fake. One `with uow:` block is one transaction: `commit()` keeps it, leaving the block
without a commit rolls everything back, so a failed use case leaves nothing half-written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Protocol, Self, TypeVar

from trainmaster.domain.access import ApiToken, RoleGrant, User, WebSession
from trainmaster.domain.action import ActionItem
from trainmaster.domain.art import Absence, Art, Holiday, Membership, Person, Portfolio, Team
from trainmaster.domain.baseline import Baseline
from trainmaster.domain.calendar import CalendarFeed
from trainmaster.domain.dependency import Dependency, DependencyEvent
from trainmaster.domain.event import Event
from trainmaster.domain.impediment import Impediment, ImpedimentStep
from trainmaster.domain.job import Job
from trainmaster.domain.kanban import WipOverride
from trainmaster.domain.learning import RetrainSchedule, RiskForecast, StoredModel, TriageSuggestion
from trainmaster.domain.meeting import Meeting, MeetingOutcome, ScopeChange, TeamReport
from trainmaster.domain.objective import Objective
from trainmaster.domain.pi import Iteration, Pi
from trainmaster.domain.planning import AgendaItem, ObjectivesPublication
from trainmaster.domain.registry import REPOSITORIES as REPOSITORIES
from trainmaster.domain.risk import Risk, RiskChange
from trainmaster.domain.suggestion import DependencySuggestion, SuggestionRun
from trainmaster.domain.sync import ExternalItem, ImportRun, SyncSource
from trainmaster.domain.vote import Vote, VoteRound
from trainmaster.domain.work_item import StatusChange, WorkItem
from trainmaster.domain.workshop import Cause, Problem, Solution, Workshop

T = TypeVar("T")

class Repository(Protocol[T]):
    def add(self, obj: T) -> T: ...
    def add_all(self, objs: Iterable[T]) -> None: ...
    def get(self, id_: int) -> T: ...
    def find(self, *, order_by: str = "id", **equals: Any) -> list[T]: ...
    def first(self, **equals: Any) -> T | None: ...
    def columns(self, names: Sequence[str], **equals: Any) -> dict[str, list[Any]]:
        """Values of the named attributes of matching rows, one list per name, in id order."""
        ...
    def count(self, **equals: Any) -> int: ...
    def remove(self, obj: T) -> None: ...
    def remove_where(self, **equals: Any) -> int: ...
    def max_id(self) -> int: ...
    def bulk_insert(self, objs: Sequence[T]) -> None:
        """Insert objects whose ids are already set (bulk loads: demo, import, restore)."""
        ...
    def bulk_insert_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert rows given as field -> value dicts, ids included (the fastest bulk load)."""
        ...


class StatusChanges(Repository[StatusChange], Protocol):
    def history(self, item_ids: Sequence[int] | None = None
                ) -> list[tuple[int, str | None, str, datetime]]: ...


class Jobs(Repository[Job], Protocol):
    def claim_next(self, kinds: Sequence[str], worker: str, at: datetime) -> Job | None:
        """Atomically take the oldest queued job of these kinds (commits the claim)."""
        ...


class UnitOfWork(Protocol):
    portfolios: Repository[Portfolio]
    arts: Repository[Art]
    teams: Repository[Team]
    people: Repository[Person]
    memberships: Repository[Membership]
    absences: Repository[Absence]
    holidays: Repository[Holiday]
    pis: Repository[Pi]
    iterations: Repository[Iteration]
    items: Repository[WorkItem]
    status_changes: StatusChanges
    dependencies: Repository[Dependency]
    dependency_events: Repository[DependencyEvent]
    risks: Repository[Risk]
    risk_changes: Repository[RiskChange]
    objectives: Repository[Objective]
    events: Repository[Event]
    impediments: Repository[Impediment]
    impediment_steps: Repository[ImpedimentStep]
    actions: Repository[ActionItem]
    users: Repository[User]
    role_grants: Repository[RoleGrant]
    api_tokens: Repository[ApiToken]
    web_sessions: Repository[WebSession]
    jobs: Jobs
    agenda_items: Repository[AgendaItem]
    vote_rounds: Repository[VoteRound]
    votes: Repository[Vote]
    baselines: Repository[Baseline]
    objective_publications: Repository[ObjectivesPublication]
    wip_overrides: Repository[WipOverride]
    # running the train
    meetings: Repository[Meeting]
    team_reports: Repository[TeamReport]
    scope_changes: Repository[ScopeChange]
    outcomes: Repository[MeetingOutcome]
    calendar_feeds: Repository[CalendarFeed]
    workshops: Repository[Workshop]
    problems: Repository[Problem]
    causes: Repository[Cause]
    solutions: Repository[Solution]
    # tracker import
    sync_sources: Repository[SyncSource]
    external_items: Repository[ExternalItem]
    import_runs: Repository[ImportRun]
    # dependency suggestions
    suggestion_runs: Repository[SuggestionRun]
    dependency_suggestions: Repository[DependencySuggestion]
    # learning: triage and the risk radar
    stored_models: Repository[StoredModel]
    triage_suggestions: Repository[TriageSuggestion]
    risk_forecasts: Repository[RiskForecast]
    retrain_schedules: Repository[RetrainSchedule]

    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: object) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def repo(self, name: str) -> Any: ...
    def lock(self, cls: type[T], id_: int) -> T:
        """Load a row and hold it for update until the transaction ends."""
        ...
