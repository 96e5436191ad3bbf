"""`trainmaster pi readiness`, `wsjf`, `capacity`, `agenda …` — before the PI Planning event."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from typing import Annotated

import typer

from trainmaster.cli.context import cli_actor, tm
from trainmaster.cli.output import console, print_json, show
from trainmaster.domain.pi import Pi
from trainmaster.services import agenda, overview, planning
from trainmaster.services.planning_json import (
    capacity_json,
    guardrails_json,
    ranked_json,
    readiness_json,
    rollup_json,
)

agenda_app = typer.Typer(help="The PI Planning agenda.", no_args_is_help=True)

Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
ArtOpt = Annotated[str | None, typer.Option("--art", help="ART key or id.")]
PiOpt = Annotated[str, typer.Option("--pi", help="PI name or id.")]


def find_pi(pi: str, art: str | None) -> Pi:
    return overview.find_pi(tm().uow(), cli_actor(), pi, art_ref=art)


def art_id(art: str | None) -> int:
    """The ART named, or the only one."""
    app, actor = tm(), cli_actor()
    if art:
        return overview.find_art(app.uow(), actor, art).id or 0
    arts = overview.list_arts(app.uow(), actor)
    if len(arts) != 1:
        raise typer.BadParameter("there are several ARTs: give --art", param_hint="--art")
    return arts[0].id or 0


def readiness(pi: str, art: ArtOpt = None, limit: int = 20, as_json: Json = False) -> None:
    """Readiness of a PI for planning: a score and what to fix."""
    view = planning.check_readiness(tm().uow(), cli_actor(), find_pi(pi, art).id or 0,
                                    limit=limit)
    if as_json:
        return print_json(readiness_json(view))
    r = view.readiness
    colour = {"green": "green", "amber": "yellow", "red": "red"}[r.level]
    console.print(f"[bold]{view.pi.name}[/bold] readiness [{colour}]{r.score}/100[/{colour}] "
                  f"· {len(r.findings)} to fix · {r.features_examined} features examined")
    show("What to fix", ["area", "what", "problem", "fix"],
         [(f.area, f.subject, f.problem, f.fix) for f in r.findings])


def wsjf(art: ArtOpt = None, pi: Annotated[str | None, typer.Option(help="Only this PI.")] =
         None, epics: Annotated[bool, typer.Option("--epics", help="Epic roll-up.")] = False,
         as_json: Json = False) -> None:
    """The ART backlog ranked by WSJF (ties: smaller job first), or the epic roll-up."""
    app, actor, aid = tm(), cli_actor(), art_id(art)
    if epics:
        rollups = planning.roll_up_epics(app.uow(), actor, aid)
        if as_json:
            return print_json([rollup_json(r) for r in rollups])
        return show("Epics", ["epic", "features", "estimate", "not estimated", "accepted",
                              "progress"],
                    [(f"{r.epic.key} {r.epic.title}", r.features, f"{r.estimate:g}",
                      r.unestimated, f"{r.accepted:g}",
                      "–" if r.progress is None else f"{r.progress:.0%}") for r in rollups])
    pi_id = find_pi(pi, art).id if pi else None
    ranked = planning.rank_backlog(app.uow(), actor, aid, pi_id=pi_id)
    if as_json:
        return print_json([ranked_json(r) for r in ranked])
    show("ART backlog by WSJF", ["#", "feature", "state", "BV", "TC", "RR", "size", "WSJF"],
         [(r.rank, f"{r.item.key} {r.item.title}", r.item.status, r.item.business_value,
           r.item.time_criticality, r.item.risk_reduction, r.item.job_size, r.wsjf)
          for r in ranked])


def capacity(pi: PiOpt, art: ArtOpt = None, team: Annotated[str | None, typer.Option(
        help="Only this team.")] = None, as_json: Json = False) -> None:
    """Capacity vs load per team and iteration, and the guardrails of the plan."""
    app, actor = tm(), cli_actor()
    found = find_pi(pi, art)
    team_id = planning.find_team(app.uow(), actor, found.art_id, team).id if team else None
    view = planning.plan_capacity(app.uow(), actor, found.id or 0, team_id=team_id)
    rails = planning.check_guardrails(app.uow(), actor, found.id or 0)
    if as_json:
        return print_json({"capacity": capacity_json(view), "guardrails": guardrails_json(rails)})
    show(f"Load / capacity · {view.pi.name}", ["team"] + [i.name for i in view.iterations],
         [[t.team.name] + [f"{'[red]' if x.overloaded else ''}{x.load:g} / {x.capacity:g}"
                           f"{'[/red]' if x.overloaded else ''}" for x in t.iterations]
          for t in view.teams])
    show("Guardrails", ["work type", "points", "share", "guardrail", "deviation", ""],
         [(r.work_type, f"{r.points:g}", f"{r.share:.1%}", f"{r.target:.1%}",
           f"{r.deviation * 100:+.1f} pts", "FLAGGED" if r.flagged else "")
          for r in rails.rows])


def _hhmm(value: str, name: str) -> time:
    try:
        return time.fromisoformat(value.zfill(5))
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a time HH:MM", param_hint=name) from None


def _show_agenda(view: agenda.AgendaView) -> None:
    show(f"{view.pi.name} PI Planning agenda ({view.art.timezone})",
         ["#", "day", "date", "from", "to", "timebox"],
         [(i.position, i.day, f"{view.local(i.start):%a %d %b}", f"{view.local(i.start):%H:%M}",
           f"{view.local(i.end):%H:%M}", i.title) for i in view.items])


@agenda_app.command("generate")
def agenda_generate(pi: PiOpt, art: ArtOpt = None, day_one: Annotated[
        str | None, typer.Option(help="First day (YYYY-MM-DD); default: the PI Planning "
                                      "event, else the PI's start.")] = None) -> None:
    """Generate (or regenerate) the default two-day agenda."""
    view = agenda.generate_agenda(tm().uow(), cli_actor(), find_pi(pi, art).id or 0,
                                  day_one=date.fromisoformat(day_one) if day_one else None,
                                  at=tm().clock())
    _show_agenda(view)


@agenda_app.command("show")
def agenda_show(pi: PiOpt, art: ArtOpt = None, as_json: Json = False) -> None:
    """The agenda's timeboxes."""
    view = agenda.show_agenda(tm().uow(), cli_actor(), find_pi(pi, art).id or 0)
    if as_json:
        return print_json(view.items)
    _show_agenda(view)


