"""A tracker's CSV export as a table whose columns may repeat (Jira writes one `Sprint`,
`Labels` or `Component/s` column per value)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from trainmaster.domain.errors import Invalid, NotFound
from trainmaster.domain.sync import fold
from trainmaster.integrations.values import decode_text, parse_local_time


@dataclass
class CsvTable:
    name: str
    header: list[str]
    rows: list[tuple[int, list[str]]]               # (line number, cells)
    columns: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def read(cls, data: bytes, *, name: str, encoding: str = "utf-8") -> CsvTable:
        text = decode_text(data, encoding, name)
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(reader, None)
            if not header or not any(h.strip() for h in header):
                raise Invalid(f"{name} is empty: no header line", field="columns")
            rows = [(reader.line_num, row) for row in reader if any(c.strip() for c in row)]
        except csv.Error as exc:
            raise Invalid(f"{name} is not readable CSV near line {reader.line_num}: {exc}",
                          field="columns") from None
        table = cls(name=name, header=[h.strip() for h in header], rows=rows)
        for position, column in enumerate(table.header):
            table.columns.setdefault(fold(column), []).append(position)
        return table

    def has(self, column: str) -> bool:
        return fold(column) in self.columns

    def require(self, names: list[str], hint: str) -> None:
        missing = [n for n in names if not self.has(n)]
        if missing:
            raise Invalid(f"{self.name} lacks the column{'s' if len(missing) > 1 else ''} "
                          f"{', '.join(map(repr, missing))}; {hint}", field="columns")

    def one(self, row: list[str], column: str) -> str:
        """The first non-empty value of a (possibly repeated) column, or ''."""
        for position in self.columns.get(fold(column), ()):
            if position < len(row) and row[position].strip():
                return row[position].strip()
        return ""

    def many(self, row: list[str], column: str) -> tuple[str, ...]:
        """Every non-empty value across the column's repeats."""
        return tuple(row[p].strip() for p in self.columns.get(fold(column), ())
                     if p < len(row) and row[p].strip())

    def first_of(self, row: list[str], columns: list[str]) -> str:
        return next((v for v in (self.one(row, c) for c in columns) if v), "")

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        return iter(self.rows)


class DatedRows:
    """Reads rows of an export whose times are local to the mapping's time zone."""

    def __init__(self, table: CsvTable, formats: tuple[str, ...], timezone: str) -> None:
        self.table = table
        self.formats = formats
        self.zone = ZoneInfo(timezone)

    def _time(self, row: list[str], column: str, where: str) -> datetime:
        value = self.table.one(row, column)
        if not value:
            raise Invalid("is empty", field=f"{where}.{column}")
        return parse_local_time(value, self.formats, self.zone, f"{where}.{column}")

    def _optional_time(self, row: list[str], column: str, where: str) -> datetime | None:
        return self._time(row, column, where) if self.table.one(row, column) else None


def read_export(path: Path) -> bytes:
    """The bytes of an export file, or NotFound naming it."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"no file {str(path)!r}") from None
