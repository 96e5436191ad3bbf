"""Jira's "Export > CSV (all fields)" file, for trains that cannot reach Jira's API.

The layout is Jira's own: one column per field, repeated once per value for multi-value
fields (`Sprint`, `Labels`, `Component/s`, `Fix versions`, `Watchers`), custom fields as
`Custom field (Story Points)`, links as `Outward issue link (Blocks)` /
`Inward issue link (Blocks)`, the parent as `Parent` (the parent's issue id) with
`Parent summary`. Dates are written for people in the exporting user's zone and format
(default `24/Nov/25 9:03 AM`).

A CSV export carries no status history: each item gets its creation (in the mapping's
initial status) and, when it has left that status, the move into its current status at
`Status Category Changed` (or `Resolved` for done items, else `Updated`).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from trainmaster.domain.errors import Invalid
from trainmaster.domain.sync import (
    ImportMapping,
    Link,
    SourceItem,
    Sprint,
    StatusClass,
    Transition,
)
from trainmaster.integrations.csv_table import CsvTable, DatedRows, read_export
from trainmaster.integrations.values import parse_points

DATE_FORMATS = ("%d/%b/%y %I:%M %p", "%d/%b/%Y %I:%M %p", "%d/%b/%y %H:%M", "%d/%b/%Y %H:%M",
                "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%y %H:%M")
REQUIRED = ["Issue key", "Summary", "Issue Type", "Status", "Created"]
_LINK = re.compile(r"^(inward|outward) issue link \((.+)\)$", re.IGNORECASE)


class JiraCsvSource:
    """A Jira CSV export as a source of SourceItems (the whole file each time)."""

    kind = "jira-csv"

    def __init__(self, path: str | Path, mapping: ImportMapping, *, encoding: str = "utf-8",
                 date_format: str | None = None,
                 story_points: tuple[str, ...] = ("Story Points", "Story point estimate"),
                 base_url: str = "") -> None:
        self.path = Path(path)
        self.mapping = mapping
        self.encoding = encoding
        self.formats = (date_format, *DATE_FORMATS) if date_format else DATE_FORMATS
        self.story_points = story_points
        self.base_url = base_url.rstrip("/")
        self.location = self.path.name
        self.scope_text = "file"

    def fetch(self, since: datetime | None = None, progress: object = None) -> list[SourceItem]:
        data = read_export(self.path)
        return read_jira_csv(data, self.mapping, name=self.path.name, encoding=self.encoding,
                             formats=self.formats, story_points=self.story_points,
                             base_url=self.base_url)


def read_jira_csv(data: bytes, mapping: ImportMapping, *, name: str = "the file",
                  encoding: str = "utf-8", formats: tuple[str, ...] = DATE_FORMATS,
                  story_points: tuple[str, ...] = ("Story Points", "Story point estimate"),
                  base_url: str = "") -> list[SourceItem]:
    table = CsvTable.read(data, name=name, encoding=encoding)
    table.require(REQUIRED, "export with Jira's 'Export > CSV (all fields)'")
    reader = _Rows(table, mapping, formats, story_points, base_url)
    ids = {table.one(row, "Issue id"): table.one(row, "Issue key") for _, row in table}
    return [reader.item(line, row, ids) for line, row in table]


class _Rows(DatedRows):
    def __init__(self, table: CsvTable, mapping: ImportMapping, formats: tuple[str, ...],
                 story_points: tuple[str, ...], base_url: str) -> None:
        self.mapping = mapping
        super().__init__(table, formats, mapping.timezone)
        self.points = [f"Custom field ({n})" for n in story_points] + list(story_points)
        self.links = [(m.group(1).lower(), m.group(2), h) for h in dict.fromkeys(table.header)
                      if (m := _LINK.match(h))]
        self.base_url = base_url

    def item(self, line: int, row: list[str], ids: dict[str, str]) -> SourceItem:
        t = self.table
        key = t.one(row, "Issue key")
        where = f"{key or '?'} (line {line})"
        if not key:
            raise Invalid("the row has no issue key", field=f"line {line}.Issue key")
        created = self._time(row, "Created", where)
        updated = self._optional_time(row, "Updated", where) or created
        status = t.one(row, "Status")
        return SourceItem(
            key=key, external_id=t.one(row, "Issue id"), title=t.one(row, "Summary") or key,
            issue_type=_required(t.one(row, "Issue Type"), where, "Issue Type"),
            status=_required(status, where, "Status"), created=created, updated=updated,
            url=f"{self.base_url}/browse/{key}" if self.base_url else "",
            description=t.one(row, "Description"),
            points=parse_points(t.first_of(row, self.points), f"{where}.Story Points"),
            parent_key=self._parent(row, ids), project=t.one(row, "Project key"),
            components=t.many(row, "Component/s"), labels=t.many(row, "Labels"),
            fix_versions=t.many(row, "Fix versions") or t.many(row, "Fix Version/s"),
            sprints=tuple(Sprint(name=s) for s in t.many(row, "Sprint")),
            links=self._links(key, row),
            history=self._history(row, where, created, updated, status))

    def _parent(self, row: list[str], ids: dict[str, str]) -> str | None:
        t = self.table
        value = t.first_of(row, ["Parent key", "Parent", "Parent id", "Custom field (Parent Link)",
                                 "Custom field (Epic Link)"])
        if not value:
            return None
        return ids.get(value, None if value.isdigit() else value)

    def _links(self, key: str, row: list[str]) -> tuple[Link, ...]:
        out = []
        for direction, type_name, column in self.links:
            role = self.mapping.link_role(type_name, type_name)
            if role is None:
                continue
            for other in self.table.many(row, column):
                provides = (role == "provides") == (direction == "outward")
                provider, consumer = (key, other) if provides else (other, key)
                out.append(Link(provider=provider, consumer=consumer, kind=type_name))
        return tuple(out)

    def _history(self, row: list[str], where: str, created: datetime, updated: datetime,
                 status: str) -> tuple[Transition, ...]:
        status_class = self.mapping.status_class(status)
        first = status if status_class is StatusClass.TODO else self.mapping.initial_status
        history = [Transition(created, first)]
        if first != status:
            moved = (self._optional_time(row, "Status Category Changed", where)
                     or (self._optional_time(row, "Resolved", where)
                         if status_class is StatusClass.DONE else None) or updated)
            history.append(Transition(max(moved, created), status, first))
        return tuple(history)


def _required(value: str, where: str, column: str) -> str:
    if not value:
        raise Invalid("is empty", field=f"{where}.{column}")
    return value
