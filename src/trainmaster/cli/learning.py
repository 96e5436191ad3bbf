"""`trainmaster triage …`, `risk radar|confirm|dismiss`, `retrain …`, `evaluate demo-risk`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from trainmaster.cli.context import cli_actor, tm
from trainmaster.cli.output import console, print_json, show
from trainmaster.cli.planning import ArtOpt, Json, art_id, find_pi
from trainmaster.domain.errors import Invalid
from trainmaster.services import overview, risk_radar, triage

triage_app = typer.Typer(help="Backlog triage: suggested type, team, estimate, WSJF terms.",
                         no_args_is_help=True)
retrain_app = typer.Typer(help="Retrain the learned models, now or on a schedule.",
                          no_args_is_help=True)
evaluate_app = typer.Typer(help="Learning features measured.", no_args_is_help=True)


def _value(field: str, value: str | None, teams: dict[int, str]) -> str:
    if value is None:
        return "–"
    return teams.get(int(value), value) if field == "team_id" else value


def _reason_text(reasons: list[dict[str, Any]]) -> str:
    return "; ".join(r["text"] for r in reasons[:3])


@triage_app.command("list")
def triage_list(art: ArtOpt = None, refresh: Annotated[bool, typer.Option(
        help="Compute fresh suggestions first.")] = False, as_json: Json = False) -> None:
    """The triage queue: each suggestion with its confidence and reasons."""
    app, actor, aid = tm(), cli_actor(), art_id(art)
    if refresh:
        triage.refresh_triage(app.uow(), actor, aid, at=app.clock())
    queue = triage.triage_queue(app.uow(), actor, aid)
    if as_json:
        return print_json([{"item": e.item.key, "title": e.item.title, "team": e.team,
                            "suggestions": e.suggestions} for e in queue])
    teams = triage.team_names(app.uow(), actor, aid)
    show("Triage queue", ["id", "item", "field", "suggested", "now", "confidence", "why"],
         [(s.id, e.item.key, s.field.replace("_id", ""), _value(s.field, s.value, teams)
           + (f" ({s.low:g}–{s.high:g})" if s.low is not None else ""),
           _value(s.field, s.current, teams), f"{s.confidence:.0%}", _reason_text(s.reasons))
          for e in queue for s in e.suggestions])


@triage_app.command("refresh")
def triage_refresh(art: ArtOpt = None, as_json: Json = False) -> None:
    """Suggest values for new, changed or incomplete backlog items."""
    app = tm()
    made = triage.refresh_triage(app.uow(), cli_actor(), art_id(art), at=app.clock())
    print_json({"suggestions": made}) if as_json else console.print(f"{made} suggestions")


def _decide(suggestion: int, action: str, value: str | None, as_json: bool) -> None:
    app = tm()
    s = triage.decide_suggestion(app.uow(), cli_actor(), suggestion, action, value=value,
                                 at=app.clock())
    if as_json:
        return print_json(s)
    console.print(f"suggestion {s.id}: {s.status.value} ({s.field} = {s.decided_value or '–'})")


@triage_app.command("accept")
def triage_accept(suggestion: int, as_json: Json = False) -> None:
    """Accept a suggestion: the value is written to the item."""
    _decide(suggestion, "accept", None, as_json)


@triage_app.command("edit")
def triage_edit(suggestion: int, value: str, as_json: Json = False) -> None:
    """Keep another value than the suggested one (team id, work type, points, WSJF term)."""
    _decide(suggestion, "edit", value, as_json)


@triage_app.command("reject")
def triage_reject(suggestion: int, as_json: Json = False) -> None:
    """Reject a suggestion: the item keeps its value; the value is not proposed again."""
    _decide(suggestion, "reject", None, as_json)


def radar(pi: Annotated[str | None, typer.Option("--pi", help="PI name or id (default: the "
                                                 "current one).")] = None,
          art: ArtOpt = None, team: Annotated[str | None, typer.Option(help="Team name.")] = None,
          kind: Annotated[str | None, typer.Option(
              help="objective, feature or iteration")] = None,
          limit: Annotated[int, typer.Option(help="Show the N most likely.")] = 20,
          refresh: Annotated[bool, typer.Option(help="Predict again now.")] = False,
          as_json: Json = False) -> None:
    """The risk radar: likely misses of objectives, features and iterations, with reasons."""
    app, actor = tm(), cli_actor()
    found = _pi(pi, art)
    team_id = _team(found.art_id, team)
    r = risk_radar.risk_radar(app.uow(), actor, found.id or 0, at=app.clock(), team_id=team_id,
                              subject=kind, refresh=refresh)
    if as_json:
        return print_json({"pi": found.name, "predictability": r.forecast, "note": r.note,
                           "items": [{"id": i.forecast.id, "subject": i.forecast.subject,
                                      "label": i.forecast.label, "team": i.team,
                                      "probability": i.forecast.probability,
                                      "reasons": i.reasons, "status": i.forecast.status}
                                     for i in r.items[:limit]]})
    if r.note:
        console.print(r.note)
    f = r.forecast
    if f.median is not None:
        console.print(f"Predictability forecast: {f.median} % (80 % range {f.low}–{f.high} %)")
    show(f"Risk radar · {found.name}", ["id", "p", "kind", "what", "team", "why"],
         [(i.forecast.id, f"{i.forecast.probability:.0%}", i.forecast.subject.value,
           i.forecast.label, i.team, "; ".join(i.reasons)) for i in r.items[:limit]])


def _pi(pi: str | None, art: str | None) -> Any:
    if pi:
        return find_pi(pi, art)
    app = tm()
    pis = overview.list_pis(app.uow(), cli_actor(), art_id(art))
    current = overview.current_pi(pis, app.clock().date())
    if current is None:
        raise Invalid("no current PI: give --pi", field="pi")
    return current


def _team(art: int, name: str | None) -> int | None:
    if name is None:
        return None
    teams = triage.team_names(tm().uow(), cli_actor(), art)
    found = [tid for tid, n in teams.items() if n.lower() == name.strip().lower()]
    if not found:
        raise Invalid(f"no team {name!r} on this train", field="team")
    return found[0]


def risk_confirm(forecast: int, as_json: Json = False) -> None:
    """Put a risk radar prediction on the ROAM board as an unroamed ART risk."""
    app = tm()
    risk = risk_radar.confirm_risk(app.uow(), cli_actor(), forecast, at=app.clock())
    print_json(risk) if as_json else console.print(f"risk {risk.id}: {risk.title}")


def risk_dismiss(forecast: int) -> None:
    """Keep a risk radar prediction off the ROAM suggestions."""
    f = risk_radar.dismiss_forecast(tm().uow(), cli_actor(), forecast)
    console.print(f"prediction {f.id}: {f.status.value}")


@retrain_app.command("triage")
def retrain_triage(art: ArtOpt = None, as_json: Json = False) -> None:
    """Retrain backlog triage now and refresh the queue."""
    app, actor, aid = tm(), cli_actor(), art_id(art)
    stored = triage.retrain(app.uow(), actor, aid, "triage", at=app.clock())
    made = triage.refresh_triage(app.uow(), actor, aid, at=app.clock())
    _trained(stored, as_json, f", {made} suggestions")


@retrain_app.command("risk")
def retrain_risk(art: ArtOpt = None, as_json: Json = False) -> None:
    """Retrain the risk radar's models now on the finished PIs."""
    app = tm()
    _trained(triage.retrain(app.uow(), cli_actor(), art_id(art), "risk", at=app.clock()),
             as_json, "")


