"""Every kind of stored domain object, by the name its repository has on a unit of work."""

from __future__ import annotations

from trainmaster.domain.access import ApiToken, RoleGrant, User, WebSession
from trainmaster.domain.action import ActionItem
from trainmaster.domain.art import Absence, Art, Holiday, Membership, Person, Portfolio, Team
from trainmaster.domain.dependency import Dependency, DependencyEvent
from trainmaster.domain.event import Event
from trainmaster.domain.impediment import Impediment, ImpedimentStep
from trainmaster.domain.job import Job
from trainmaster.domain.objective import Objective
from trainmaster.domain.pi import Iteration, Pi
from trainmaster.domain.risk import Risk, RiskChange
from trainmaster.domain.work_item import StatusChange, WorkItem

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
}


def label(cls: type) -> str:
    """'WorkItem' -> 'work item', for messages."""
    return "".join(" " + c.lower() if c.isupper() else c for c in cls.__name__).strip()
