"""Backup and restore round-trip a whole database, SQLite <-> PostgreSQL, row for row."""

import dataclasses
import gzip
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import NOW, _truncate_postgres
from tests.factories import actor, make_art, make_pi
from trainmaster.bootstrap import build
from trainmaster.config import Settings
from trainmaster.domain.access import SYSTEM, ApiToken, Role, WebSession
from trainmaster.domain.errors import Conflict, Forbidden, Invalid
from trainmaster.domain.job import Job
from trainmaster.domain.work_item import ItemLevel, WorkItem
from trainmaster.integrations.jira_csv import JiraCsvSource
from trainmaster.integrations.mapping import load_mapping
from trainmaster.services import demo, imports
from trainmaster.storage import backup
from trainmaster.storage.schema import all_metadata

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture
def pg(postgres_template, tmp_path):
    _truncate_postgres(postgres_template)
    app = build(Settings(database_url=postgres_template, data_dir=tmp_path))
    app.clock = lambda: NOW
    yield app
    app.engine.dispose()


def fill(app) -> None:
    """The demo train, an import's sync state and rows no simulation writes."""
    demo.build_demo(app.uow(), SYSTEM, seed=7, arts=1, teams=2, pis=1, today=NOW.date(), at=NOW)
    mapping = dataclasses.replace(load_mapping(FIXTURES / "jira" / "mapping.toml").mapping,
                                  art_key="JIRA", art_name="The train in Jira")
    imports.run_import(app.uow(), SYSTEM, mapping,
                       JiraCsvSource(FIXTURES / "jira" / "export_all_fields.csv", mapping), at=NOW)
    with app.uow() as uow:
        art = uow.arts.first(key="PAY")
        child = uow.items.add(WorkItem(
            art_id=art.id, level=ItemLevel.STORY, key="X-1", points=0.1 + 0.2,
            title="Zahlung über Ländergrenzen — 支付 ✓ \"quoted\"\nsecond line",
            created_at=datetime(2026, 3, 29, 1, 30, 0, 123456, tzinfo=UTC)))
        parent = uow.items.add(WorkItem(art_id=art.id, level=ItemLevel.FEATURE, key="X-2",
                                        title="A parent stored after its child"))
        child.parent_id = parent.id                      # a reference to a higher id
        user = uow.users.first(username="alice")
        uow.api_tokens.add(ApiToken(user_id=user.id, name="ci", token_hash="ab" * 32,
                                    created_at=NOW))
        uow.web_sessions.add(WebSession(key_hash="cd" * 32, user_id=user.id, csrf_token="x",
                                        created_at=NOW, expires_at=NOW + timedelta(hours=12)))
        uow.jobs.add(Job(kind="import", created_at=NOW, payload={"nested": {"list": [1, 2.5,
                                                                                    None]}}))
        uow.commit()


def snapshot(app) -> dict[str, list[tuple]]:
    out = {}
    with app.engine.connect() as conn:
        for table in all_metadata().sorted_tables:
            rows = conn.execute(select(table).order_by(*table.primary_key.columns))
            out[table.name] = [tuple(r) for r in rows]
    return out


@pytest.mark.parametrize("direction", ["sqlite_to_postgresql", "postgresql_to_sqlite"])
def test_a_backup_restores_every_row_of_every_table_on_the_other_engine(
        direction, sqlite_tm, pg, tmp_path):
    source, target = (sqlite_tm, pg) if direction == "sqlite_to_postgresql" else (pg, sqlite_tm)
    fill(source)
    path = tmp_path / "train.jsonl.gz"
    made = backup.backup_database(source.engine, SYSTEM, path, at=NOW)
    restored = backup.restore_database(target.engine, SYSTEM, path)
    assert restored.rows == made.rows and made.rows["work_items"] > 290
    assert made.rows["sync_sources"] == 1 and made.rows["external_items"] == 8
    expected, actual = snapshot(source), snapshot(target)
    assert sorted(actual) == sorted(expected)
    for name in expected:
        assert actual[name] == expected[name], name


