"""`trainmaster metrics`, `trainmaster forecast` and `trainmaster report` — flow metrics,
Monte Carlo forecasts and the PI status report from the terminal."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from trainmaster.cli import metrics_eval
from trainmaster.cli.context import cli_actor, tm
from trainmaster.cli.output import console, print_json, show

if TYPE_CHECKING:
    from trainmaster.services.forecasts import ScopeForecast

Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
ArtOpt = Annotated[str | None, typer.Option("--art", help="ART key or id (default: the only "
                                                           "ART).")]
TeamOpt = Annotated[str | None, typer.Option("--team", help="Team name or id.")]
PiOpt = Annotated[str | None, typer.Option("--pi", help="PI name or id (default: the current "
                                                         "PI; 'none': the last 90 days).")]

forecast_app = typer.Typer(help="Monte Carlo forecasts and their back-test.",
                           invoke_without_command=True)
forecast_app.command("backtest")(metrics_eval.backtest)


def _art(art: str | None) -> str:
    from trainmaster.services import dashboard
    return art or dashboard.only_art_key(tm().uow())


def _fmt(value: Any, suffix: str = "") -> str:
    return "–" if value is None else f"{value:.1f}{suffix}" if isinstance(value, float) \
        else f"{value}{suffix}"


def metrics(art: ArtOpt = None, team: TeamOpt = None, pi: PiOpt = None,
            level: Annotated[str, typer.Option(help="story or feature")] = "story",
            as_json: Json = False) -> None:
    """The six flow metrics of an ART or team, per team, and predictability across PIs."""
    from trainmaster.services import dashboard
    app = tm()
    view = dashboard.dashboard_view(app.uow(), cli_actor(), _art(art), team=team, pi=pi,
                                    level=level, at=app.clock(), forecast=False)
    data = view.as_dict()
    if as_json:
        return print_json(data)
    m = data["metrics"]
    console.print(f"[bold]{view.dashboard.scope.label}[/bold] · {level} items · "
                  f"{data['scope']['start']} – {data['scope']['end']}")
    if m is None:
        console.print("no status history for this selection yet")
    else:
        ft = m["flow_time_days"]["percentiles"]
        eff = m["efficiency"]["value"]
        show("Flow metrics", ["metric", "value"], [
            ("flow velocity (done)", m["velocity"]["total"]),
            ("flow time 50 / 85 / 95 % (days)", " / ".join(_fmt(ft[p]) for p in ("50", "85",
                                                                                   "95"))),
            ("flow load (WIP at end)", m["load"]["at_end"]),
            ("flow efficiency", _fmt(None if eff is None else eff * 100, " %")),
            ("flow distribution (done)", ", ".join(
                f"{k} {v}" for k, v in m["distribution"]["completed"].items()) or "–")])
    _teams_and_predictability(data)


def _teams_and_predictability(data: dict[str, Any]) -> None:
    if data["teams"]:
        show("Per team", ["team", "done", "flow time 85 % (d)", "WIP", "efficiency"], [
            (name, t["velocity"]["total"], _fmt(t["flow_time_days"]["percentiles"]["85"]),
             t["load"]["at_end"], _fmt(None if t["efficiency"]["value"] is None
                                       else t["efficiency"]["value"] * 100, " %"))
            for name, t in data["teams"].items()])
    rows = data["charts"]["predictability"]
    if rows:
        show("Predictability (healthy band 80–100 %)", ["PI", "ART", "band", "teams"], [
            (r["pi"], _fmt(r["art"]["percent"], " %"), r["art"]["band"],
             ", ".join(f"{t['label']} {_fmt(t['percent'], ' %')}" for t in r["teams"]))
            for r in rows])


@forecast_app.callback()
def forecast(ctx: typer.Context, art: ArtOpt = None, pi: PiOpt = None, team: TeamOpt = None,
             item: Annotated[str | None, typer.Option(help="Feature or epic key (or id).")
                             ] = None,
             seed: Annotated[int, typer.Option(help="Seed; same seed, same forecast.")] = 0,
             trials: Annotated[int, typer.Option(help="Monte Carlo trials.")] = 10_000,
             as_json: Json = False) -> None:
    """When will the rest of the PI's scope (or a feature or epic) be done, how likely by
    the PI's end, and how often the method came true on this train's own history."""
    if ctx.invoked_subcommand is not None:
        return
    from trainmaster.services import dashboard, forecasts
    app = tm()
    found = dashboard.forecast_for(app.uow(), cli_actor(), None if item else _art(art),
                                   pi=pi, team=team, item=item, at=app.clock(), seed=seed,
                                   trials=trials)
    if as_json:
        return print_json(forecasts.forecast_dict(found))
    _render_forecast(found)


def _render_forecast(f: ScopeForecast) -> None:
    console.print(f"[bold]{f.sentence}[/bold]")
    rows: list[tuple[str, Any]] = [("stories in scope / done / remaining",
                                    f"{f.total} / {f.done} / {f.remaining}")]
    if f.when is not None:
        rows += [(f"done by ({p} %)", f.when.percentiles.get(p) or "beyond")
                 for p in (50, 85, 95)]
        rows += [("method", f.when.sample.method),
                 ("sample", f"{f.when.sample.start} – {f.when.sample.end} of "
                            f"{f.team or 'ART'} throughput ({f.history_items} stories done)"),
                 ("trials / seed", f"{f.when.trials} / {f.when.seed}")]
    if f.how_many is not None:
        rows += [(f"at least this many done by {f.deadline} ({p} %)",
                  f.how_many.percentiles[p]) for p in (50, 85, 95)]
    if f.accuracy is not None:
        for q, rates in f.accuracy.hit_rates.items():
            rows.append((f"back-tested hit rate '{q}' (50 / 85 / 95 %)", " / ".join(
                _fmt(None if rates.get(p) is None else rates[p] * 100, " %")
                for p in (50, 85, 95)) + f" ({f.accuracy.cases.get(q, 0)} cases)"))
    show(f"Forecast: {f.label}", ["", "value"], rows)


def report(pi: Annotated[str, typer.Option("--pi", help="PI name or id.")],
           art: ArtOpt = None,
           fmt: Annotated[str, typer.Option("--format", help="html, pdf or md")] = "html",
           out: Annotated[Path | None, typer.Option(
               help="File to write (default: stdout for html and md, "
                    "report-<pi>.pdf for pdf).")] = None) -> None:
    """The PI's stakeholder status report: objectives and predictability, flow metrics with
    charts, forecast and its accuracy, top risks, late dependencies, open impediments."""
    from trainmaster.services import overview, reports
    app, actor = tm(), cli_actor()
    found = overview.find_pi(app.uow(), actor, pi, art_ref=art)
    built = reports.pi_report(app.uow(), actor, found.id or 0, at=app.clock())
    body = reports.render_report(built, fmt)
    if out is None and fmt != "pdf":
        typer.echo(body.decode(), nl=False)
        return
    target = out or Path(f"{built.filename_stem}.pdf")
    target.write_bytes(body)
    console.print(f"report written to {target} ({len(body):,} bytes)")
