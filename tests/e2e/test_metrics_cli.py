import json

import pytest
from typer.testing import CliRunner

from tests.e2e.conftest import seed_train
from tests.e2e.metrics_train import seed_flow
from trainmaster import bootstrap
from trainmaster.cli.main import app

runner = CliRunner()


@pytest.fixture
def cli_db(sqlite_tm, monkeypatch):
    monkeypatch.setenv("TRAINMASTER_DATABASE_URL", sqlite_tm.settings.database_url)
    bootstrap.default_app.cache_clear()
    seed_flow(sqlite_tm, seed_train(sqlite_tm))
    bootstrap.default_app().clock = sqlite_tm.clock
    yield sqlite_tm
    bootstrap.default_app.cache_clear()


def invoke(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_metrics_prints_flow_metrics_and_json(cli_db):
    assert "flow time 50 / 85 / 95 % (days)" in invoke("metrics", "--art", "PAY")
    data = json.loads(invoke("metrics", "--team", "Osprey", "--pi", "none", "--json"))
    assert data["metrics"]["velocity"]["total"] == 45 and data["scope"]["team"] == "Osprey"


def test_forecast_prints_likelihood_and_backtested_hit_rate(cli_db):
    out = invoke("forecast", "--pi", "PI 26.4", "--trials", "2000")
    assert "rest of PI 26.4 scope:" in out and "done by (85 %)" in out
    data = json.loads(invoke("forecast", "--item", "PAY-1", "--trials", "1000", "--json"))
    assert data["kind"] == "feature" and data["remaining"] == 5


def test_forecast_backtest_is_mounted():
    result = runner.invoke(app, ["forecast", "backtest", "--help"])
    assert result.exit_code == 0 and "calibration" in result.output


def test_unknown_item_is_one_line_error(cli_db):
    result = runner.invoke(app, ["forecast", "--item", "NOPE-9"])
    assert result.exit_code != 0 and "no item 'NOPE-9'" in str(result.exception)


@pytest.mark.parametrize("fmt", ["md", "html", "pdf"])
def test_report_writes_each_format(cli_db, tmp_path, fmt):
    target = tmp_path / f"r.{fmt}"
    invoke("report", "--pi", "PI 26.4", "--format", fmt, "--out", str(target))
    body = target.read_bytes()
    assert body.startswith({"md": "# Payments ART · PI 26.4".encode(), "html": b"<!doctype html>",
                            "pdf": b"%PDF-"}[fmt])


def test_markdown_report_goes_to_stdout_without_out(cli_db):
    out = invoke("report", "--pi", "PI 26.4", "--format", "md")
    assert "## Forecast of the remaining scope" in out and "## Open impediments" in out
