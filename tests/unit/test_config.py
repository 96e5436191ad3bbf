"""Settings read from the environment: the fixed clock."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from trainmaster.bootstrap import build
from trainmaster.config import Settings
from trainmaster.domain.errors import Invalid


def test_a_fixed_now_is_read_as_an_instant_utc_unless_it_names_an_offset():
    assert Settings.from_env({"TRAINMASTER_NOW": "2027-01-01"}).now == datetime(
        2027, 1, 1, tzinfo=UTC)
    named = Settings.from_env({"TRAINMASTER_NOW": "2027-01-01T09:30:00+01:00"}).now
    assert named == datetime(2027, 1, 1, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    assert Settings.from_env({}).now is None


def test_a_malformed_now_names_the_setting():
    with pytest.raises(Invalid) as raised:
        Settings.from_env({"TRAINMASTER_NOW": "next tuesday"})
    assert raised.value.field == "TRAINMASTER_NOW" and "next tuesday" in str(raised.value)


def test_every_clock_of_the_app_follows_the_fixed_now(tmp_path):
    now = datetime(2029, 2, 28, 12, 0, tzinfo=UTC)
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'a.db'}", data_dir=tmp_path,
                        now=now)
    app = build(settings, migrate_now=False)
    assert app.clock() == now
    app.engine.dispose()
