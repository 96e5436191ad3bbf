"""Jira Cloud over its REST API (v3, and the Agile API for boards).

What is read (docs/import.md has the field mapping):
- GET /rest/api/3/field: finds the story points, sprint, epic link and parent link custom
  fields by name or type, never by a hard-coded id;
- GET /rest/api/3/myself: the user's time zone, which JQL dates are read in;
- GET /rest/agile/1.0/board/{id}/configuration and /rest/api/3/filter/{id}: a board's JQL;
- GET /rest/api/3/search/jql (nextPageToken pages) with the changelog expanded; servers
  without it (Jira Data Center) get the classic GET /rest/api/3/search (startAt/total);
- GET /rest/api/3/issue/{key}/changelog pages when an issue's embedded changelog is cut.
Only issues updated since the last sync are asked for (`updated >= "yyyy-MM-dd HH:mm"`).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import lru_cache
from queue import Queue
from typing import Any
from zoneinfo import ZoneInfo

from trainmaster.domain.errors import Invalid, NotFound
from trainmaster.domain.sync import ImportMapping, Link, SourceItem, Sprint, Transition, fold
from trainmaster.integrations.http import Credentials, RetryingClient, RetryPolicy
from trainmaster.integrations.values import (
    adf_text,
    parse_optional_timestamp,
    parse_points,
    parse_timestamp,
)

Progress = Callable[[str, int, int | None], None]

BASE_FIELDS = ("summary", "issuetype", "status", "parent", "project", "created", "updated",
               "components", "labels", "fixVersions", "issuelinks", "description")
SPRINT_TYPE = "com.pyxis.greenhopper.jira:gh-sprint"
EPIC_LINK_TYPE = "com.pyxis.greenhopper.jira:gh-epic-link"
PARENT_LINK_TYPE = "com.atlassian.jpo:jpo-custom-field-parent"
_ORDER_BY = re.compile(r"\border\s+by\b.*$", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class JiraScope:
    """The [jira] section of a mapping file: where to look and what to take."""

    url: str
    email: str | None = None
    projects: tuple[str, ...] = ()
    boards: tuple[int, ...] = ()
    jql: str = ""
    story_points: tuple[str, ...] = ("Story Points", "Story point estimate")
    page_size: int = 100

    def describe(self) -> str:
        """The scope as stored with the sync state (a changed scope starts afresh)."""
        return (f"projects={','.join(sorted(self.projects))};"
                f"boards={','.join(str(b) for b in sorted(self.boards))};jql={self.jql.strip()}")


@dataclass(frozen=True)
class FieldMap:
    """Ids of the custom fields found through /rest/api/3/field."""

    story_points: tuple[str, ...]
    sprint: str | None = None
    epic_link: str | None = None
    parent_link: str | None = None
    names: dict[str, str] = field(default_factory=dict)   # id -> display name

    def request(self) -> list[str]:
        extra = [f for f in (self.sprint, self.epic_link, self.parent_link) if f]
        return [*BASE_FIELDS, *self.story_points, *extra]


def discover_fields(fields: list[dict[str, Any]], point_names: tuple[str, ...]) -> FieldMap:
    """Find the custom fields by name (story points, in the order given) or by type."""
    by_name: dict[str, list[str]] = {}
    by_type: dict[str, str] = {}
    names = {}
    for f in fields:
        fid, name = str(f.get("id", "")), str(f.get("name", ""))
        names[fid] = name
        by_name.setdefault(fold(name), []).append(fid)
        custom = (f.get("schema") or {}).get("custom")
        if custom:
            by_type.setdefault(custom, fid)
    points = tuple(fid for n in point_names for fid in by_name.get(fold(n), []))
    if not points:
        raise Invalid(f"Jira has no field named {' or '.join(map(repr, point_names))}; set "
                      "[jira] story_points to the name your Jira uses", field="story_points")

    def one(kind: str, name: str) -> str | None:
        return by_type.get(kind) or next(iter(by_name.get(fold(name), [])), None)

    return FieldMap(points, one(SPRINT_TYPE, "Sprint"), one(EPIC_LINK_TYPE, "Epic Link"),
                    one(PARENT_LINK_TYPE, "Parent Link"), names)


def connect(scope: JiraScope, mapping: ImportMapping, token: str, *, bearer: bool = False,
            policy: RetryPolicy | None = None) -> JiraSource:
    """A source over Jira: e-mail + API token (basic), or a personal access token (bearer)."""
    if not token:
        raise Invalid("give the Jira API token (or personal access token)", field="token")
    if not bearer and not scope.email:
        raise Invalid("give the e-mail that goes with the API token, or use a bearer token",
                      field="email")
    credentials = Credentials(token, None if bearer else scope.email)
    return JiraSource(RetryingClient(scope.url, credentials, policy=policy), scope, mapping)


class JiraSource:
    """Fetches a scope's issues (only those updated since a time) as SourceItems."""

    kind = "jira"

    def __init__(self, http: RetryingClient, scope: JiraScope, mapping: ImportMapping) -> None:
        if not (scope.projects or scope.boards or scope.jql.strip()):
            raise Invalid("name projects, boards or a jql filter in [jira]", field="jira")
        self.http = http
        self.scope = scope
        self.mapping = mapping
        self.location = scope.url.rstrip("/")
        self.scope_text = scope.describe()

    def close(self) -> None:
        self.http.close()

    def fetch(self, since: datetime | None, progress: Progress | None = None
              ) -> list[SourceItem]:
        fields = discover_fields(self.http.get_json("/rest/api/3/field"), self.scope.story_points)
        queries = self.queries(since)
        total = self._count(queries)
        found: dict[str, SourceItem] = {}
        done = 0
        for board, jql in queries:
            for raw in self._search(jql, fields):
                item = parse_issue(raw, fields, self.mapping, self.location, board)
                old = found.get(item.key)
                found[item.key] = item if old is None else _merge_boards(old, item)
                done += 1
                if progress:
                    progress("fetch", done, max(total or 0, done) if total else None)
        return list(found.values())

    def queries(self, since: datetime | None) -> list[tuple[int | None, str]]:
        """(board id or None, JQL) per search: one per board, one for the projects."""
        clauses = []
        if self.scope.jql.strip():
            clauses.append(f"({_strip_order(self.scope.jql)})")
        if since is not None:
            clauses.append(f'updated >= "{self._jql_time(since)}"')
        out: list[tuple[int | None, str]] = []
        for board in self.scope.boards:
            out.append((board, _and([f"({self.board_jql(board)})", *clauses])))
        if self.scope.projects:
            keys = ", ".join(f'"{p}"' for p in self.scope.projects)
            out.append((None, _and([f"project in ({keys})", *clauses])))
        if not out:
            out.append((None, _and(clauses)))
        return out

    def board_jql(self, board: int) -> str:
        config = self.http.get_json(f"/rest/agile/1.0/board/{board}/configuration")
        filter_id = (config.get("filter") or {}).get("id") if isinstance(config, dict) else None
        if filter_id is None:
            raise Invalid(f"board {board} has no saved filter", field="boards")
        jql = (self.http.get_json(f"/rest/api/3/filter/{filter_id}") or {}).get("jql")
        if not jql:
            raise Invalid(f"the filter of board {board} has no JQL", field="boards")
        return _strip_order(jql)

    def _jql_time(self, since: datetime) -> str:
        """JQL reads dates in the user's time zone, to the minute: round down."""
        me = self.http.get_json("/rest/api/3/myself") or {}
        zone = ZoneInfo(me.get("timeZone") or "UTC")
        return (since.astimezone(zone) - timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M")

    def _count(self, queries: list[tuple[int | None, str]]) -> int | None:
        total = 0
        for _, jql in queries:
            try:
                answer = self.http.post_json("/rest/api/3/search/approximate-count", {"jql": jql})
            except NotFound:
                return None
            total += int((answer or {}).get("count") or 0)
        return total

    def _search(self, jql: str, fields: FieldMap) -> Iterator[dict[str, Any]]:
        params = {"jql": f"{jql} ORDER BY created ASC", "fields": ",".join(fields.request()),
                  "expand": "changelog", "maxResults": self.scope.page_size}
        try:
            pages = _prefetched(self._token_pages(params))
            first = next(pages)
        except NotFound:  # no enhanced search (Jira Data Center): classic offset pages
            pages = self._offset_pages(params)
            first = next(pages)
        yield from self._complete(first)
        for page in pages:
            yield from self._complete(page)

    def _token_pages(self, params: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
        token = None
        while True:
            query = {**params, **({"nextPageToken": token} if token else {})}
            page = self.http.get_json("/rest/api/3/search/jql", query) or {}
            yield _issues(page)
            token = page.get("nextPageToken")
            if not token or page.get("isLast") is True:
                return

    def _offset_pages(self, params: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
        start = 0
        while True:
            page = self.http.get_json("/rest/api/3/search", {**params, "startAt": start}) or {}
            issues = _issues(page)
            yield issues
            start += len(issues)
            if not issues or start >= int(page.get("total") or 0):
                return

    def _complete(self, issues: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """Issues whose embedded changelog was cut get their whole changelog paged in."""
        for raw in issues:
            log = raw.get("changelog") or {}
            histories = log.get("histories") or []
            if int(log.get("total") or 0) > len(histories) and raw.get("key"):
                raw = {**raw, "changelog": {"histories": self.changelog(str(raw["key"]))}}
            yield raw

    def changelog(self, key: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        while True:
            page = self.http.get_json(f"/rest/api/3/issue/{key}/changelog",
                                      {"startAt": len(out), "maxResults": 100}) or {}
            values = page.get("values") or []
            out.extend(values)
            if not values or page.get("isLast") is True or len(out) >= int(page.get("total") or 0):
                return out


def _prefetched(pages: Iterator[Any], depth: int = 3) -> Iterator[Any]:
    """The pages of `pages`, fetched by a thread ahead of the reader (errors re-raised)."""
    queue: Queue[tuple[bool, Any]] = Queue(maxsize=depth)
    stop = threading.Event()

    def run() -> None:
        try:
            for page in pages:
                queue.put((True, page))
                if stop.is_set():
                    return
            queue.put((False, None))
        except Exception as exc:  # handed to the reader, who raises it  # noqa: BLE001
            queue.put((False, exc))

    threading.Thread(target=run, daemon=True).start()
    try:
        while True:
            more, value = queue.get()
            if not more:
                if value is not None:
                    raise value
                return
            yield value
    finally:
        stop.set()


def _issues(page: Any) -> list[dict[str, Any]]:
    if not isinstance(page, dict) or not isinstance(page.get("issues"), list):
        raise Invalid("the search answer has no list of issues", field="url")
    return page["issues"]


def _strip_order(jql: str) -> str:
    return _ORDER_BY.sub("", jql).strip()


def _and(clauses: list[str]) -> str:
    return " AND ".join(c for c in clauses if c)


def _merge_boards(old: SourceItem, new: SourceItem) -> SourceItem:
    return replace(new, boards=tuple(sorted(set(old.boards) | set(new.boards))))


def parse_issue(raw: dict[str, Any], fields: FieldMap, mapping: ImportMapping, base_url: str,
                board: int | None = None) -> SourceItem:
    """One issue of a search answer; errors name the issue and the field."""
    key = raw.get("key")
    if not isinstance(key, str) or not key:
        raise Invalid(f"an issue without a key (id {raw.get('id')!r})", field="key")
    f = raw.get("fields")
    if not isinstance(f, dict):
        raise Invalid("the issue has no fields", field=f"{key}.fields")
    status = _name(f, "status", key)
    created = parse_timestamp(f.get("created"), f"{key}.created")
    return SourceItem(
        key=key, external_id=str(raw.get("id", "")), url=f"{base_url}/browse/{key}",
        title=_text(f, "summary", key), issue_type=_name(f, "issuetype", key), status=status,
        created=created, updated=parse_timestamp(f.get("updated"), f"{key}.updated"),
        description=adf_text(f.get("description")), points=_points(f, fields, key),
        parent_key=_parent(f, fields), project=str((f.get("project") or {}).get("key", "")),
        boards=(board,) if board is not None else (),
        components=_names(f.get("components")), labels=tuple(map(str, f.get("labels") or ())),
        fix_versions=_names(f.get("fixVersions")),
        sprints=_sprints(f.get(fields.sprint) if fields.sprint else None, key),
        links=_links(key, f.get("issuelinks"), mapping),
        history=_history(key, created, status, (raw.get("changelog") or {}).get("histories")))


def _text(f: dict[str, Any], name: str, key: str) -> str:
    value = f.get(name)
    if not isinstance(value, str) or not value.strip():
        raise Invalid(f"{value!r} is not a {name}", field=f"{key}.{name}")
    return value


def _name(f: dict[str, Any], name: str, key: str) -> str:
    value = (f.get(name) or {}).get("name") if isinstance(f.get(name), dict) else None
    if not isinstance(value, str) or not value:
        raise Invalid(f"the issue has no {name} name", field=f"{key}.{name}")
    return value


def _names(values: Any) -> tuple[str, ...]:
    return tuple(str(v.get("name")) for v in values or () if isinstance(v, dict) and v.get("name"))


def _points(f: dict[str, Any], fields: FieldMap, key: str) -> float | None:
    for fid in fields.story_points:
        value = f.get(fid)
        if value is not None:
            return parse_points(value, f"{key}.{fields.names.get(fid, fid)}")
    return None


def _parent(f: dict[str, Any], fields: FieldMap) -> str | None:
    parent = f.get("parent")
    if isinstance(parent, dict) and parent.get("key"):
        return str(parent["key"])
    for fid in (fields.parent_link, fields.epic_link):
        value = f.get(fid) if fid else None
        if isinstance(value, dict):
            value = (value.get("data") or value).get("key")
        if isinstance(value, str) and value:
            return value
    return None


_SERVER_SPRINT = re.compile(r"(\w+)=([^,\]]*)")


def _sprints(value: Any, key: str) -> tuple[Sprint, ...]:
    out = []
    for s in value or ():
        if isinstance(s, str):  # Jira Server's "...Sprint@1f[id=1,name=...,startDate=...]"
            s = dict(_SERVER_SPRINT.findall(s.split("[", 1)[-1]))
            s = {k: (None if v == "<null>" else v) for k, v in s.items()}
        if not isinstance(s, dict) or not s.get("name"):
            continue
        try:
            out.append(_sprint(str(s["name"]), str(s.get("state") or "").lower(),
                               s.get("startDate"), s.get("endDate")))
        except Invalid as exc:
            raise Invalid(exc.message, field=f"{key}.sprint") from None
    return tuple(out)


@lru_cache(maxsize=4096)
def _sprint(name: str, state: str, start: Any, end: Any) -> Sprint:
    """Sprints repeat on every issue in them: read each once."""
    return Sprint(name=name, state=state, start=parse_optional_timestamp(start, "sprint"),
                  end=parse_optional_timestamp(end, "sprint"))


def _links(key: str, links: Any, mapping: ImportMapping) -> tuple[Link, ...]:
    out = []
    for link in links or ():
        kind = link.get("type") or {}
        role = mapping.link_role(str(kind.get("name", "")), str(kind.get("outward", "")))
        if role is None:
            continue
        outward = (link.get("outwardIssue") or {}).get("key")
        inward = (link.get("inwardIssue") or {}).get("key")
        name = str(kind.get("name", ""))
        if outward:   # this issue <outward verb> the other
            pair = (key, outward) if role == "provides" else (outward, key)
        elif inward:  # the other <outward verb> this issue
            pair = (inward, key) if role == "provides" else (key, inward)
        else:
            continue
        out.append(Link(provider=pair[0], consumer=pair[1], kind=name))
    return tuple(out)


def _history(key: str, created: datetime, status: str, histories: Any
             ) -> tuple[Transition, ...]:
    """The status path: the first status at creation, then every status change in time order."""
    changes = []
    for h in histories or ():
        for it in h.get("items") or ():
            if it.get("fieldId") == "status" or it.get("field") == "status":
                at = parse_timestamp(h.get("created"), f"{key}.changelog")
                changes.append(Transition(at, str(it.get("toString") or ""),
                                          it.get("fromString")))
    changes.sort(key=lambda t: t.at)
    first = (changes[0].from_status if changes else None) or status
    return (Transition(created, first), *(c for c in changes if c.to_status))
