"""Repositories: the storage-side implementation of the core's repository interface."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Dialect, Table, delete, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trainmaster.domain.errors import Conflict, NotFound
from trainmaster.domain.job import Job, JobStatus
from trainmaster.domain.registry import label
from trainmaster.domain.work_item import StatusChange

T = TypeVar("T")


class SqlRepository(Generic[T]):
    """Add, get, find and remove one kind of domain object."""

    def __init__(self, session: Session, cls: type[T]) -> None:
        self.session = session
        self.cls = cls

    def add(self, obj: T) -> T:
        self.session.add(obj)
        self._flush()
        return obj

    def add_all(self, objs: Iterable[T]) -> None:
        self.session.add_all(list(objs))
        self._flush()

    def _flush(self) -> None:
        try:
            self.session.flush()
        except IntegrityError as exc:
            raise Conflict(f"{label(self.cls)} clashes with stored data: "
                           f"{str(exc.orig).strip().splitlines()[0][:200]}") from exc

    def get(self, id_: int) -> T:
        obj = self.session.get(self.cls, id_)
        if obj is None:
            raise NotFound(f"{label(self.cls)} {id_} does not exist")
        return obj

    def find(self, *, order_by: str = "id", **equals: Any) -> list[T]:
        """Objects whose attributes equal the given values (a list value means 'any of')."""
        stmt = select(self.cls)
        for name, value in equals.items():
            column = getattr(self.cls, name)
            stmt = stmt.where(column.in_(value) if isinstance(value, list | tuple | set)
                              else column == value)
        stmt = stmt.order_by(getattr(self.cls, order_by))
        return list(self.session.scalars(stmt))

    def first(self, **equals: Any) -> T | None:
        found = self.find(**equals)
        return found[0] if found else None

    def columns(self, names: Sequence[str], **equals: Any) -> dict[str, list[Any]]:
        """Plain values of the named attributes of matching rows, one list per name, in id
        order; no objects are built (the fast read for analytics over many rows)."""
        table = self.cls.__table__  # type: ignore[attr-defined]
        stmt = select(*(table.c[n] for n in names))
        for name, value in equals.items():
            column = table.c[name]
            stmt = stmt.where(column.in_(value) if isinstance(value, list | tuple | set)
                              else column == value)
        self._flush()  # the rows are read past the ORM: write pending changes first
        rows = self.session.connection().execute(stmt.order_by(table.c.id)).all()
        return {n: [row[i] for row in rows] for i, n in enumerate(names)}

    def count(self, **equals: Any) -> int:
        stmt = select(func.count()).select_from(self.cls)
        for name, value in equals.items():
            stmt = stmt.where(getattr(self.cls, name) == value)
        return int(self.session.scalar(stmt) or 0)

    def remove(self, obj: T) -> None:
        self.session.delete(obj)
        self._flush()

    def remove_where(self, **equals: Any) -> int:
        stmt = delete(self.cls)
        for name, value in equals.items():
            stmt = stmt.where(getattr(self.cls, name) == value)
        result = self.session.execute(stmt)
        return int(getattr(result, "rowcount", 0) or 0)


    def max_id(self) -> int:
        return int(self.session.scalar(select(func.max(self.cls.id))) or 0)  # type: ignore[attr-defined]

    def bulk_insert(self, objs: Sequence[T]) -> None:
        """Insert objects whose ids are already set, in one statement per 5,000 rows."""
        names = [f.name for f in dataclasses.fields(self.cls)]  # type: ignore[arg-type]
        self.bulk_insert_rows([{n: getattr(o, n) for n in names} for o in objs])

    def bulk_insert_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert rows given as field -> value dicts (ids included), bypassing the ORM."""
        if not rows:
            return
        table = self.cls.__table__  # type: ignore[attr-defined]
        self.session.flush()
        connection = self.session.connection()
        sql, convert = _compiled_insert(table, tuple(rows[0]), connection.dialect)
        try:
            for start in range(0, len(rows), 5000):
                connection.exec_driver_sql(sql, [convert(r) for r in rows[start:start + 5000]])
        except IntegrityError as exc:
            raise Conflict(f"{label(self.cls)} clashes with stored data: "
                           f"{str(exc.orig).strip().splitlines()[0][:200]}") from exc
        if connection.dialect.name == "postgresql":
            self.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"(SELECT MAX(id) FROM {table.name}))"))


def _compiled_insert(table: Table, keys: tuple[str, ...], dialect: Dialect
                     ) -> tuple[str, Callable[[dict[str, Any]], Any]]:
    """The INSERT compiled once, and a row converter applying each column's bind processing
    (enums, JSON, UTC times), so the driver's executemany gets ready parameters."""
    compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
    processors = {k: table.c[k].type._cached_bind_processor(dialect) for k in keys}

    def value(row: dict[str, Any], name: str) -> Any:
        process = processors[name]
        return process(row[name]) if process else row[name]

    if compiled.positional:
        order = list(compiled.positiontup or ())
        return compiled.string, lambda row: tuple(value(row, n) for n in order)
    return compiled.string, lambda row: {n: value(row, n) for n in keys}


class SqlJobs(SqlRepository[Job]):
    def claim_next(self, kinds: Sequence[str], worker: str, at: datetime) -> Job | None:
        """Take the oldest queued job of these kinds; safe with many workers on one database."""
        candidates = select(Job.id).where(  # type: ignore[call-overload]
            Job.status == JobStatus.QUEUED, Job.kind.in_(list(kinds))  # type: ignore[attr-defined]
        ).order_by(Job.id).limit(5)  # type: ignore[arg-type]
        for job_id in self.session.scalars(candidates):
            claimed = self.session.execute(
                update(Job).where(Job.id == job_id, Job.status == JobStatus.QUEUED)  # type: ignore[arg-type]
                .values(status=JobStatus.RUNNING, worker=worker, started_at=at))
            if getattr(claimed, "rowcount", 0) == 1:
                self.session.commit()
                return self.get(job_id)
        return None


class SqlStatusChanges(SqlRepository[StatusChange]):
    def history(self, item_ids: Sequence[int] | None = None
                ) -> list[tuple[int, str | None, str, datetime]]:
        """(item_id, from, to, at) rows ordered by item and time: the flow metrics' input."""
        stmt = select(StatusChange.item_id, StatusChange.from_status,  # type: ignore[arg-type]
                      StatusChange.to_status, StatusChange.at)
        if item_ids is not None:
            stmt = stmt.where(StatusChange.item_id.in_(list(item_ids)))  # type: ignore[attr-defined]
        stmt = stmt.order_by(StatusChange.item_id, StatusChange.at)  # type: ignore[arg-type]
        return [tuple(row) for row in self.session.execute(stmt)]  # type: ignore[misc]
