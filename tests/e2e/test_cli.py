import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.e2e.conftest import seed_train
from trainmaster import bootstrap
from trainmaster.cli.main import app

runner = CliRunner()


@pytest.fixture
def cli_db(tm, monkeypatch):
    monkeypatch.setenv("TRAINMASTER_DATABASE_URL", tm.settings.database_url)
    bootstrap.default_app.cache_clear()
    yield tm
    bootstrap.default_app.cache_clear()


def invoke(*args: str, input: str | None = None):
    result = runner.invoke(app, list(args), input=input)
    return result


def test_user_add_and_token_authenticate_the_api(cli_db):
    seed_train(cli_db)
    added = invoke("user", "add", "carol", "--password", "a-long-secret", "--art", "PAY",
                   "--role", "rte", "--json")
    assert added.exit_code == 0, added.output
    assert json.loads(added.output)["username"] == "carol"
    token = invoke("user", "token", "carol")
    assert token.exit_code == 0 and token.output.strip().startswith("tm_")
    from fastapi.testclient import TestClient

    from trainmaster.web.app import create_app
    client = TestClient(create_app(cli_db))
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token.output.strip()}"})
    assert me.json()["roles"] == {"1": ["rte"]}


def test_art_list_and_show_print_tables_and_json(cli_db):
    seed_train(cli_db)
    listed = invoke("art", "list", "--json")
    assert [a["key"] for a in json.loads(listed.output)] == ["PAY"]
    shown = invoke("art", "show", "pay")
    assert shown.exit_code == 0 and "Osprey" in shown.output and "PI 26.4" in shown.output


def test_pi_list_show_and_team_show(cli_db):
    seed_train(cli_db)
    assert "PI 26.4" in invoke("pi", "list").output
    shown = invoke("pi", "show", "PI 26.4", "--json")
    assert [f["key"] for f in json.loads(shown.output)["features"]] == ["PAY-1"]
    assert invoke("team", "show", "osprey").exit_code == 0


def test_db_upgrade_reports_an_up_to_date_schema(cli_db):
    result = invoke("db", "upgrade")
    assert result.exit_code == 0 and "up to date" in result.output


@pytest.fixture
def tm(sqlite_tm):
    return sqlite_tm


def _run(*args: str, env_url: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("trainmaster")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=120,
                          env={"TRAINMASTER_DATABASE_URL": env_url, "PATH": "/usr/bin:/bin"})


def test_errors_are_one_line_and_a_non_zero_exit(cli_db):
    result = _run("art", "show", "NOPE", env_url=cli_db.settings.database_url)
    assert result.returncode == 2
    assert result.stderr.strip() == "error: no ART 'NOPE'"
    assert "Traceback" not in result.stderr + result.stdout


def test_an_unreachable_database_is_one_clear_line(tmp_path):
    result = _run("art", "list", env_url="postgresql://nobody@127.0.0.1:1/none")
    assert result.returncode == 2
    assert result.stderr.startswith("error: TRAINMASTER_DATABASE_URL: cannot open the database")
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("now", ["2025-12-31T23:30:00+00:00", "2029-01-01T08:00:00+00:00"])
def test_the_demo_command_follows_the_configured_clock(cli_db, monkeypatch, now):
    monkeypatch.setenv("TRAINMASTER_NOW", now)
    bootstrap.default_app.cache_clear()
    built = invoke("demo", "--no-serve", "--teams", "2", "--pis", "1")
    assert built.exit_code == 0, built.output
    today = date.fromisoformat(now[:10])
    pis = json.loads(invoke("pi", "list", "--json").output)
    current = [p for p in pis if p["state"] == "executing"]
    coming = [p for p in pis if p["state"] == "planning"]
    assert len(current) == 1 and len(coming) == 1
    assert current[0]["start_date"] <= today.isoformat() < coming[0]["start_date"]
