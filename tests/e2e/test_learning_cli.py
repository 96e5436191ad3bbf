"""`trainmaster triage …`, `risk radar`, `retrain …` end to end."""

import json

import pytest
from typer.testing import CliRunner

from tests.e2e.learning_train import build_learning_train
from trainmaster import bootstrap
from trainmaster.cli.main import app
from trainmaster.services import jobs

runner = CliRunner()


@pytest.fixture
def cli_db(sqlite_tm, monkeypatch, tmp_path):
    monkeypatch.setenv("TRAINMASTER_DATABASE_URL", sqlite_tm.settings.database_url)
    monkeypatch.setenv("TRAINMASTER_DATA_DIR", str(tmp_path / "data"))
    bootstrap.default_app.cache_clear()
    yield sqlite_tm, build_learning_train(sqlite_tm)
    bootstrap.default_app.cache_clear()


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_triage_lists_decides_and_retrains(cli_db):
    queue = json.loads(invoke("triage", "list", "--refresh", "--json"))
    points = [s for e in queue for s in e["suggestions"]
              if s["field"] not in ("team_id", "work_type")]
    assert len(points) >= 3 and points[0]["reasons"]
    assert "accepted" in invoke("triage", "accept", str(points[0]["id"]))
    assert "edited" in invoke("triage", "edit", str(points[1]["id"]), "3")
    assert "rejected" in invoke("triage", "reject", str(points[2]["id"]))
    trained = json.loads(invoke("retrain", "triage", "--json"))
    learned = sum(1 for s in points[:2] if s["field"] == "points")  # WSJF terms live on items
    assert trained["version"] == 2 and trained["metrics"]["decisions"] == learned


def test_the_risk_radar_prints_reasons_and_confirms_a_risk(cli_db):
    text = invoke("risk", "radar", "--pi", str(cli_db[1]["pi"]), "--limit", "3")
    assert "Predictability forecast" in text and "raises the risk" in text
    body = json.loads(invoke("risk", "radar", "--pi", str(cli_db[1]["pi"]), "--json",
                             "--kind", "feature"))
    assert body["items"] and {i["subject"] for i in body["items"]} == {"feature"}
    assert "May miss" in invoke("risk", "confirm", str(body["items"][0]["id"]))


def test_a_due_schedule_is_queued_and_run_by_the_worker(cli_db):
    tm, _ = cli_db
    invoke("retrain", "schedule", "risk", "--every", "24")
    queued = json.loads(invoke("retrain", "due", "--json"))
    assert [q["kind"] for q in queued] == ["retrain_risk"]
    assert json.loads(invoke("retrain", "due", "--json")) == []
    job = jobs.run_next_job(tm.uow, tm.clock)
    assert job.status.value == "done" and job.result["version"] >= 1
