"""Bringing a tracker's items in: what a source says about an item, how it maps onto the
train, and the sync state kept per source.

A `SourceItem` is one issue (Jira) or work item (Azure DevOps) as the tracker describes it,
independent of the tracker. An `ImportMapping` (read from a TOML file) says which team and
ART it belongs to, which level and work type its type is, and how its statuses count for
flow (not started / active / waiting / done). The stored side keeps one `SyncSource` per
tracker scope (its last sync time), one `ExternalItem` per imported work item (what the
tracker holds beyond trainmaster's fields) and one `ImportRun` per import.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from trainmaster.domain.errors import Invalid, require
from trainmaster.domain.work_item import ItemLevel, KanbanState, WorkType


class StatusClass(StrEnum):
    """How a status counts for the flow metrics (DOMAIN.md, Flow metrics)."""

    TODO = "todo"          # not started
    ACTIVE = "active"      # started, being worked on
    WAITING = "waiting"    # started, queued or blocked (inactive for flow efficiency)
    DONE = "done"

    @property
    def started(self) -> bool:
        return self in (StatusClass.ACTIVE, StatusClass.WAITING)


@dataclass(frozen=True)
class Sprint:
    name: str
    start: datetime | None = None
    end: datetime | None = None
    state: str = ""


@dataclass(frozen=True)
class Transition:
    """One status change as the tracker recorded it; the first has no `from_status`.

    It holds StatusChange's invariants (an aware time, a named status), so what an import
    derives from it can be stored as a status change without checking again.
    """

    at: datetime
    to_status: str
    from_status: str | None = None

    def __post_init__(self) -> None:
        require(self.at.tzinfo is not None, "must carry a time zone", field="at")
        require(bool(self.to_status), "must not be empty", field="to_status")


@dataclass(frozen=True)
class Link:
    """A dependency found in the tracker: `consumer` needs `provider` (external keys)."""

    provider: str
    consumer: str
    kind: str = ""


@dataclass(frozen=True)
class SourceItem:
    """An issue or work item as the tracker describes it."""

    key: str
    title: str
    issue_type: str
    status: str
    created: datetime
    updated: datetime
    external_id: str = ""
    url: str = ""
    description: str = ""
    points: float | None = None
    parent_key: str | None = None
    project: str = ""
    area_path: str = ""
    boards: tuple[int, ...] = ()
    components: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    fix_versions: tuple[str, ...] = ()
    sprints: tuple[Sprint, ...] = ()
    links: tuple[Link, ...] = ()
    history: tuple[Transition, ...] = ()

    def __post_init__(self) -> None:
        require(bool(self.key.strip()), "must not be empty", field="key")
        for name in ("created", "updated"):
            require(getattr(self, name).tzinfo is not None, "must carry a time zone",
                    field=f"{self.key}.{name}")


def fold(name: str) -> str:
    """Status and type names compare without case and surrounding blanks."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class TeamRule:
    """Which tracker containers hold a team's items; the first rule that matches wins.

    Within a rule a board, component or label match counts before a project or area path,
    so several teams can share one project and be told apart by component or label.
    """

    name: str
    projects: frozenset[str] = frozenset()
    boards: frozenset[int] = frozenset()
    components: frozenset[str] = frozenset()
    labels: frozenset[str] = frozenset()
    area_paths: tuple[str, ...] = ()

    def specific_match(self, item: SourceItem) -> bool:
        return (bool(self.boards.intersection(item.boards))
                or bool(self.components.intersection(fold(c) for c in item.components))
                or bool(self.labels.intersection(fold(lb) for lb in item.labels)))

    def area_match(self, item: SourceItem) -> int:
        """Length of the longest area path prefix matching the item (0 when none)."""
        path = fold(item.area_path)
        best = 0
        for prefix in self.area_paths:
            if path == prefix or path.startswith(prefix + "\\"):
                best = max(best, len(prefix))
        return best


