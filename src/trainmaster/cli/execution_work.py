"""`trainmaster actions|impediment|ia` — action items, impediments, Inspect & Adapt."""

from __future__ import annotations

from typing import Annotated

import typer

from trainmaster.cli.context import cli_actor, tm
from trainmaster.cli.execution import ArtOpt, Json, parse_day, the_art
from trainmaster.cli.output import console, print_json, show
from trainmaster.domain.action import ActionStatus
from trainmaster.domain.impediment import Level
from trainmaster.services import actions, impediments, overview, syncs
from trainmaster.services import inspect_adapt as ia
from trainmaster.services.actions import ActionView

actions_app = typer.Typer(help="Action items: owner, due date, status, source.",
                          no_args_is_help=True)
impediment_app = typer.Typer(help="Impediments: raise, escalate team → ART → portfolio, "
                                  "resolve.", no_args_is_help=True)
ia_app = typer.Typer(help="Inspect & Adapt.", no_args_is_help=True)

OwnerOpt = Annotated[str | None, typer.Option("--owner", help="Person id or (part of a) name.")]


def _person(art_id: int, ref: str | None) -> int | None:
    if ref is None:
        return None
    return syncs.find_person(tm().uow(), cli_actor(), art_id, ref).id


def _show_actions(title: str, views: list[ActionView]) -> None:
    show(title, ["id", "action", "owner", "due", "status", "source"],
         [(v.action.id, v.action.title, v.owner.name if v.owner else None,
           f"{v.action.due}{' OVERDUE' if v.overdue else ''}" if v.action.due else None,
           v.action.status.value, v.source_label) for v in views])


@actions_app.command("list")
def actions_list(art: ArtOpt = None, owner: OwnerOpt = None,
                 overdue: Annotated[bool, typer.Option(help="Only overdue items.")] = False,
                 status: Annotated[ActionStatus | None, typer.Option(
                     help="open, done or cancelled; default open.")] = ActionStatus.OPEN,
                 as_json: Json = False) -> None:
    """Action items of an ART (open ones by default), overdue flagged."""
    app = tm()
    found = the_art(art)
    views = actions.list_actions(app.uow(), cli_actor(), found.id or 0, at=app.clock(),
                                 status=status, owner_id=_person(found.id or 0, owner),
                                 overdue_only=overdue)
    if as_json:
        return print_json(views)
    _show_actions(f"Action items of {found.key}", views)


@actions_app.command("add")
def actions_add(title: str, art: ArtOpt = None, owner: OwnerOpt = None,
                due: Annotated[str | None, typer.Option(help="Due date (YYYY-MM-DD).")] = None,
                as_json: Json = False) -> None:
    """Add an action item."""
    app = tm()
    found = the_art(art)
    action = actions.add_action(app.uow(), cli_actor(), found.id or 0, title,
                                owner_id=_person(found.id or 0, owner), due=parse_day(due),
                                at=app.clock())
    if as_json:
        return print_json(action)
    console.print(f"action item {action.id} added")


@actions_app.command("close")
def actions_close(action: int, cancel: Annotated[bool, typer.Option(
        help="Cancelled rather than done.")] = False, as_json: Json = False) -> None:
    """Mark an action item done (or cancelled)."""
    status = ActionStatus.CANCELLED if cancel else ActionStatus.DONE
    closed = actions.close_action(tm().uow(), cli_actor(), action, status=status)
    if as_json:
        return print_json(closed)
    console.print(f"action item {closed.id}: {closed.status.value}")


@impediment_app.command("list")
def impediment_list(art: ArtOpt = None, open_only: Annotated[bool, typer.Option(
        "--open", help="Only open ones.")] = False, as_json: Json = False) -> None:
    """Impediments with their level and age."""
    app = tm()
    found = the_art(art)
    views = impediments.list_impediments(app.uow(), cli_actor(), found.id or 0,
                                         at=app.clock(), open_only=open_only)
    if as_json:
        return print_json(views)
    show(f"Impediments of {found.key}", ["id", "impediment", "team", "level", "open", "hours"],
         [(v.impediment.id, v.impediment.title, v.team.name if v.team else None,
           v.impediment.level.value, "yes" if v.impediment.is_open else "no",
           f"{v.age_hours:.1f}") for v in views])


@impediment_app.command("raise")
def impediment_raise(title: str, art: ArtOpt = None, team: Annotated[str | None, typer.Option(
        help="Team name.")] = None, level: Annotated[Level, typer.Option()] = Level.TEAM,
                     as_json: Json = False) -> None:
    """Raise an impediment (at team level unless told otherwise)."""
    app = tm()
    found = the_art(art)
    team_id = syncs.find_team(app.uow(), cli_actor(), found.id or 0, team).id if team else None
    raised = impediments.raise_impediment(app.uow(), cli_actor(), found.id or 0, title,
                                          team_id=team_id, level=level, at=app.clock())
    if as_json:
        return print_json(raised)
    console.print(f"impediment {raised.id} raised at {raised.level.value} level")


@impediment_app.command("escalate")
def impediment_escalate(impediment: int, as_json: Json = False) -> None:
    """Escalate one level: team → ART → portfolio."""
    app = tm()
    found = impediments.escalate_impediment(app.uow(), cli_actor(), impediment, at=app.clock())
    if as_json:
        return print_json(found)
    console.print(f"impediment {found.id} is now at {found.level.value} level")


@impediment_app.command("resolve")
def impediment_resolve(impediment: int, as_json: Json = False) -> None:
    """Resolve an impediment at its current level."""
    app = tm()
    found = impediments.resolve_impediment(app.uow(), cli_actor(), impediment, at=app.clock())
    if as_json:
        return print_json(found)
    console.print(f"impediment {found.id} resolved at {found.level.value} level")


@impediment_app.command("report")
def impediment_report(art: ArtOpt = None, as_json: Json = False) -> None:
    """Time to resolve per level (hours): median and 85th percentile."""
    app = tm()
    found = the_art(art)
    report = impediments.impediment_report(app.uow(), cli_actor(), found.id or 0,
                                           at=app.clock())
    if as_json:
        return print_json(report)

    def h(value: float | None) -> str | None:
        return None if value is None else f"{value:.1f}"
    show(f"Impediments of {found.key}: time per level (hours)",
         ["level", "reached", "resolved there", "escalated", "open", "median", "85th",
          "median to resolve", "median raise → resolved"],
         [(r.level.value, r.reached, r.resolved, r.escalated, r.open, h(r.median_hours),
           h(r.p85_hours), h(r.median_resolve_hours), h(r.median_total_hours))
          for r in report.levels])


@ia_app.command("review")
def ia_review(pi: str, art: ArtOpt = None, as_json: Json = False) -> None:
    """The quantitative review: predictability per team and for the ART, across PIs."""
    app, actor = tm(), cli_actor()
    found = overview.find_pi(app.uow(), actor, pi, art_ref=art)
    review = ia.workshop_view(app.uow(), actor, found.id or 0, at=app.clock()).review
    if as_json:
        return print_json({"teams": [t.as_dict() for t in review.teams],
                           "art": review.art.as_dict(),
                           "history": [{"pi": p.name, **r.as_dict()} for p, r in
                                       review.history]})
    show(f"Predictability {found.name} (healthy 80–100 %)",
         ["team", "planned BV", "actual BV", "predictability %"],
         [(r.label, r.planned, r.actual, r.percent) for r in review.teams + [review.art]])
