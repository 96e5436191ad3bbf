"""`trainmaster deps …` — dependency analysis, slip preview and suggested dependencies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from trainmaster.cli.context import cli_actor, tm
from trainmaster.cli.output import console, errors, print_json, show
from trainmaster.services import suggestions  # registers the background job's handler

if TYPE_CHECKING:
    from trainmaster.services.dependency_graph import SlipPreview
    from trainmaster.services.dependency_views import DependencyAnalysis, MatrixCell

deps_app = typer.Typer(invoke_without_command=True)

Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
ArtOpt = Annotated[str | None, typer.Option("--art", help="ART key or id (alone: the "
                                                        "whole ART).")]
PiOpt = Annotated[str | None, typer.Option("--pi", help="PI name or id.")]
STYLE = {"ok": "green", "at_risk": "yellow", "late": "bold red", "unplanned": "dim"}


def _state(value: str, late: int = 0) -> Text:
    return Text(value.replace("_", " ") + (f" +{late}" if late else ""), style=STYLE[value])


def _scope(pi: str | None, art: str | None) -> dict[str, int]:
    from trainmaster.services import overview

    app, actor = tm(), cli_actor()
    if pi:
        return {"pi_id": overview.find_pi(app.uow(), actor, pi, art_ref=art).id or 0}
    if art:
        return {"art_id": overview.find_art(app.uow(), actor, art).id or 0}
    return {}


def _teams(refs: list[str], pi: str | None, art: str | None) -> set[int]:
    from trainmaster.services import overview, planning

    if not refs:
        return set()
    app, actor = tm(), cli_actor()
    if pi:
        art_id = overview.find_pi(app.uow(), actor, pi, art_ref=art).art_id
    elif art:
        art_id = overview.find_art(app.uow(), actor, art).id or 0
    else:
        raise typer.BadParameter("name teams together with --pi or --art", param_hint="--team")
    return {planning.find_team(app.uow(), actor, art_id, ref).id or 0 for ref in refs}


@deps_app.callback()
def deps(ctx: typer.Context, pi: PiOpt = None, art: ArtOpt = None,
         team: Annotated[list[str] | None, typer.Option(
             help="Only what touches these teams (names or ids).")] = None,
         as_json: Json = False) -> None:
    """Dependency analysis of a PI, an ART or (neither given) every ART.

    States, late and at-risk dependencies, cycles, critical path, who waits on whom and
    the items most depended on; `slip`, `suggest`, `accept` and `reject` below.
    """
    if ctx.invoked_subcommand:
        return
    from trainmaster.services import dependency_graph

    scope = _scope(pi, art)
    analysis = dependency_graph.analyse_dependencies(
        tm().uow(), cli_actor(), pi_id=scope.get("pi_id"), art_id=scope.get("art_id"),
        teams=_teams(team or [], pi, art))
    if as_json:
        return print_json(analysis.as_dict())
    _print_analysis(analysis)


def _print_analysis(a: DependencyAnalysis) -> None:
    console.print(f"[bold]{a.scope.label}[/bold] · {len(a.dependencies)} dependencies · "
                  f"{len(a.cycles)} cycles · {len(a.cross_art)} across ARTs")
    show("States", ["state", "dependencies"], [(_state(s), n) for s, n in a.counts.items()])
    show("Late and at risk", ["state", "consumer", "needs", "provider", "agreement"],
         [(_state(d.state.value, d.iterations_late),
           f"{d.consumer.key} {d.consumer.title} ({d.consumer.team}, "
           f"{d.consumer.iteration or 'unplanned'})", "→",
           f"{d.provider.key} ({d.provider.team}, {d.provider.iteration or 'unplanned'})",
           d.agreement) for d in a.needs_attention])
    for c in a.cycles:
        chain = " needs ".join(r.key for r in c.chain)
        console.print(f"[bold red]cycle:[/bold red] {chain} needs {c.chain[0].key}")
    path = a.critical_path
    show(f"Critical path · {len(path.items)} items"
         + (f" · ends in {path.finish}" if path.finish else ""),
         ["#", "item", "team", "iteration"],
         [(n, f"{r.key} {r.title}", r.team, r.iteration or "unplanned")
          for n, r in enumerate(path.items, start=1)])
    m = a.matrix
    show("Who waits on whom (rows wait on columns: dependencies, late)",
         ["waits on →", *(t.name for t in m.providing)],
         [[c.name, *(_cell(m.cell(c.id, p.id)) for p in m.providing)] for c in m.waiting])
    show("Most depended on", ["item", "team", "waiting"],
         [(f"{r.key} {r.title}", r.team, n) for r, n in a.hot_items])


def _cell(cell: MatrixCell | None) -> str:
    if cell is None:
        return ""
    return f"{cell.waits}" + (f" ({cell.late} late)" if cell.late else "")


@deps_app.command("slip")
def slip(item: str, iteration: Annotated[str, typer.Option(
        help="Iteration name (I3), or 'none' to unplan.")], art: ArtOpt = None,
         as_json: Json = False) -> None:
    """What moving ITEM to an iteration would make late or at risk.

    Its own strings, every item downstream, the PI objectives and the milestones affected.
    """
    from trainmaster.services import dependency_graph, planning

    app, actor = tm(), cli_actor()
    art_id = _scope(None, art).get("art_id")
    found = planning.find_item(app.uow(), actor, item, art_id=art_id)
    target = None if iteration.lower() == "none" else planning.find_iteration(
        app.uow(), actor, found.pi_id or 0, iteration).id
    preview = dependency_graph.preview_slip(app.uow(), actor, found.id or 0, target)
    if as_json:
        return print_json(preview.as_dict())
    _print_slip(preview)


def _print_slip(p: SlipPreview) -> None:
    console.print(f"Moving {p.item.key} from {p.from_iteration or 'unplanned'} to "
                  f"{p.to_iteration or 'unplanned'}"
                  + ("" if p.changes_anything else ": nothing else changes"))
    show("Its strings", ["consumer", "provider", "now", "after"],
         [(e.consumer.key, e.provider.key, _state(e.before.value), _state(e.after.value))
          for e in p.edge_changes])
    show("Downstream", ["item", "team", "planned", "earliest", "now", "after"],
         [(a.item.key, a.item.team, a.planned, a.earliest, _state(a.before.value),
           _state(a.after.value)) for a in p.affected])
    show("PI objectives", ["team", "objective", "because of"],
         [(o.team, o.text, ", ".join(o.because)) for o in p.objectives])
    show("Milestones", ["day", "milestone", "because of"],
         [(m.day, m.title, ", ".join(m.because)) for m in p.milestones])


@deps_app.command("suggest")
def suggest(pi: PiOpt = None, art: ArtOpt = None,
            top: Annotated[int, typer.Option(min=1, max=200, help="How many.")] = 20,
            level: Annotated[list[str] | None, typer.Option(
                help="feature and/or story (default both).")] = None,
            as_json: Json = False) -> None:
    """Find likely dependencies nobody recorded, with the reasons to check.

    Reads the features and stories of different teams in a PI (or an ART's open backlog).
    """
    from rich.progress import Progress

    scope = _scope(pi, art)
    if not scope:
        raise typer.BadParameter("give --pi or --art", param_hint="--pi")
    app = tm()
    with Progress(console=errors, transient=True) as bar:
        task = bar.add_task("loading the model", total=None)
        found = suggestions.suggest_dependencies(
            app.uow(), cli_actor(), pi_id=scope.get("pi_id"), art_id=scope.get("art_id"),
            cache_dir=app.settings.data_dir,
            at=app.clock(), top_k=top, levels=level or suggestions.LEVELS,
            progress=lambda stage, done, total: bar.update(task, description=stage,
                                                           completed=done, total=total))
    if as_json:
        return print_json(found.as_dict())
    _print_suggestions(found)


def _print_suggestions(s: suggestions.SuggestionList) -> None:
    run = s.run
    if run is not None:
        console.print(f"{len(s.suggestions)} suggestions over {run.items} items "
                      f"({run.model_id}); accept or reject with "
                      f"`trainmaster deps accept|reject ID`")
    show("Suggested dependencies", ["id", "score", "consumer", "needs", "provider", "why"],
         [(v.suggestion.id, f"{v.suggestion.score:.1f}",
           f"{v.consumer.key} {v.consumer.title} ({v.consumer_team})",
           "→" if v.suggestion.direction_known else "→ ?",
           f"{v.provider.key} {v.provider.title} ({v.provider_team})",
           "\n".join(v.suggestion.reasons)) for v in s.suggestions])


@deps_app.command("accept")
def accept(suggestion: int, as_json: Json = False) -> None:
    """Accept suggestion ID: the consumer's team asks the provider's team for it."""
    app = tm()
    done = suggestions.accept_suggestion(app.uow(), cli_actor(), suggestion, at=app.clock())
    if as_json:
        return print_json(suggestions.view_dict(done))
    console.print(f"suggestion {suggestion} accepted: {done.consumer.key} needs "
                  f"{done.provider.key}, dependency {done.suggestion.dependency_id} requested")


@deps_app.command("reject")
def reject(suggestion: int, as_json: Json = False) -> None:
    """Reject suggestion ID: the pair is never proposed again."""
    app = tm()
    done = suggestions.reject_suggestion(app.uow(), cli_actor(), suggestion, at=app.clock())
    if as_json:
        return print_json(suggestions.view_dict(done))
    console.print(f"suggestion {suggestion} rejected: {done.consumer.key} and "
                  f"{done.provider.key} will not be proposed again")