@dataclass(frozen=True)
class ImportMapping:
    """How a tracker's items become the train's work items (one ART per mapping)."""

    art_key: str
    art_name: str = ""
    timezone: str = "UTC"
    teams: tuple[TeamRule, ...] = ()
    statuses: dict[str, StatusClass] = field(default_factory=dict)   # folded name -> class
    initial_status: str = "To Do"
    levels: dict[str, ItemLevel] = field(default_factory=dict)       # folded type -> level
    work_types: dict[str, WorkType] = field(default_factory=dict)    # folded type -> type
    kanban: dict[str, KanbanState] = field(default_factory=dict)     # folded status -> state
    provides: frozenset[str] = frozenset({"blocks"})
    needs: frozenset[str] = frozenset({"depends on", "dependency", "depends"})
    pi_from_fix_version: bool = True
    iteration_from_sprint: bool = True
    _teams_seen: dict[tuple[Any, ...], str | None] = field(
        default_factory=dict, init=False, compare=False, repr=False)

    def team_for(self, item: SourceItem) -> str | None:
        """The team of the first rule matching the item (items alike share the answer)."""
        signature = (item.project, item.boards, item.components, item.labels, item.area_path)
        if signature not in self._teams_seen:
            self._teams_seen[signature] = self._team_for(item)
        return self._teams_seen[signature]

    def _team_for(self, item: SourceItem) -> str | None:
        for rule in self.teams:
            if rule.specific_match(item):
                return rule.name
        project = fold(item.project)
        for rule in self.teams:
            if project and project in rule.projects:
                return rule.name
        scored = [(rule.area_match(item), rule.name) for rule in self.teams]
        best = max(scored, default=(0, None), key=lambda s: s[0])
        return best[1] if best[0] else None

    def level_of(self, issue_type: str) -> ItemLevel | None:
        return self.levels.get(fold(issue_type))

    def work_type_of(self, issue_type: str) -> WorkType:
        return self.work_types.get(fold(issue_type), WorkType.BUSINESS)

    def status_class(self, status: str) -> StatusClass:
        return self.statuses.get(fold(status), StatusClass.TODO)

    def kanban_state(self, status: str) -> KanbanState:
        """A feature's ART Kanban state: named in [kanban], else by the status's class."""
        named = self.kanban.get(fold(status))
        if named is not None:
            return named
        return {StatusClass.DONE: KanbanState.DONE, StatusClass.ACTIVE: KanbanState.IMPLEMENTING,
                StatusClass.WAITING: KanbanState.IMPLEMENTING}.get(self.status_class(status),
                                                                   KanbanState.FUNNEL)

    def item_status(self, level: ItemLevel, status: str) -> str:
        """What trainmaster stores as status: Kanban state for features, else the name."""
        return self.kanban_state(status).value if level is ItemLevel.FEATURE else status

    def link_role(self, type_name: str, outward: str) -> str | None:
        """'provides' when the outward side of this link type provides, 'needs' when it
        needs, None for links that are not dependencies (relates to, clones, ...)."""
        names = {fold(type_name), fold(outward)}
        if names & self.provides:
            return "provides"
        if names & self.needs:
            return "needs"
        return None

    def status_names(self) -> dict[str, str]:
        """Folded status name -> class value, as stored for the flow metrics."""
        return {name: cls.value for name, cls in sorted(self.statuses.items())}


def check_status_classes(started: set[str], active: set[str], waiting: set[str],
                         done: set[str]) -> dict[str, StatusClass]:
    """Status classes from the mapping's lists (folded names).

    `started` defaults to active + waiting; a started status in neither list counts as
    active. A status may not be both done and started, nor both active and waiting.
    """
    both = active & waiting
    require(not both, f"{sorted(both)} cannot be both active and waiting", field="statuses")
    clash = done & (started | active | waiting)
    require(not clash, f"{sorted(clash)} cannot be both done and started", field="statuses")
    classes = {name: StatusClass.ACTIVE for name in started | active}
    classes.update({name: StatusClass.WAITING for name in waiting})
    classes.update({name: StatusClass.DONE for name in done})
    return classes


def parse_kanban(values: dict[str, Any]) -> dict[str, KanbanState]:
    out: dict[str, KanbanState] = {}
    for status, state in values.items():
        try:
            out[fold(status)] = KanbanState(str(state).strip().lower())
        except ValueError:
            allowed = ", ".join(s.value for s in KanbanState)
            raise Invalid(f"{state!r} for status {status!r} is not an ART Kanban state "
                          f"({allowed})", field="kanban") from None
    return out


class SourceKind(StrEnum):
    JIRA = "jira"
    AZURE = "azure"
    JIRA_CSV = "jira-csv"
    AZURE_CSV = "azure-csv"


@dataclass
class SyncSource:
    """One tracker scope feeding one ART; `last_sync_at` is the newest `updated` seen."""

    art_id: int
    kind: str
    location: str
    scope: str
    created_at: datetime
    last_sync_at: datetime | None = None
    last_run_at: datetime | None = None
    status_classes: dict[str, str] = field(default_factory=dict)
    item_count: int = 0
    scope_key: str = ""
    id: int | None = None

    def __post_init__(self) -> None:
        self.kind = SourceKind(self.kind).value
        require(bool(self.location.strip()), "must not be empty", field="location")
        self.scope_key = scope_key(self.scope)


def scope_key(scope: str) -> str:
    """A short fixed-length key for a (possibly long) scope description."""
    return hashlib.sha256(scope.encode()).hexdigest()


LIST_FIELDS = ("sprints", "components", "labels", "fix_versions")


@dataclass
class ExternalItem:
    """What the tracker holds about an imported work item beyond trainmaster's fields.

    `lists` keeps the item's sprints, components, labels and fix versions by those names
    (empty lists left out).
    """

    item_id: int
    source_id: int
    external_id: str = ""
    url: str = ""
    issue_type: str = ""
    source_status: str = ""
    project: str = ""
    area_path: str = ""
    lists: dict[str, list[str]] = field(default_factory=dict)
    source_updated_at: datetime | None = None
    id: int | None = None

    @property
    def sprints(self) -> list[str]:
        return list(self.lists.get("sprints", []))

    @property
    def components(self) -> list[str]:
        return list(self.lists.get("components", []))

    @property
    def labels(self) -> list[str]:
        return list(self.lists.get("labels", []))

    @property
    def fix_versions(self) -> list[str]:
        return list(self.lists.get("fix_versions", []))


@dataclass
class ImportRun:
    """One import (dry runs are not recorded) with what it created and changed."""

    source_id: int
    started_at: datetime
    finished_at: datetime
    counts: dict[str, int] = field(default_factory=dict)
    by_user_id: int | None = None
    id: int | None = None
