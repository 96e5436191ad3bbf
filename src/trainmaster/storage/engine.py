"""Engines for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from trainmaster.domain.errors import Invalid


def normalise_url(url: str) -> str:
    """Accept postgres:// and postgresql:// URLs and route them to psycopg 3."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise Invalid(f"not a database URL: {url!r}", field="TRAINMASTER_DATABASE_URL") from exc
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if not parsed.drivername.startswith(("sqlite", "postgresql")):
        raise Invalid(f"unsupported database {parsed.drivername!r}: use sqlite or postgresql",
                      field="TRAINMASTER_DATABASE_URL")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str, **kwargs: Any) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                               **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # transactions are begun explicitly below
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # IMMEDIATE takes the write lock up front: concurrent writers then wait (busy timeout)
    # instead of failing with "database is locked" when a read turns into a write
    conn.exec_driver_sql("BEGIN IMMEDIATE")
