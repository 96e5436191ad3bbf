"""The PI Planning commands against a real database."""

import json

import icalendar
import pytest
from typer.testing import CliRunner

from tests.e2e.conftest import seed_train
from tests.e2e.planning_train import build_plan
from trainmaster import bootstrap
from trainmaster.cli.main import app

runner = CliRunner()


@pytest.fixture
def tm(sqlite_tm):
    return sqlite_tm


@pytest.fixture
def cli_db(tm, monkeypatch):
    """Commands open the test database through the environment, like a user's shell."""
    monkeypatch.setenv("TRAINMASTER_DATABASE_URL", tm.settings.database_url)
    bootstrap.default_app.cache_clear()
    yield tm
    bootstrap.default_app.cache_clear()


@pytest.fixture
def plan(cli_db):
    return build_plan(cli_db, seed_train(cli_db))


def run(*args):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_pi_readiness_prints_the_score_and_what_to_fix(plan):
    out = run("pi", "readiness", "PI 26.4")
    assert "readiness" in out and "no roadmap attached" in out
    data = json.loads(run("pi", "readiness", "PI 26.4", "--json"))
    assert data["score"] < 90 and data["level"] in ("amber", "red")


def test_wsjf_and_epics(plan):
    ranked = json.loads(run("wsjf", "--json"))
    assert [r["key"] for r in ranked][:2] == ["API", "WALLET"]
    assert "Epics" in run("wsjf", "--epics")


def test_capacity_shows_overload_and_guardrails(plan):
    data = json.loads(run("capacity", "--pi", "PI 26.4", "--json"))
    falcon = next(t for t in data["capacity"]["teams"] if t["team"] == "Falcon")
    assert any(i["overloaded"] for i in falcon["iterations"])
    assert "Guardrails" in run("capacity", "--pi", "PI 26.4", "--team", "falcon")


def test_board_plan_and_dependencies_from_the_terminal(plan, tmp_path):
    assert "requested" in run("dependency", "request", "WALLET", "API", "--by", "I3",
                              "--what", "payments API v2")
    out = run("board", "--pi", "PI 26.4")
    assert "WALLET needs API" in out and "Program Board" in out
    preview = run("plan", "API", "--iteration", "I4", "--preview")
    assert "WALLET needs API" in preview and "late" in preview
    run("plan", "API", "--iteration", "I4")
    board = json.loads(run("board", "--pi", "PI 26.4", "--json", "--svg",
                           str(tmp_path / "b.svg"), "--pdf", str(tmp_path / "b.pdf")))
    assert board["strings"][0]["state"] == "late"
    assert (tmp_path / "b.svg").read_text().startswith("<svg")
    assert (tmp_path / "b.pdf").read_bytes().startswith(b"%PDF")
    dep = board["strings"][0]["id"]
    assert "countered" in run("dependency", "answer", str(dep), "countered", "--iteration", "I2")
    assert "requested" in run("dependency", "show", str(dep))


def test_agenda_commands_write_a_valid_calendar(plan, tmp_path):
    assert "Business context" in run("agenda", "generate", "--pi", "PI 26.4")
    assert "09:30" in run("agenda", "set", "1", "--pi", "PI 26.4", "--start", "8:30",
                          "--end", "09:30")
    run("agenda", "export", "--pi", "PI 26.4", "--out", str(tmp_path / "a.ics"))
    cal = icalendar.Calendar.from_ical((tmp_path / "a.ics").read_bytes())
    assert len(cal.walk("VEVENT")) == 14


def test_objectives_vote_baseline_risk_and_kanban(plan, cli_db):
    from trainmaster.domain.access import User
    with cli_db.uow() as uow:
        uow.users.add(User(username="olga", password_hash="-"))
        uow.commit()
    run("objectives", "add", "Wallet live", "--pi", "PI 26.4", "--team", "Kestrel")
    assert "Wallet live" in run("objectives", "show", "--pi", "PI 26.4")
    assert "published" in run("objectives", "publish", "--pi", "PI 26.4")
    run("vote", "open", "--pi", "PI 26.4")
    failed = runner.invoke(app, ["vote", "cast", "art", "2", "--pi", "PI 26.4", "--user",
                                 "olga"])
    assert failed.exit_code != 0 and "must be heard" in str(failed.exception)
    run("vote", "cast", "art", "4", "--pi", "PI 26.4", "--user", "olga")
    assert "committed" in run("vote", "close", "--pi", "PI 26.4")
    run("plan", "WALLET", "--iteration", "I4")
    assert "moved" in run("baseline", "--pi", "PI 26.4")
    assert "unroamed → accepted" in run("risk", "roam", str(plan["risk"]), "accepted")
    assert "Vendor late" in run("risk", "board")
    assert "funnel → analyzing" in run("kanban", "move", "API", "analyzing")
    assert "analyzing" in run("kanban", "show")
