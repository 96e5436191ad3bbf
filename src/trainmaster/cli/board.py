"""`trainmaster board`, `plan` and `dependency …` — the Program Board in the terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from trainmaster.cli.context import cli_actor, tm
from trainmaster.cli.output import console, print_json, show
from trainmaster.cli.planning import ArtOpt, Json, PiOpt, art_id, find_pi
from trainmaster.services import agreements, board, board_export, planning
from trainmaster.services.board_model import BoardModel

dependency_app = typer.Typer(help="Dependencies as agreements between teams.",
                             no_args_is_help=True)
STYLE = {"ok": "green", "at_risk": "yellow", "late": "bold red", "unplanned": "dim"}


def _card(model: BoardModel, card_id: int) -> str:
    card = next((c for c in model.cards if c.id == card_id), None)
    return card.key if card else str(card_id)


def _print_board(model: BoardModel) -> None:
    columns = ["team"] + [i.name for i in model.iterations] + ["unplanned"]
    rows = []
    milestones = [", ".join(m.title for m in model.milestones if m.iteration_id == i.id)
                  for i in model.iterations]
    rows.append(["milestones", *milestones, ""])
    for team in model.teams:
        cells = []
        for it in [*model.iterations, None]:
            keys = [f"{c.key}{'!' if c.decision else ''}"
                    for c in model.cell(team.id, it.id if it else None)]
            load = model.load(team.id, it.id) if it else None
            head = "" if load is None else (f"{'[red]' if load.overloaded else ''}"
                                            f"{load.load:g}/{load.capacity:g}"
                                            f"{'[/red]' if load.overloaded else ''}\n")
            cells.append(head + "\n".join(keys))
        rows.append([team.name, *cells])
    show(f"Program Board · {model.pi.name} (! needs a decision)", columns, rows)
    table_rows = [(Text(s.state.value.replace("_", " "), style=STYLE[s.state.value]), s.label,
                   s.agreement.value, s.needed_by or "", s.offered or "",
                   "cycle" if s.in_cycle else ("decide" if s.decision else ""))
                  for s in model.strings]
    show("Dependencies", ["state", "string", "agreement", "needed by", "offered", ""],
         table_rows)
    for cycle in model.cycles:
        console.print(f"[bold red]cycle:[/bold red] {' → '.join(cycle)} → {cycle[0]}")


def show_board(pi: PiOpt, art: ArtOpt = None,
               team: Annotated[list[str] | None, typer.Option(help="Only these teams.")] = None,
               state: Annotated[list[str] | None, typer.Option(
                   help="Only strings in these states (ok, at_risk, late, unplanned, "
                        "requested).")] = None,
               svg: Annotated[Path | None, typer.Option(help="Write the board as SVG.")] = None,
               pdf: Annotated[Path | None, typer.Option(help="Write the board as PDF.")] = None,
               as_json: Json = False) -> None:
    """The Program Board: cards per team and iteration, dependency states, cycles."""
    app, actor = tm(), cli_actor()
    found = find_pi(pi, art)
    teams = {planning.find_team(app.uow(), actor, found.art_id, t).id or 0 for t in team or ()}
    model = board.show_board(app.uow(), actor, found.id or 0, teams=teams or None,
                             states=set(state or ()) or None)
    if svg:
        svg.write_text(board_export.board_svg(model))
    if pdf:
        pdf.write_bytes(board_export.board_pdf(model))
    if as_json:
        return print_json(model.as_dict())
    _print_board(model)


def plan(item: str, iteration: Annotated[str, typer.Option(
        help="Iteration name (I3) or 'none' to unplan.")], art: ArtOpt = None,
         preview: Annotated[bool, typer.Option("--preview", help="Only show what would "
                                                            "change.")] = False,
         as_json: Json = False) -> None:
    """Plan a feature or story into an iteration of its PI (or preview the move)."""
    app, actor = tm(), cli_actor()
    found = planning.find_item(app.uow(), actor, item, art_id=art_id(art) if art else None)
    if found.pi_id is None:
        raise typer.BadParameter(f"{found.key} is not in a PI", param_hint="ITEM")
    target = None if iteration.lower() == "none" else planning.find_iteration(
        app.uow(), actor, found.pi_id, iteration).id
    if preview:
        p = board.preview_move(app.uow(), actor, found.id or 0, target)
        if as_json:
            return print_json(p)
        console.print(f"Moving {found.key} from {p.from_iteration or 'unplanned'} to "
                      f"{p.to_iteration or 'unplanned'} would change:")
        show("Strings", ["string", "now", "after"],
             [(s.label, s.before.value, s.after.value) for s in p.strings])
        show("Downstream", ["feature", "planned", "earliest", "state"],
             [(a.key, a.planned, a.earliest, a.after.value) for a in p.affected])
        return show("Objectives", ["team", "objective", "why"],
                    [(o.team, o.objective.text, o.reason) for o in p.objectives])
    result = board.plan_item(app.uow(), actor, found.id or 0, target, at=app.clock())
    if as_json:
        return print_json(result.item)
    touching = [s for s in result.board.strings if found.id in (s.consumer_id, s.provider_id)]
    console.print(f"{found.key} planned into {iteration}")
    show("Its strings", ["string", "state"], [(s.label, s.state.value) for s in touching])


@dependency_app.command("request")
def dependency_request(consumer: str, provider: str, art: ArtOpt = None,
                       by: Annotated[str | None, typer.Option(help="Needed by iteration.")] =
                       None, what: Annotated[str, typer.Option(help="What is needed.")] = "",
                       as_json: Json = False) -> None:
    """The consuming team requests PROVIDER for CONSUMER (keys or ids)."""
    app, actor = tm(), cli_actor()
    cons = planning.find_item(app.uow(), actor, consumer)
    prov = planning.find_item(app.uow(), actor, provider, art_id=cons.art_id)
    needed = planning.find_iteration(app.uow(), actor, cons.pi_id or 0, by).id if by else None
    dep = agreements.request_dependency(app.uow(), actor, cons.id or 0, prov.id or 0,
                                        needed_by_iteration_id=needed, description=what,
                                        at=app.clock())
    if as_json:
        return print_json(dep)
    console.print(f"dependency {dep.id}: {cons.key} needs {prov.key} — requested")


@dependency_app.command("answer")
def dependency_answer(dependency: int, answer: Annotated[str, typer.Argument(
        help="accepted, declined or countered")], iteration: Annotated[
        str | None, typer.Option(help="Iteration the providing team can deliver.")] = None,
        note: Annotated[str, typer.Option(help="Why (needed for a decline).")] = "",
        as_json: Json = False) -> None:
    """The providing team answers a request."""
    app, actor = tm(), cli_actor()
    record = agreements.show_dependency(app.uow(), actor, dependency)
    offered = planning.find_iteration(app.uow(), actor, record.provider.pi_id or
                                      record.consumer.pi_id or 0, iteration).id \
        if iteration else None
    dep = agreements.answer_dependency(app.uow(), actor, dependency, answer,
                                       iteration_id=offered, note=note, at=app.clock())
    if as_json:
        return print_json(dep)
    console.print(f"dependency {dep.id}: {record.consumer.key} needs {record.provider.key} — "
                  f"{dep.agreement.value}")


@dependency_app.command("show")
def dependency_show(dependency: int, as_json: Json = False) -> None:
    """A dependency and its agreement history."""
    record = agreements.show_dependency(tm().uow(), cli_actor(), dependency)
    if as_json:
        return print_json(record)
    console.print(f"{record.consumer.key} needs {record.provider.key}: "
                  f"{record.dependency.agreement.value}")
    show("History", ["when", "agreement", "offered iteration", "note"],
         [(e.at, e.agreement.value, e.offered_iteration_id, e.note) for e in record.history])