def _trained(stored: Any, as_json: bool, extra: str) -> None:
    if as_json:
        return print_json({"kind": stored.kind, "version": stored.version,
                           "trained_on": stored.trained_on, "metrics": stored.metrics})
    console.print(f"{stored.kind.value} model v{stored.version} trained on "
                  f"{stored.trained_on} rows{extra}: {stored.metrics}")


@retrain_app.command("schedule")
def retrain_schedule(kind: str, art: ArtOpt = None, every: Annotated[int | None, typer.Option(
        help="Hours between retrainings.")] = None, off: Annotated[bool, typer.Option(
        help="Switch the schedule off.")] = False) -> None:
    """Retrain triage or risk every N hours (the worker queues it when due)."""
    if every is None and not off:
        raise Invalid("give --every N or --off", field="every")
    s = triage.set_retrain_schedule(tm().uow(), cli_actor(), art_id(art), kind,
                                    None if off else every)
    console.print(f"{kind}: every {s.every_hours} h" if s and s.enabled else f"{kind}: off")


@retrain_app.command("due")
def retrain_due(as_json: Json = False) -> None:
    """Queue the retrainings whose schedule is due (for cron; `trainmaster worker` runs them)."""
    app = tm()
    queued = triage.enqueue_due_retrains(app.uow(), at=app.clock())
    if as_json:
        return print_json([{"job": j.id, "kind": j.kind, "art_id": j.payload["art_id"]}
                           for j in queued])
    console.print(f"{len(queued)} retraining job(s) queued")


@evaluate_app.command("demo-risk")
def evaluate_demo_risk(seeds: Annotated[str, typer.Option(
        help="Comma-separated simulator seeds.")] = "1,2,3,4,5,6",
        arts: Annotated[int, typer.Option(help="ARTs per seed.")] = 2,
        as_json: Json = False) -> None:
    """The risk radar on the demo simulator: train on 3 PIs, test on the 2 after."""
    from trainmaster.evaluation.demo_risk_eval import evaluate_demo_risk as run

    chosen = tuple(int(s) for s in seeds.split(",") if s.strip())
    result = run(chosen, arts=arts)
    if as_json:
        return print_json(result)
    for s in result.subjects:
        show(f"{s.subject}: {s.train_rows} training rows, {s.test_rows} test rows, "
             f"miss rate {s.test_miss_rate:.3f}", ["method", "ROC AUC", "Brier", "ECE"],
             [(m.method, f"{m.auc:.3f}", f"{m.brier:.4f}", f"{m.ece:.3f}") for m in s.scores])
        show("reliability (model)", ["predicted", "rows", "mean predicted", "observed"],
             [(f"{b.lower:.1f}–{b.upper:.1f}", b.count, f"{b.mean_predicted:.3f}",
               f"{b.observed_rate:.3f}") for b in s.reliability])
