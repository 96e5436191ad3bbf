"""Back up a whole database to a portable file and restore it, SQLite <-> PostgreSQL.

The file is JSON lines (gzip-compressed when its name ends in .gz):

    {"format": "trainmaster-backup", "version": 1, "revisions": [...], "tables": [...], ...}
    {"table": "arts", "columns": ["id", "name", ...], "rows": 2}
    [1, "Payments ART", ...]                 one line per row, values typed by column
    ...
    {"end": true, "rows": {"arts": 2, ...}}

Tables come in dependency order (parents first), rows in primary-key order. Time stamps
are ISO 8601 with their offset, dates ISO dates, JSON columns JSON; numbers, booleans and
strings as themselves, so nothing depends on the engine the backup came from.

A restore goes into an empty database at the same schema revisions, in one transaction:
references to rows not loaded yet (a work item's parent with a higher id) are filled in
after the rows exist, and PostgreSQL's id sequences are moved past the restored ids.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    DateTime,
    Engine,
    Enum,
    LargeBinary,
    Table,
    bindparam,
    func,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError

from trainmaster.domain.access import Actor
from trainmaster.domain.errors import Conflict, Forbidden, Invalid, NotFound
from trainmaster.storage import migrate
from trainmaster.storage.schema import all_metadata

FORMAT = "trainmaster-backup"
VERSION = 1
BATCH = 5000
Codec = Callable[[Any], Any]


@dataclass(frozen=True)
class BackupSummary:
    path: str
    backend: str
    revisions: list[str]
    rows: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _require_admin(actor: Actor, what: str) -> None:
    if not actor.is_admin:
        raise Forbidden(f"only an administrator may {what} the database")


def _open(path: Path, mode: str) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, mode + "t", encoding="utf-8")  # type: ignore[return-value]
    return path.open(mode, encoding="utf-8")


def _kind(table: Table, name: str) -> Any:
    column_type = table.c[name].type
    return getattr(column_type, "impl", column_type)


def _encoder(kind: Any) -> Codec:
    if isinstance(kind, DateTime | Date):
        return lambda v: None if v is None else v.isoformat()
    if isinstance(kind, LargeBinary):
        return lambda v: None if v is None else base64.b64encode(v).decode()
    return lambda v: v


def _decoder(kind: Any) -> Codec:
    if isinstance(kind, DateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(kind, Date):
        return lambda v: None if v is None else date.fromisoformat(v)
    if isinstance(kind, LargeBinary):
        return lambda v: None if v is None else base64.b64decode(v)
    if isinstance(kind, Enum) and kind.enum_class is not None:
        enum_class = kind.enum_class
        return lambda v: None if v is None else enum_class(v)
    if isinstance(kind, Boolean):
        return lambda v: None if v is None else bool(v)
    return lambda v: v


def backup_database(engine: Engine, actor: Actor, path: str | Path, *, at: datetime
                    ) -> BackupSummary:
    """Write every table of the schema to `path`, from one consistent snapshot."""
    _require_admin(actor, "back up")
    path = Path(path)
    tables = all_metadata().sorted_tables
    revisions = sorted(migrate.current_revisions(engine))
    counts: dict[str, int] = {}
    connection = engine.connect()
    if engine.dialect.name == "postgresql":
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
    with connection, connection.begin(), _open(path, "w") as out:
        out.write(json.dumps({
            "format": FORMAT, "version": VERSION, "created_at": at.isoformat(),
            "backend": engine.dialect.name, "revisions": revisions,
            "tables": [{"name": t.name, "columns": [c.name for c in t.columns]} for t in tables],
        }) + "\n")
        for table in tables:
            counts[table.name] = _dump(connection, table, out)
        out.write(json.dumps({"end": True, "rows": counts}) + "\n")
    return BackupSummary(str(path), engine.dialect.name, revisions, counts)


def _dump(connection: Connection, table: Table, out: IO[str]) -> int:
    names = [c.name for c in table.columns]
    encoders = [_encoder(_kind(table, n)) for n in names]
    total = connection.scalar(select(func.count()).select_from(table)) or 0
    out.write(json.dumps({"table": table.name, "columns": names, "rows": total}) + "\n")
    result = connection.execution_options(stream_results=True, yield_per=BATCH).execute(
        select(table).order_by(*table.primary_key.columns))
    written = 0
    for row in result:
        out.write(json.dumps([enc(v) for enc, v in zip(encoders, row, strict=True)],
                             ensure_ascii=False, allow_nan=True) + "\n")
        written += 1
    return written


def restore_database(engine: Engine, actor: Actor, path: str | Path) -> BackupSummary:
    """Load a backup into an empty database at the same schema revisions (all or nothing)."""
    _require_admin(actor, "restore")
    path = Path(path)
    if not path.exists():
        raise NotFound(f"no backup file {str(path)!r}")
    metadata = all_metadata()
    with _open(path, "r") as source:
        lines = iter(source)
        header = _header(lines, path)
        _check_revisions(header, sorted(migrate.current_revisions(engine)))
        with engine.begin() as connection:
            _check_empty(connection, metadata.sorted_tables)
            counts = _Loader(connection, metadata.tables).load(lines, path)
            if engine.dialect.name == "postgresql":
                _reset_sequences(connection, metadata.sorted_tables)
    return BackupSummary(str(path), str(header.get("backend")), header["revisions"], counts)


def _header(lines: Iterator[str], path: Path) -> dict[str, Any]:
    try:
        header = json.loads(next(lines, "") or "null")
    except (json.JSONDecodeError, UnicodeDecodeError, OSError, EOFError) as exc:
        raise Invalid(f"{path} is not a trainmaster backup ({exc})", field="file") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise Invalid(f"{path} is not a trainmaster backup", field="file")
    if header.get("version") != VERSION:
        raise Invalid(f"{path} is a backup of format version {header.get('version')}; this "
                      f"trainmaster reads version {VERSION}", field="file")
    return header


def _check_revisions(header: dict[str, Any], current: list[str]) -> None:
    if header.get("revisions") != current:
        raise Invalid(f"the backup is of schema revisions "
                      f"{', '.join(header.get('revisions') or ['none'])} but "
                      f"this database is at {', '.join(current) or 'none'}: restore with the "
                      "trainmaster version that made the backup", field="revisions")


def _check_empty(connection: Connection, tables: list[Table]) -> None:
    for table in tables:
        count = connection.scalar(select(func.count()).select_from(table)) or 0
        if count:
            raise Conflict(f"the database is not empty (table {table.name} has {count} "
                           f"row{'s' if count > 1 else ''}): restore into an empty database")


class _Loader:
    """Inserts the sections in file order; forward references are filled in at the end."""

    def __init__(self, connection: Connection, tables: Any) -> None:
        self.connection = connection
        self.tables = tables
        self.loaded: set[str] = set()
        self.later: list[tuple[Table, str, list[dict[str, Any]]]] = []
        self.counts: dict[str, int] = {}
        self.line = 1

    def _next(self, lines: Iterator[str], path: Path) -> Any:
        self.line += 1
        line = next(lines, None)
        if line is None:
            raise Invalid(f"{path} ends early at line {self.line}: the backup was cut off",
                          field="file")
        try:
            return json.loads(line)
        except json.JSONDecodeError:
            raise Invalid(f"{path} line {self.line} is not JSON: the backup is damaged",
                          field="file") from None

    def load(self, lines: Iterator[str], path: Path) -> dict[str, int]:
        while True:
            record = self._next(lines, path)
            if isinstance(record, dict) and record.get("end"):
                self._finish(record, path)
                return self.counts
            if not isinstance(record, dict) or "table" not in record:
                raise Invalid(f"{path} line {self.line}: expected a table section", field="file")
            self._section(record, lines, path)

    def _section(self, record: dict[str, Any], lines: Iterator[str], path: Path) -> None:
        name = record["table"]
        table = self.tables.get(name)
        if table is None or [c.name for c in table.columns] != record["columns"]:
            raise Invalid(f"{path} line {self.line}: table {name} does not match this schema",
                          field="file")
        decoders = [_decoder(_kind(table, c)) for c in record["columns"]]
        forward = [c.name for c in table.columns if c.nullable and any(
            fk.column.table.name not in self.loaded for fk in c.foreign_keys)]
        batch: list[dict[str, Any]] = []
        for _ in range(int(record["rows"])):
            values = self._next(lines, path)
            if not isinstance(values, list) or len(values) != len(decoders):
                raise Invalid(f"{path} line {self.line}: not a row of {name}", field="file")
            batch.append({c: dec(v) for c, dec, v in zip(record["columns"], decoders, values,
                                                         strict=True)})
            if len(batch) == BATCH:
                self._insert(table, batch, forward)
                batch = []
        self._insert(table, batch, forward)
        self.loaded.add(name)
        self.counts[name] = int(record["rows"])

    def _insert(self, table: Table, rows: list[dict[str, Any]], forward: list[str]) -> None:
        if not rows:
            return
        for column in forward:
            pending = [{"_id": r["id"], "_value": r[column]} for r in rows
                       if r.get(column) is not None]
            if pending:
                self.later.append((table, column, pending))
            for r in rows:
                r[column] = None
        try:
            self.connection.execute(table.insert(), rows)
        except DBAPIError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise Invalid(f"a row of table {table.name} does not fit this database: {reason}",
                          field="file") from None

    def _finish(self, record: dict[str, Any], path: Path) -> None:
        if record.get("rows") != self.counts:
            raise Invalid(f"{path}: the tables read do not match the backup's own count",
                          field="file")
        for table, column, pending in self.later:
            statement = (update(table).where(table.c.id == bindparam("_id"))
                         .values({column: bindparam("_value")}))
            self.connection.execute(statement, pending)


def _reset_sequences(connection: Connection, tables: list[Table]) -> None:
    """Move every id sequence past the restored ids (nextval gives max(id) + 1)."""
    for table in tables:
        if "id" not in table.c or not table.c.id.autoincrement:
            continue
        connection.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM \"{table.name}\""))