@agenda_app.command("set")
def agenda_set(position: int, pi: PiOpt, start: Annotated[str, typer.Option(help="HH:MM")],
               end: Annotated[str, typer.Option(help="HH:MM")], art: ArtOpt = None,
               title: Annotated[str | None, typer.Option()] = None) -> None:
    """Retime timebox number POSITION (local time of the ART)."""
    view = agenda.show_agenda(tm().uow(), cli_actor(), find_pi(pi, art).id or 0)
    item = next((i for i in view.items if i.position == position), None)
    if item is None:
        raise typer.BadParameter(f"no timebox {position}", param_hint="POSITION")
    agenda.retime_timebox(tm().uow(), cli_actor(), item.id or 0, start=_hhmm(start, "--start"),
                          end=_hhmm(end, "--end"), title=title, at=tm().clock())
    _show_agenda(agenda.show_agenda(tm().uow(), cli_actor(), view.pi.id or 0))


@agenda_app.command("export")
def agenda_export(pi: PiOpt, art: ArtOpt = None, out: Annotated[
        Path | None, typer.Option("--out", help="File to write; default stdout.")] = None
        ) -> None:
    """The agenda as iCalendar."""
    data = agenda.export_agenda(tm().uow(), cli_actor(), find_pi(pi, art).id or 0,
                                at=tm().clock())
    if out is None:
        typer.echo(data.decode())
    else:
        out.write_bytes(data)
        console.print(f"wrote {out}")
