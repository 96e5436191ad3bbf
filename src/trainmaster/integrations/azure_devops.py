"""Azure DevOps Boards over its REST API (api-version 7.1).

What is read (docs/import.md has the field mapping):
- GET  {project}/_apis/wit/classificationnodes/Iterations: sprint dates by iteration path;
- POST {project}/_apis/wit/wiql?timePrecision=true&$top=N: ids, paged by id so the
  20,000-result cap of WIQL never bites; only items with [System.ChangedDate] >= the last
  sync are asked for;
- POST {project}/_apis/wit/workitemsbatch with $expand=Relations, 200 ids at a time:
  fields, parent (System.LinkTypes.Hierarchy-Reverse) and dependency
  (System.LinkTypes.Dependency-Forward/Reverse) links;
- GET  {project}/_apis/wit/workItems/{id}/updates ($top/$skip pages): the state history.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from trainmaster.domain.errors import Invalid
from trainmaster.domain.sync import ImportMapping, Link, SourceItem, Sprint, Transition
from trainmaster.integrations.http import Credentials, RetryingClient, RetryPolicy
from trainmaster.integrations.values import (
    html_text,
    parse_optional_timestamp,
    parse_points,
    parse_timestamp,
)

Progress = Callable[[str, int, int | None], None]
API = {"api-version": "7.1"}
PARENT = "System.LinkTypes.Hierarchy-Reverse"
SUCCESSOR = "System.LinkTypes.Dependency-Forward"     # the target depends on this item
PREDECESSOR = "System.LinkTypes.Dependency-Reverse"   # this item depends on the target
BATCH = 200


@dataclass(frozen=True)
class AzureScope:
    """The [azure] section of a mapping file."""

    url: str                       # https://dev.azure.com/{organization}
    project: str
    area_paths: tuple[str, ...] = ()
    wiql: str = ""                 # extra WIQL condition, ANDed
    points_fields: tuple[str, ...] = ("Microsoft.VSTS.Scheduling.StoryPoints",
                                      "Microsoft.VSTS.Scheduling.Effort",
                                      "Microsoft.VSTS.Scheduling.Size")
    key_prefix: str = "AB#"
    page_size: int = 10000

    def describe(self) -> str:
        return (f"project={self.project};areas={','.join(sorted(self.area_paths))};"
                f"wiql={self.wiql.strip()}")


def connect(scope: AzureScope, mapping: ImportMapping, token: str, *,
            policy: RetryPolicy | None = None) -> AzureSource:
    """A source over Azure DevOps with a personal access token (basic auth, empty user)."""
    if not token:
        raise Invalid("give the Azure DevOps personal access token", field="token")
    return AzureSource(RetryingClient(scope.url, Credentials(token, ""), policy=policy), scope,
                       mapping)


class AzureSource:
    """Fetches a project's work items (only those changed since a time) as SourceItems."""

    kind = "azure"

    def __init__(self, http: RetryingClient, scope: AzureScope, mapping: ImportMapping,
                 *, workers: int = 4, updates_page: int = 200) -> None:
        if not scope.project.strip():
            raise Invalid("name the project in [azure]", field="azure.project")
        self.http = http
        self.scope = scope
        self.mapping = mapping
        self.workers = workers
        self.updates_page = updates_page
        self.location = f"{scope.url.rstrip('/')}/{scope.project}"
        self.scope_text = scope.describe()
        self._base = f"/{quote(scope.project)}/_apis/wit"

    def close(self) -> None:
        self.http.close()

    def fetch(self, since: datetime | None, progress: Progress | None = None
              ) -> list[SourceItem]:
        sprints = self.sprints()
        ids = self.ids(since)
        out: list[SourceItem] = []
        with ThreadPoolExecutor(self.workers) as pool:
            for start in range(0, len(ids), BATCH):
                raws = self.batch(ids[start:start + BATCH])
                histories = pool.map(self.updates, [r.get("id") for r in raws])
                for raw, updates in zip(raws, histories, strict=True):
                    out.append(parse_work_item(raw, updates, self.scope, sprints))
                if progress:
                    progress("fetch", len(out), len(ids))
        return out

    def ids(self, since: datetime | None) -> list[int]:
        """Every matching id, asked for in id order, one WIQL page after the other."""
        found: list[int] = []
        while True:
            answer = self.http.post_json(
                f"{self._base}/wiql", {"query": self.wiql(since, found[-1] if found else 0)},
                {**API, "timePrecision": "true", "$top": self.scope.page_size}) or {}
            page = [int(w["id"]) for w in answer.get("workItems") or [] if "id" in w]
            found.extend(page)
            if len(page) < self.scope.page_size:
                return found

    def wiql(self, since: datetime | None, after: int) -> str:
        where = ["[System.TeamProject] = @project", f"[System.Id] > {after}"]
        if self.scope.area_paths:
            areas = " OR ".join(f"[System.AreaPath] UNDER '{_quote(a)}'"
                                for a in self.scope.area_paths)
            where.append(f"({areas})")
        if self.scope.wiql.strip():
            where.append(f"({self.scope.wiql.strip()})")
        if since is not None:
            stamp = (since - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
            where.append(f"[System.ChangedDate] >= '{stamp}'")
        return f"SELECT [System.Id] FROM WorkItems WHERE {' AND '.join(where)} ORDER BY [System.Id]"

    def batch(self, ids: list[int]) -> list[dict[str, Any]]:
        answer = self.http.post_json(f"{self._base}/workitemsbatch",
                                     {"ids": ids, "$expand": "Relations", "errorPolicy": "Omit"},
                                     API) or {}
        return [w for w in answer.get("value") or [] if isinstance(w, dict)]

    def updates(self, item_id: Any) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        while True:
            page = self.http.get_json(f"{self._base}/workItems/{item_id}/updates",
                                      {**API, "$top": self.updates_page, "$skip": len(out)}) or {}
            values = page.get("value") or []
            out.extend(values)
            if len(values) < self.updates_page:
                return out

    def sprints(self) -> dict[str, Sprint]:
        """Iteration path (as work items carry it) -> sprint with its dates."""
        root = self.http.get_json(f"{self._base}/classificationnodes/Iterations",
                                  {**API, "$depth": 20}) or {}
        out: dict[str, Sprint] = {}
        stack = [root]
        while stack:
            node = stack.pop()
            stack.extend(node.get("children") or [])
            path = _item_path(str(node.get("path") or ""))
            attrs = node.get("attributes") or {}
            if path:
                out[path.casefold()] = Sprint(
                    name=str(node.get("name", "")),
                    start=parse_optional_timestamp(attrs.get("startDate"), f"iteration {path}"),
                    end=parse_optional_timestamp(attrs.get("finishDate"), f"iteration {path}"))
        return out


def _item_path(node_path: str) -> str:
    """'\\Payments\\Iteration\\Sprint 1' (node) -> 'Payments\\Sprint 1' (work item field)."""
    parts = [p for p in node_path.split("\\") if p]
    if len(parts) >= 2 and parts[1].casefold() == "iteration":
        parts.pop(1)
    return "\\".join(parts)


def _quote(value: str) -> str:
    return value.replace("'", "''")


def parse_work_item(raw: dict[str, Any], updates: list[dict[str, Any]], scope: AzureScope,
                    sprints: dict[str, Sprint]) -> SourceItem:
    """One work item of a batch answer; errors name the item and the field."""
    if not isinstance(raw.get("id"), int):
        raise Invalid(f"a work item without an id ({str(raw)[:80]})", field="id")
    key = f"{scope.key_prefix}{raw['id']}"
    f = raw.get("fields")
    if not isinstance(f, dict):
        raise Invalid("the work item has no fields", field=f"{key}.fields")
    state = _required(f, "System.State", key)
    created = parse_timestamp(f.get("System.CreatedDate"), f"{key}.System.CreatedDate")
    iteration = str(f.get("System.IterationPath") or "")
    points = next((f[n] for n in scope.points_fields if f.get(n) is not None), None)
    links = _relations(key, raw.get("relations"), scope.key_prefix)
    return SourceItem(
        key=key, external_id=str(raw["id"]), title=_required(f, "System.Title", key),
        issue_type=_required(f, "System.WorkItemType", key), status=state, created=created,
        updated=parse_timestamp(f.get("System.ChangedDate"), f"{key}.System.ChangedDate"),
        url=f"{scope.url.rstrip('/')}/{quote(scope.project)}/_workitems/edit/{raw['id']}",
        description=html_text(f.get("System.Description")),
        points=parse_points(points, f"{key}.points"), parent_key=links[0],
        project=str(f.get("System.TeamProject") or scope.project),
        area_path=str(f.get("System.AreaPath") or ""),
        labels=tuple(t.strip() for t in str(f.get("System.Tags") or "").split(";") if t.strip()),
        sprints=_sprint(iteration, sprints), links=links[1],
        history=_history(key, created, state, updates))


def _required(f: dict[str, Any], name: str, key: str) -> str:
    value = f.get(name)
    if not isinstance(value, str) or not value.strip():
        raise Invalid(f"{value!r} is missing or empty", field=f"{key}.{name}")
    return value


def _relations(key: str, relations: Any, prefix: str) -> tuple[str | None, tuple[Link, ...]]:
    parent = None
    links = []
    for rel in relations or ():
        kind, url = rel.get("rel"), str(rel.get("url") or "")
        target = url.rstrip("/").rsplit("/", 1)[-1]
        if not target.isdigit():
            continue
        other = f"{prefix}{target}"
        if kind == PARENT:
            parent = other
        elif kind == SUCCESSOR:
            links.append(Link(provider=key, consumer=other, kind="Successor"))
        elif kind == PREDECESSOR:
            links.append(Link(provider=other, consumer=key, kind="Predecessor"))
    return parent, tuple(links)


def _sprint(path: str, sprints: dict[str, Sprint]) -> tuple[Sprint, ...]:
    if "\\" not in path:  # the project root is no sprint
        return ()
    found = sprints.get(path.casefold())
    return (found or Sprint(name=path.rsplit("\\", 1)[-1]),)


def _history(key: str, created: datetime, state: str, updates: list[dict[str, Any]]
             ) -> tuple[Transition, ...]:
    changes = []
    for u in sorted(updates, key=lambda u: int(u.get("rev") or u.get("id") or 0)):
        fields = u.get("fields") or {}
        change = fields.get("System.State") or {}
        if not change.get("newValue"):
            continue
        when = (fields.get("System.ChangedDate") or {}).get("newValue") or u.get("revisedDate")
        at = parse_timestamp(when, f"{key}.updates[{u.get('id')}]")
        changes.append(Transition(at, str(change["newValue"]), change.get("oldValue")))
    if not changes:
        return (Transition(created, state),)
    if changes[0].from_status is not None:  # creation not in the updates: start from it
        changes.insert(0, Transition(created, changes[0].from_status))
    return tuple(changes)
