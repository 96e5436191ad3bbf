"""`trainmaster deps …` end to end: analysis, slip preview, suggestions."""

import json

import pytest
from typer.testing import CliRunner

from tests.e2e.conftest import seed_train
from tests.e2e.test_dependencies_api import build_dependencies
from trainmaster import bootstrap
from trainmaster.cli.main import app

runner = CliRunner()


@pytest.fixture
def cli_db(sqlite_tm, monkeypatch, tmp_path):
    monkeypatch.setenv("TRAINMASTER_DATABASE_URL", sqlite_tm.settings.database_url)
    monkeypatch.setenv("TRAINMASTER_DATA_DIR", str(tmp_path / "data"))
    bootstrap.default_app.cache_clear()
    yield build_dependencies(sqlite_tm, seed_train(sqlite_tm))
    bootstrap.default_app.cache_clear()


def invoke(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_deps_prints_the_analysis_as_tables_and_json(cli_db):
    text = invoke("deps", "--pi", "PI 26.4")
    assert "Late and at risk" in text and "Who waits on whom" in text and "PAY-13" in text
    body = json.loads(invoke("deps", "--pi", "PI 26.4", "--json"))
    assert body["counts"]["late"] == 1
    art = json.loads(invoke("deps", "--art", "PAY", "--json"))
    assert art["scope"]["kind"] == "art"
    kestrel = json.loads(invoke("deps", "--pi", "PI 26.4", "--team", "kestrel", "--json"))
    assert kestrel["dependencies"] == [] and kestrel["filters"]["teams"]


def test_deps_slip_previews_a_move(cli_db):
    text = invoke("deps", "slip", "PAY-10", "--iteration", "I3")
    assert "Moving PAY-10 from I1 to I3" in text and "Pay by link in production" in text
    body = json.loads(invoke("deps", "slip", "PAY-13", "--iteration", "I4", "--json"))
    assert [a["item"]["key"] for a in body["affected"]] == ["PAY-12"]


def test_deps_suggest_then_accept_and_reject(cli_db, tmp_path):
    body = json.loads(invoke("deps", "suggest", "--pi", "PI 26.4", "--json"))
    ids = [s["id"] for s in body["suggestions"]]
    assert len(ids) >= 2
    assert "accepted" in invoke("deps", "accept", str(ids[0]))
    assert "rejected" in invoke("deps", "reject", str(ids[1]))
    again = json.loads(invoke("deps", "suggest", "--pi", "PI 26.4", "--json"))
    assert ids[1] not in [s["id"] for s in again["suggestions"]]
    assert (again["accepted"], again["rejected"]) == (1, 1)
    assert (tmp_path / "data" / "dependency-embeddings.npz").is_file()
    failed = runner.invoke(app, ["deps", "accept", str(ids[0])])
    assert failed.exit_code != 0
