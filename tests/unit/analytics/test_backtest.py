"""Forecast back-test on synthetic histories, its CLI, and one run on the real data."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from trainmaster.analytics.forecast import ThroughputHistory
from trainmaster.cli.metrics_eval import app
from trainmaster.domain.errors import NotFound
from trainmaster.evaluation.forecast_backtest import (
    BacktestConfig,
    backtest_project,
    calibration,
    default_data_dir,
    errors_of,
    load_projects,
    run_backtest,
)

START = date(2020, 1, 1)
QUICK = BacktestConfig(trials=400, step_days=30)


def history(counts: list[int]) -> ThroughputHistory:
    return ThroughputHistory(START, np.array(counts, dtype=np.int64))


def rates(outcomes, question: int) -> dict[int, float]:
    sel = outcomes.question == question
    return {p: float(outcomes.hit[sel & (outcomes.level == p)].mean()) for p in (50, 85, 95)}


def test_steady_throughput_makes_every_forecast_come_true():
    out = backtest_project("steady", history([3] * 400), "mixed-windows", QUICK)
    assert out.cuts == len(range(90, 400 - 60 + 1, 30))
    assert out.hit.all() and out.hit.size == out.cuts * 2 * 3 * 3


def test_a_project_that_stops_misses_and_censored_when_cases_count_as_misses():
    stopped = history([1] * 150 + [0] * 60)
    out = backtest_project("stopped", stopped, "textbook", BacktestConfig(trials=200,
                                                                          step_days=60))
    assert out.cuts == 2  # cuts on day 90 (all come true) and day 150 (nothing more done)
    assert rates(out, 0) == {50: 0.5, 85: 0.5, 95: 0.5}
    assert rates(out, 1) == {50: 0.5, 85: 0.5, 95: 0.5}


def test_cuts_after_quiet_quarters_are_skipped():
    out = backtest_project("quiet", history([0] * 200 + [2] * 200), "textbook", QUICK)
    assert out.skipped_cuts == len(range(90, 200, 30)) - 0 and out.cuts > 0


def test_textbook_is_calibrated_on_a_history_that_meets_its_assumption():
    iid = np.random.default_rng(7).poisson(2.0, 3000).tolist()
    out = backtest_project("iid", history(iid), "textbook",
                           BacktestConfig(trials=1000, step_days=10))
    for question in (0, 1):
        for level, rate in rates(out, question).items():
            assert abs(rate * 100 - level) < 8, (question, level, rate)


def test_calibration_pools_projects_and_reports_errors():
    config = BacktestConfig(trials=200, step_days=60)
    a = backtest_project("a", history([1] * 150 + [0] * 60), "textbook", config)
    b = backtest_project("b", history([2] * 210), "textbook", config)
    rows = calibration([a, b], config)
    cell = next(r for r in rows if r.question == "how many" and r.horizon == 14
                and r.level == 85)
    assert (cell.hits, cell.cases, cell.projects) == (3, 4, 2)
    assert cell.rate == 0.75 and cell.project_mean == 0.75
    mean, worst = errors_of(rows)
    # every cell came true 3 times in 4: |75 - 50|, |75 - 85|, |75 - 95|
    assert worst["textbook"] == 25.0 and mean["textbook"] == pytest.approx(55 / 3)


def test_same_seed_same_report():
    projects = {"p": history(np.random.default_rng(1).poisson(1.0, 400).tolist())}
    one = run_backtest(projects, ["mixed-windows"], QUICK)
    two = run_backtest(projects, ["mixed-windows"], QUICK)
    assert one.rows == two.rows


def write_project(folder: Path, name: str, counts: list[int], header: bool = False) -> None:
    (folder / name).mkdir(parents=True)
    days = [START + timedelta(days=d) for d, c in enumerate(counts) for _ in range(c)]
    lines = (["resolved"] if header else []) + [d.isoformat() for d in days] + [""]
    (folder / name / f"{name}.csv").write_text("\n".join(lines))


def test_load_projects_reads_one_folder_per_project(tmp_path):
    write_project(tmp_path, "alpha", [1, 0, 2], header=True)
    write_project(tmp_path, "beta", [0, 3])
    projects = load_projects(tmp_path)
    assert projects["alpha"].counts.tolist() == [1, 0, 2]
    assert projects["beta"].counts.tolist() == [3] and projects["beta"].first_day == date(
        2020, 1, 2)


def test_load_projects_refuses_a_missing_or_empty_folder(tmp_path):
    with pytest.raises(NotFound):
        load_projects(tmp_path / "absent")
    with pytest.raises(NotFound):
        load_projects(tmp_path)


def test_cli_prints_json_and_writes_a_chart(tmp_path):
    write_project(tmp_path / "resolution_dates", "alpha", [2, 1, 0, 3] * 80)
    chart = tmp_path / "calibration.png"
    result = CliRunner().invoke(app, ["backtest", "--data", str(tmp_path), "--trials", "200",
                                      "--step", "30", "--method", "textbook", "--method",
                                      "mixed-windows", "--chart", str(chart), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)["backtest"]
    assert report["projects"] == ["alpha"]
    assert {r["method"] for r in report["rows"]} == {"textbook", "mixed-windows"}
    assert chart.read_bytes()[:4] == b"\x89PNG"


def test_cli_prints_a_calibration_table(tmp_path):
    write_project(tmp_path, "alpha", [2, 1, 0, 3] * 60)
    result = CliRunner().invoke(app, ["backtest", "--data", str(tmp_path), "--trials", "100",
                                      "--step", "45"])
    assert result.exit_code == 0, result.output
    assert "how many" in result.output and "mixed-windows" in result.output


REAL = default_data_dir() / "resolution_dates"


@pytest.mark.evaluation
@pytest.mark.skipif(not REAL.is_dir(), reason=f"no evaluation data at {REAL} "
                    "(set TRAINMASTER_EVAL_DATA)")
def test_mixed_windows_are_better_calibrated_than_textbook_on_real_projects():
    projects = load_projects(REAL)
    report = run_backtest(projects, ["textbook", "mixed-windows"],
                          BacktestConfig(trials=300, step_days=56))
    assert report.mean_abs_error["mixed-windows"] < report.mean_abs_error["textbook"] / 2
    assert report.max_abs_error["mixed-windows"] < 8
