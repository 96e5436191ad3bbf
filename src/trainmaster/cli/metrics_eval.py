"""`trainmaster forecast backtest` — are Monte Carlo likelihoods true on real projects?"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.progress import Progress

from trainmaster.analytics.forecast import DEFAULT_METHOD, DEFAULT_TRIALS, Method
from trainmaster.cli.output import console, errors, print_json, show
from trainmaster.evaluation.forecast_backtest import (
    BacktestConfig,
    BacktestReport,
    CalibrationRow,
    LopoReport,
    default_data_dir,
    leave_one_project_out,
    load_projects,
    run_backtest,
    write_chart,
)

T = TypeVar("T")
app = typer.Typer(help="Monte Carlo forecasts and their back-test.", no_args_is_help=True)


@app.callback()
def forecast() -> None:
    """Monte Carlo forecasts and their back-test."""


@app.command("backtest")
def backtest(
    data: Annotated[Path | None, typer.Option(
        help="resolution_dates folder, or the evaluation data folder holding it "
             "(default: TRAINMASTER_EVAL_DATA or ../shared/data)")] = None,
    method: Annotated[list[Method] | None, typer.Option(
        help=f"Sampling method; repeat to compare (default {DEFAULT_METHOD.value}).")] = None,
    trials: Annotated[int, typer.Option(help="Trials per forecast.")] = DEFAULT_TRIALS,
    step: Annotated[int, typer.Option(help="Days between cut dates.")] = 7,
    seed: Annotated[int, typer.Option(help="Seed; same seed, same table.")] = 0,
    lopo: Annotated[bool, typer.Option(help="Also choose the mixed-windows range "
                                       "leaving one project out, and score it held out.")
                    ] = False,
    chart: Annotated[Path | None, typer.Option(help="Write a calibration chart (PNG).")
                     ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Forecast at many past cut dates of every project and count how often each
    likelihood came true (calibration: 85 % should come true 85 % of the time)."""
    projects = load_projects(_folder(data))
    config = BacktestConfig(trials=trials, step_days=step, seed=seed)
    report = _with_progress(lambda tick: run_backtest(projects, method or [DEFAULT_METHOD],
                                                      config, tick))
    held = _with_progress(lambda tick: leave_one_project_out(
        projects, config=config, progress=tick)) if lopo else None
    rows = [*report.rows, *(held.rows if held else ())]
    if chart:
        write_chart(rows, chart)
    if as_json:
        return print_json({"backtest": report, "leave_one_project_out": held})
    _render(report, held, chart)


def _folder(data: Path | None) -> Path:
    root = data or default_data_dir()
    return root / "resolution_dates" if (root / "resolution_dates").is_dir() else root


def _with_progress(job: Callable[[Callable[[int, int], None]], T]) -> T:
    with Progress(console=errors, transient=True) as bar:
        task = bar.add_task("back-testing", total=None)
        return job(lambda done, total: bar.update(task, completed=done, total=total))


def _pct(row: CalibrationRow) -> str:
    return f"{row.rate * 100:.1f}" if row.cases else "–"


def table_rows(rows: Sequence[CalibrationRow]) -> list[list[str]]:
    """One line per method, question and horizon: hit rate (%) at each likelihood."""
    lines: dict[tuple[str, str, int], list[CalibrationRow]] = {}
    for r in rows:
        lines.setdefault((r.method, r.question, r.horizon), []).append(r)
    return [[m, q, f"{h} d" if h else "all", *(_pct(r) for r in cells), str(cells[0].cases)]
            for (m, q, h), cells in lines.items()]


def _render(report: BacktestReport, held: LopoReport | None, chart: Path | None) -> None:
    levels = [f"{p} %" for p in report.config.levels]
    show(f"Forecast calibration: {len(report.projects)} projects, {report.cuts} cut dates "
         f"({report.skipped_cuts} skipped: no completion in the previous "
         f"{report.config.warmup_days} days), {report.config.trials} trials",
         ["method", "question", "horizon", *levels, "cases"], table_rows(report.rows))
    for m, mae in report.mean_abs_error.items():
        per = report.project_errors.get(m, {})
        worst = max(per, key=per.__getitem__) if per else None
        console.print(f"{m}: mean |hit rate − likelihood| {mae:.1f} points, worst cell "
                      f"{report.max_abs_error[m]:.1f}; per project: median "
                      f"{statistics.median(per.values()) if per else float('nan'):.1f}, "
                      f"worst {per.get(worst, float('nan')):.1f} ({worst})")
    if held:
        show("Leave one project out (range chosen on the other projects)",
             ["method", "question", "horizon", *levels, "cases"], table_rows(held.rows))
        chosen = Counter(held.chosen.values())
        console.print(f"held out: mean {held.mean_abs_error:.1f} points, worst "
                      f"{held.max_abs_error:.1f}; window ranges chosen (days): "
                      + ", ".join(f"{a}..{b} x{n}" for (a, b), n in chosen.most_common()))
    if chart:
        console.print(f"chart written to {chart}")
