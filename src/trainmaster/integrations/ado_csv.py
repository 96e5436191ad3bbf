"""Azure DevOps' query export ("Export to CSV") as an offline source.

Columns carry the fields' display names: `ID`, `Work Item Type`, `Title`, `State`,
`Area Path`, `Iteration Path`, `Tags`, `Story Points` / `Effort` / `Size`, `Parent`,
`Created Date`, `Changed Date`, `Activated Date`, `Resolved Date`, `Closed Date`,
`State Change Date`. A tree query writes `Title 1`, `Title 2`, ... instead of `Title`: a
row's title column is its depth and its parent is the nearest row above one level up.
Dates are in the exporting user's format (default `1/15/2024 10:23:45 AM`).

A CSV export carries no full state history: an item gets its creation (in the mapping's
initial status), `Activated Date` as the move to `Active`, and the move into its current
state at `Closed Date`/`Resolved Date` (done items), `State Change Date` or `Changed Date`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from trainmaster.domain.errors import Invalid
from trainmaster.domain.sync import ImportMapping, SourceItem, Sprint, StatusClass, Transition
from trainmaster.integrations.csv_table import CsvTable, DatedRows, read_export
from trainmaster.integrations.values import parse_points

DATE_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M:%S",
                "%m/%d/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M:%S",
                "%d.%m.%Y %H:%M")
REQUIRED = ["ID", "Work Item Type", "State", "Created Date"]
POINTS = ["Story Points", "Effort", "Size"]
ACTIVATED = "Active"
HINT = ("add the column(s) to the query's column options before 'Export to CSV' "
        "(ID, Work Item Type, Title, State, Created Date at least)")


class AzureCsvSource:
    kind = "azure-csv"

    def __init__(self, path: str | Path, mapping: ImportMapping, *, encoding: str = "utf-8",
                 date_format: str | None = None, key_prefix: str = "AB#") -> None:
        self.path = Path(path)
        self.mapping = mapping
        self.encoding = encoding
        self.formats = (date_format, *DATE_FORMATS) if date_format else DATE_FORMATS
        self.key_prefix = key_prefix
        self.location = self.path.name
        self.scope_text = "file"

    def fetch(self, since: datetime | None = None, progress: object = None) -> list[SourceItem]:
        data = read_export(self.path)
        return read_azure_csv(data, self.mapping, name=self.path.name, encoding=self.encoding,
                              formats=self.formats, key_prefix=self.key_prefix)


def read_azure_csv(data: bytes, mapping: ImportMapping, *, name: str = "the file",
                   encoding: str = "utf-8", formats: tuple[str, ...] = DATE_FORMATS,
                   key_prefix: str = "AB#") -> list[SourceItem]:
    table = CsvTable.read(data, name=name, encoding=encoding)
    table.require(REQUIRED, HINT)
    titles = ["Title"] if table.has("Title") else []
    depth = 1
    while table.has(f"Title {depth}"):
        titles.append(f"Title {depth}")
        depth += 1
    if not titles:
        table.require(["Title"], HINT)
    reader = _Rows(table, mapping, formats, key_prefix)
    out: list[SourceItem] = []
    ancestors: dict[int, str] = {}
    for line, row in table:
        level = next((i for i, c in enumerate(titles) if table.one(row, c)), 0)
        parent = ancestors.get(level - 1) if titles != ["Title"] else None
        item = reader.item(line, row, table.one(row, titles[level]), parent)
        ancestors[level] = item.key
        out.append(item)
    return out


class _Rows(DatedRows):
    def __init__(self, table: CsvTable, mapping: ImportMapping, formats: tuple[str, ...],
                 key_prefix: str) -> None:
        self.mapping = mapping
        super().__init__(table, formats, mapping.timezone)
        self.prefix = key_prefix

    def item(self, line: int, row: list[str], title: str, tree_parent: str | None
             ) -> SourceItem:
        t = self.table
        raw_id = t.one(row, "ID")
        where = f"{self.prefix}{raw_id or '?'} (line {line})"
        if not raw_id.isdigit():
            raise Invalid(f"{raw_id!r} is not a work item id", field=f"{where}.ID")
        key = f"{self.prefix}{raw_id}"
        created = self._time(row, "Created Date", where)
        state = t.one(row, "State")
        if not state or not title:
            raise Invalid("is empty", field=f"{where}.{'State' if not state else 'Title'}")
        parent = t.one(row, "Parent")
        iteration = t.one(row, "Iteration Path")
        updated = self._optional_time(row, "Changed Date", where) or created
        return SourceItem(
            key=key, external_id=raw_id, title=title,
            issue_type=t.one(row, "Work Item Type") or "?", status=state, created=created,
            updated=updated,
            description=t.one(row, "Description"),
            points=parse_points(t.first_of(row, POINTS), f"{where}.Story Points"),
            parent_key=f"{self.prefix}{parent}" if parent.isdigit() else tree_parent,
            project=t.one(row, "Team Project"), area_path=t.one(row, "Area Path"),
            labels=tuple(x.strip() for x in t.one(row, "Tags").split(";") if x.strip()),
            sprints=(Sprint(name=iteration.rsplit("\\", 1)[-1]),) if "\\" in iteration else (),
            history=self._history(row, where, created, updated, state))

    def _history(self, row: list[str], where: str, created: datetime, updated: datetime,
                 state: str) -> tuple[Transition, ...]:
        cls = self.mapping.status_class(state)
        first = state if cls is StatusClass.TODO else self.mapping.initial_status
        history = [Transition(created, first)]
        activated = self._optional_time(row, "Activated Date", where)
        if activated and cls is not StatusClass.TODO and first != ACTIVATED:
            history.append(Transition(max(activated, created), ACTIVATED, first))
        current = history[-1].to_status
        if state != current:
            moved = ((self._optional_time(row, "Closed Date", where)
                      or self._optional_time(row, "Resolved Date", where))
                     if cls is StatusClass.DONE else None)
            moved = moved or self._optional_time(row, "State Change Date", where) or updated
            history.append(Transition(max(moved, history[-1].at), state, current))
        return tuple(history)
