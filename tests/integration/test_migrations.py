from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from trainmaster.bootstrap import build
from trainmaster.config import Settings
from trainmaster.storage import migrate
from trainmaster.storage.schema import all_metadata


def test_an_empty_sqlite_database_is_migrated_on_start(tmp_path: Path):
    app = build(Settings(database_url=f"sqlite:///{tmp_path / 'new.db'}", data_dir=tmp_path))
    assert app.database_is_current()
    assert "work_items" in inspect(app.engine).get_table_names()


def test_migrations_match_the_mapped_schema(tm):
    with tm.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                all_metadata())
    assert diff == []


def test_upgrading_a_current_database_changes_nothing(tm):
    assert tm.upgrade_database() == []
    assert migrate.current_revisions(tm.engine) == migrate.head_revisions()


def test_an_older_database_is_brought_to_the_newest_schema(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:  # a database from before trainmaster's first migration
        conn.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY)"))
    app = build(Settings(database_url=url, data_dir=tmp_path))
    assert app.database_is_current()
    assert {"notes", "arts", "alembic_version"} <= set(inspect(app.engine).get_table_names())


def test_sqlite_runs_with_wal_and_foreign_keys(sqlite_tm):
    with sqlite_tm.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
