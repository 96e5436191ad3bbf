"""Shared fixtures: databases on both engines, the wired app, a web client, fixed clocks."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from trainmaster.bootstrap import App, build
from trainmaster.config import Settings
from trainmaster.storage.schema import all_metadata

PG_URL = os.environ.get("TRAINMASTER_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def _postgres_reason() -> str | None:
    try:
        with create_engine(PG_URL).connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        return f"PostgreSQL at {make_url(PG_URL).render_as_string()} does not answer: {exc}"
    return None


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A migrated throw-away PostgreSQL database for the whole run."""
    reason = _postgres_reason()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    name = f"tm_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    build(Settings(database_url=url, data_dir=Path("/tmp")))
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    build(Settings(database_url=f"sqlite:///{path}", data_dir=path.parent)).engine.dispose()
    return path


def _truncate_postgres(url: str) -> None:
    names = ", ".join(f'"{t.name}"' for t in all_metadata().sorted_tables)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty, migrated database on each engine in turn."""
    if request.param == "sqlite":
        path = tmp_path / "tm.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_template")
    _truncate_postgres(url)
    return url


@pytest.fixture
def tm(database_url: str, tmp_path: Path) -> Iterator[App]:
    app = build(Settings(database_url=database_url, data_dir=tmp_path))
    app.clock = lambda: NOW
    yield app
    app.engine.dispose()


@pytest.fixture
def sqlite_tm(tmp_path: Path, sqlite_template: Path) -> Iterator[App]:
    """The app on SQLite only, for tests about the edges rather than storage."""
    path = tmp_path / "tm.db"
    shutil.copy(sqlite_template, path)
    app = build(Settings(database_url=f"sqlite:///{path}", data_dir=tmp_path))
    app.clock = lambda: NOW
    yield app
    app.engine.dispose()
