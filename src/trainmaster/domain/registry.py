"""Every kind of stored domain object, by the name its repository has on a unit of work."""

from __future__ import annotations

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
from trainmaster.domain.risk import Risk, RiskChange
from trainmaster.domain.suggestion import DependencySuggestion, SuggestionRun
from trainmaster.domain.sync import ExternalItem, ImportRun, SyncSource
from trainmaster.domain.vote import Vote, VoteRound
from trainmaster.domain.work_item import StatusChange, WorkItem
from trainmaster.domain.workshop import Cause, Problem, Solution, Workshop

# attribute name on the unit of work -> the domain class its repository holds
REPOSITORIES: dict[str, type] = {
    "portfolios": Portfolio, "arts": Art, "teams": Team, "people": Person,
    "memberships": Membership, "absences": Absence, "holidays": Holiday, "pis": Pi,
    "iterations": Iteration, "items": WorkItem, "status_changes": StatusChange,
    "dependencies": Dependency, "dependency_events": DependencyEvent, "risks": Risk,
    "risk_changes": RiskChange, "objectives": Objective, "events": Event,
    "impediments": Impediment, "impediment_steps": ImpedimentStep, "actions": ActionItem,
    "users": User, "role_grants": RoleGrant, "api_tokens": ApiToken,
    "web_sessions": WebSession, "jobs": Job,
    # PI Planning
    "agenda_items": AgendaItem, "vote_rounds": VoteRound, "votes": Vote, "baselines": Baseline,
    "objective_publications": ObjectivesPublication, "wip_overrides": WipOverride,
    # running the train
    "meetings": Meeting, "team_reports": TeamReport, "scope_changes": ScopeChange,
    "outcomes": MeetingOutcome, "calendar_feeds": CalendarFeed, "workshops": Workshop,
    "problems": Problem, "causes": Cause, "solutions": Solution,
    # tracker import
    "sync_sources": SyncSource, "external_items": ExternalItem, "import_runs": ImportRun,
    # dependency suggestions
    "suggestion_runs": SuggestionRun, "dependency_suggestions": DependencySuggestion,
    # learning: triage and the risk radar
    "stored_models": StoredModel, "triage_suggestions": TriageSuggestion,
    "risk_forecasts": RiskForecast, "retrain_schedules": RetrainSchedule,
}


def label(cls: type) -> str:
    """'WorkItem' -> 'work item', for messages."""
    return "".join(" " + c.lower() if c.isupper() else c for c in cls.__name__).strip()
