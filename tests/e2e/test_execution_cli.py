import json
from pathlib import Path

import icalendar
import pytest
from typer.testing import CliRunner

from tests.e2e.conftest import seed_train
from trainmaster import bootstrap
from trainmaster.cli.main import app

runner = CliRunner()
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "notes" / "dev"


@pytest.fixture
def tm(sqlite_tm):
    return sqlite_tm


@pytest.fixture
def cli(tm, monkeypatch):
    monkeypatch.setenv("TRAINMASTER_DATABASE_URL", tm.settings.database_url)
    bootstrap.default_app.cache_clear()
    seed_train(tm)
    yield lambda *args: runner.invoke(app, list(args))
    bootstrap.default_app.cache_clear()


def ok(result):
    assert result.exit_code == 0, result.output
    return result.output


def test_calendar_generate_export_and_feed(cli, tmp_path):
    assert "10 events created" in ok(cli("calendar", "generate", "PI 26.4"))
    assert "0 events created, 10 already there" in ok(cli("calendar", "generate", "PI 26.4"))
    target = tmp_path / "pay.ics"
    ok(cli("calendar", "export", "--art", "PAY", "-o", str(target)))
    cal = icalendar.Calendar.from_ical(target.read_bytes())
    assert len(cal.walk("VEVENT")) == 10
    shown = json.loads(ok(cli("calendar", "show", "--json")))
    assert sum(o["kind"] == "coach_sync" for o in shown) == 10  # one a week
    feed = ok(cli("calendar", "feed")).strip()
    assert feed.startswith("http://127.0.0.1:8000/calendar/PAY.ics?token=")
    assert ok(cli("calendar", "feed", "--rotate")).strip() != feed


def test_notes_parse_prints_the_analysis_as_json(cli):
    out = ok(cli("notes", "parse", str(FIXTURES / "01_art_sync.md"), "--date", "2025-03-12",
                 "--json"))
    analysis = json.loads(out)
    assert analysis["format"] == "markdown" and analysis["meeting_date"] == "2025-03-12"
    assert analysis["actions"] and analysis["decisions"] and analysis["summary"]
    assert all("sentence" in a["source"] for a in analysis["actions"])


def test_notes_parse_prints_tables_and_resolves_the_arts_teams(cli):
    out = ok(cli("notes", "parse", str(FIXTURES / "03_scrum_of_scrums.vtt"), "--art", "PAY"))
    assert "Action items" in out and "Mentioned: Osprey" in out


def test_notes_parse_names_a_missing_file(cli):
    result = cli("notes", "parse", "nowhere.txt")
    assert result.exit_code != 0


def test_sync_start_facts_and_show(cli):
    started = json.loads(ok(cli("sync", "start", "--json")))
    assert started["title"] == "ART Sync 2026-11-24"
    facts = json.loads(ok(cli("sync", "facts", "--json")))
    assert facts["pi"]["name"] == "PI 26.4" and facts["teams"][0]["team"]["name"] == "Osprey"
    assert "Osprey" in ok(cli("sync", "show", str(started["id"])))
    assert "ART Sync 2026-11-24" in ok(cli("sync", "list"))


def test_actions_add_list_and_close(cli):
    ok(cli("actions", "add", "Call the vendor", "--due", "2026-11-20"))
    listed = json.loads(ok(cli("actions", "list", "--overdue", "--json")))
    assert [v["action"]["title"] for v in listed] == ["Call the vendor"]
    ok(cli("actions", "close", str(listed[0]["action"]["id"])))
    assert json.loads(ok(cli("actions", "list", "--json"))) == []


def test_impediment_raise_escalate_resolve_and_report(cli):
    assert "raised at team level" in ok(cli("impediment", "raise", "No staging data",
                                            "--team", "Osprey"))
    assert "now at art level" in ok(cli("impediment", "escalate", "1"))
    assert "resolved at art level" in ok(cli("impediment", "resolve", "1"))
    report = json.loads(ok(cli("impediment", "report", "--json")))
    assert [lv["reached"] for lv in report["levels"]] == [1, 1, 0]
    assert report["levels"][1]["resolved"] == 1
    assert cli("impediment", "escalate", "1").exit_code != 0


def test_ia_review_prints_predictability(cli):
    review = json.loads(ok(cli("ia", "review", "PI 26.4", "--json")))
    assert review["art"]["label"] == "ART" and review["art"]["percent"] is None
    assert "Predictability PI 26.4" in ok(cli("ia", "review", "PI 26.4"))


def test_a_bad_date_is_refused_with_its_field(cli):
    result = cli("sync", "facts", "--date", "tomorrow")
    assert result.exit_code != 0
