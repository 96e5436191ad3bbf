from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from trainmaster.bootstrap import build
from trainmaster.config import Settings
from trainmaster.domain.access import SYSTEM
from trainmaster.services import auth, demo
from trainmaster.storage.schema import all_metadata

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
SECRET_COLUMNS = {"password_hash", "created_at"}


def _dump(app) -> dict[str, list[tuple]]:
    out = {}
    with app.engine.connect() as conn:
        for table in all_metadata().sorted_tables:
            cols = [c for c in table.columns if c.name not in SECRET_COLUMNS
                    or table.name not in ("users",)]
            out[table.name] = [tuple(r) for r in conn.execute(select(*cols).order_by(table.c.id))]
    return out


def _build(tmp_path: Path, name: str, seed: int):
    app = build(Settings(database_url=f"sqlite:///{tmp_path / name}", data_dir=tmp_path))
    result = demo.build_demo(app.uow(), SYSTEM, seed=seed, arts=1, teams=8, pis=3,
                             today=NOW.date(), at=NOW)
    return app, result


def test_the_same_seed_builds_the_same_train(tmp_path):
    first, result = _build(tmp_path, "a.db", 7)
    second, _ = _build(tmp_path, "b.db", 7)
    assert result.created and _dump(first) == _dump(second)
    third, _ = _build(tmp_path, "c.db", 8)
    assert _dump(third)["work_items"] != _dump(first)["work_items"]


def test_the_demo_train_has_the_promised_shape(tmp_path):
    _, result = _build(tmp_path, "a.db", 7)
    counts = result.counts
    assert counts["teams"] == 8 and counts["pis"] == 5
    assert counts["items"] >= 4 * 450  # ~60 features and ~400 stories per PI
    assert counts["dependencies"] >= 4 * 30
    assert counts["risks"] >= 10


def test_building_again_keeps_the_existing_train(tmp_path):
    app, _ = _build(tmp_path, "a.db", 7)
    again = demo.build_demo(app.uow(), SYSTEM, seed=7, arts=1, teams=8, pis=3,
                            today=NOW.date(), at=NOW)
    assert not again.created
    with app.uow() as uow:
        assert uow.arts.count() == 1


def test_demo_users_log_in_with_their_printed_passwords(tm):
    result = demo.build_demo(tm.uow(), SYSTEM, seed=7, arts=1, teams=8, pis=3,
                             today=NOW.date(), at=NOW)
    roles = {}
    for username, password, _role in result.users:
        actor = auth.authenticate(tm.uow(), username, password)
        roles[username] = actor.role_names(1)
    assert roles["alice"] == ["rte"] and roles["vic"] == ["viewer"] and len(roles) == 7
