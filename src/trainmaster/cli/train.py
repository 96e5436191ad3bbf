"""`trainmaster art|pi|team` — look at the train from the terminal."""

from __future__ import annotations

from typing import Annotated

import typer

from trainmaster.cli.context import cli_actor, tm
from trainmaster.cli.output import console, print_json, show
from trainmaster.domain.art import Art
from trainmaster.domain.errors import NotFound
from trainmaster.services import overview

art_app = typer.Typer(help="Agile Release Trains.", no_args_is_help=True)
pi_app = typer.Typer(help="Program Increments.", no_args_is_help=True)
team_app = typer.Typer(help="Teams.", no_args_is_help=True)

Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
ArtOpt = Annotated[str | None, typer.Option("--art", help="ART key or id.")]


def _arts(ref: str | None) -> list[Art]:
    """The ART named, or every ART."""
    app, actor = tm(), cli_actor()
    if ref:
        return [overview.find_art(app.uow(), actor, ref)]
    return overview.list_arts(app.uow(), actor)


@art_app.command("list")
def art_list(as_json: Json = False) -> None:
    """List the trains."""
    arts = overview.list_arts(tm().uow(), cli_actor())
    if as_json:
        return print_json(arts)
    show("ARTs", ["id", "key", "name", "time zone"],
         [(a.id, a.key, a.name, a.timezone) for a in arts])


@art_app.command("show")
def art_show(art: str, as_json: Json = False) -> None:
    """Teams, people and the current PI of one train."""
    app, actor = tm(), cli_actor()
    found = overview.find_art(app.uow(), actor, art)
    view = overview.art_overview(app.uow(), actor, found.id or 0, today=app.clock().date())
    if as_json:
        return print_json(view)
    it = view.current_iteration
    console.print(f"[bold]{found.name}[/bold] ({found.key}, {found.timezone}) · "
                  f"{len(view.teams)} teams · {view.people_count} people · current PI "
                  f"{view.current_pi.name if view.current_pi else '–'}"
                  f"{f', iteration {it.name}' if it else ''}")
    show("Teams", ["team", "people", "capacity FTE"],
         [(r.team.name, len(r.members),
           f"{sum(m.allocation for _, m in r.members if m.counts_for_capacity):.1f}")
          for r in view.teams])


@pi_app.command("list")
def pi_list(art: ArtOpt = None, as_json: Json = False) -> None:
    """List the PIs of a train."""
    app, actor = tm(), cli_actor()
    arts = _arts(art)
    pis = [pi for a in arts for pi in overview.list_pis(app.uow(), actor, a.id or 0)]
    if as_json:
        return print_json(pis)
    show("PIs", ["id", "name", "start", "end", "iterations", "state"],
         [(p.id, p.name, p.start_date, p.end_date,
           f"{p.iterations}{' + IP' if p.has_ip else ''}", p.state.value) for p in pis])


@pi_app.command("show")
def pi_show(pi: str, art: ArtOpt = None, as_json: Json = False) -> None:
    """Features of a PI per team and iteration."""
    app, actor = tm(), cli_actor()
    found = overview.find_pi(app.uow(), actor, pi, art_ref=art)
    plan = overview.pi_plan(app.uow(), actor, found.id or 0)
    if as_json:
        return print_json({"pi": plan.pi, "iterations": plan.iterations, "teams": plan.teams,
                           "features": [f for fs in plan.cells.values() for f in fs]})
    columns = ["team"] + [i.name for i in plan.iterations] + ["unplanned"]
    rows = []
    for team in plan.teams:
        cells = [plan.cells.get((team.id, i.id), []) for i in plan.iterations]
        cells.append(plan.cells.get((team.id, None), []))
        rows.append([team.name] + ["\n".join(f.key for f in c) or "" for c in cells])
    show(f"{plan.pi.name} ({plan.pi.start_date} – {plan.pi.end_date})", columns, rows)


@team_app.command("show")
def team_show(team: str, art: ArtOpt = None, as_json: Json = False) -> None:
    """The members of a team."""
    app, actor = tm(), cli_actor()
    for a in _arts(art):
        view = overview.art_overview(app.uow(), actor, a.id or 0, today=app.clock().date())
        roster = next((r for r in view.teams if r.team.name.lower() == team.lower()), None)
        if roster:
            break
    else:
        raise NotFound(f"no team {team!r}")
    if as_json:
        return print_json({"team": roster.team, "members": [
            {"person": p, "membership": m} for p, m in roster.members]})
    show(f"Team {roster.team.name}", ["person", "role", "allocation"],
         [(p.name, m.role.value.replace("_", " "), f"{m.allocation:.0%}")
          for p, m in roster.members])