def test_postgresql_ids_continue_after_the_restored_ones(sqlite_tm, pg, tmp_path):
    fill(sqlite_tm)
    path = tmp_path / "train.jsonl"
    backup.backup_database(sqlite_tm.engine, SYSTEM, path, at=NOW)
    backup.restore_database(pg.engine, SYSTEM, path)
    with pg.uow() as uow:
        highest = uow.items.max_id()
        art = uow.arts.first(key="PAY")
        new = uow.items.add(WorkItem(art_id=art.id, level=ItemLevel.STORY, key="NEW-1",
                                     title="After the restore"))
        uow.commit()
    assert new.id == highest + 1


def test_the_file_records_the_schema_and_is_read_line_by_line(sqlite_tm, tmp_path):
    fill(sqlite_tm)
    path = tmp_path / "train.jsonl"
    made = backup.backup_database(sqlite_tm.engine, SYSTEM, path, at=NOW)
    lines = path.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    assert header["format"] == "trainmaster-backup" and header["revisions"] == made.revisions
    assert "0002_integration" in header["revisions"]
    assert json.loads(lines[-1]) == {"end": True, "rows": made.rows}
    assert len(lines) == 2 + len(made.rows) + made.total


def test_a_restore_needs_an_empty_database(sqlite_tm, tmp_path):
    fill(sqlite_tm)
    path = tmp_path / "train.jsonl"
    backup.backup_database(sqlite_tm.engine, SYSTEM, path, at=NOW)
    with pytest.raises(Conflict, match="not empty"):
        backup.restore_database(sqlite_tm.engine, SYSTEM, path)


def test_a_backup_of_another_schema_revision_is_refused(sqlite_tm, pg, tmp_path):
    path = tmp_path / "old.jsonl"
    backup.backup_database(sqlite_tm.engine, SYSTEM, path, at=NOW)
    lines = path.read_text().splitlines()
    header = json.loads(lines[0])
    header["revisions"] = ["0001_foundation"]
    path.write_text("\n".join([json.dumps(header), *lines[1:]]) + "\n")
    with pytest.raises(Invalid, match="schema revisions 0001_foundation but this database"):
        backup.restore_database(pg.engine, SYSTEM, path)


def test_a_cut_off_backup_restores_nothing(sqlite_tm, pg, tmp_path):
    fill(sqlite_tm)
    path = tmp_path / "train.jsonl.gz"
    backup.backup_database(sqlite_tm.engine, SYSTEM, path, at=NOW)
    with gzip.open(path, "rt", encoding="utf-8") as f:
        lines = f.read().splitlines()
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("\n".join(lines[:len(lines) // 2]) + "\n")
    with pytest.raises(Invalid, match="cut off"):
        backup.restore_database(pg.engine, SYSTEM, path)
    assert all(rows == [] for rows in snapshot(pg).values())


def test_a_file_that_is_no_backup_is_refused(pg, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Meeting notes\n")
    with pytest.raises(Invalid, match="not a trainmaster backup"):
        backup.restore_database(pg.engine, SYSTEM, path)


def test_only_administrators_back_up_and_restore(sqlite_tm, tmp_path):
    with pytest.raises(Forbidden):
        backup.backup_database(sqlite_tm.engine, actor(Role.RTE), tmp_path / "b.jsonl", at=NOW)
    with pytest.raises(Forbidden):
        backup.restore_database(sqlite_tm.engine, actor(Role.RTE), tmp_path / "b.jsonl")


def test_dates_and_times_keep_their_values(sqlite_tm, pg, tmp_path):
    with sqlite_tm.uow() as uow:
        art = uow.arts.add(make_art())
        uow.pis.add(make_pi(art_id=art.id, start_date=date(2027, 2, 28)))
        uow.commit()
    path = tmp_path / "b.jsonl"
    backup.backup_database(sqlite_tm.engine, SYSTEM, path, at=NOW)
    backup.restore_database(pg.engine, SYSTEM, path)
    with pg.uow() as uow:
        assert uow.pis.first().start_date == date(2027, 2, 28)
