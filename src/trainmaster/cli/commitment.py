"""`trainmaster objectives …`, `risk …`, `vote …`, `baseline` and `kanban …`."""

from __future__ import annotations

from typing import Annotated

import typer

from trainmaster.cli.context import cli_actor, tm
from trainmaster.cli.output import console, print_json, show
from trainmaster.cli.planning import ArtOpt, Json, PiOpt, art_id, find_pi
from trainmaster.domain.vote import ART_SCOPE, team_scope
from trainmaster.services import baseline, kanban, objectives, planning, risks, votes
from trainmaster.services.planning_json import kanban_json, roam_json, vote_json

objectives_app = typer.Typer(help="Team and program PI objectives.", no_args_is_help=True)
risk_app = typer.Typer(help="ART risks on the ROAM board.", no_args_is_help=True)
vote_app = typer.Typer(help="The PI confidence vote.", no_args_is_help=True)
kanban_app = typer.Typer(help="The ART Kanban with WIP limits.", no_args_is_help=True)


@objectives_app.command("show")
def objectives_show(pi: PiOpt, art: ArtOpt = None, as_json: Json = False) -> None:
    """Every team's PI objectives and the program summary."""
    view = objectives.program_objectives(tm().uow(), cli_actor(), find_pi(pi, art).id or 0)
    if as_json:
        return print_json(view)
    show(f"PI objectives · {view.pi.name}", ["id", "team", "objective", "kind", "planned BV"],
         [(o.id, t.team.name if t.team else "ART", o.text,
           "committed" if o.committed else "uncommitted", o.planned_bv)
          for t in view.teams for o in t.committed + t.uncommitted])
    published = view.last_published
    console.print(f"{view.committed} committed · {view.uncommitted} uncommitted · planned BV "
                  f"{view.planned_bv} · last published "
                  f"{published.published_at:%Y-%m-%d %H:%M} UTC" if published else
                  f"{view.committed} committed · {view.uncommitted} uncommitted · not published")


@objectives_app.command("add")
def objectives_add(text: str, pi: PiOpt, team: Annotated[str, typer.Option(
        help="Team name, or 'art' for a program-level objective.")], art: ArtOpt = None,
        uncommitted: Annotated[bool, typer.Option("--uncommitted")] = False) -> None:
    """A team writes a PI objective."""
    app, actor = tm(), cli_actor()
    found = find_pi(pi, art)
    team_id = None if team.lower() == "art" else planning.find_team(
        app.uow(), actor, found.art_id, team).id
    made = objectives.write_objective(app.uow(), actor, found.id or 0, text, team_id=team_id,
                                      committed=not uncommitted, at=app.clock())
    console.print(f"objective {made.id} added")


@objectives_app.command("value")
def objectives_value(objective: int,
                     planned: Annotated[int | None, typer.Option(help="1 to 10")] = None,
                     actual: Annotated[int | None, typer.Option(help="0 to 10")] = None) -> None:
    """Business value of an objective (Business Owners)."""
    made = objectives.set_business_value(tm().uow(), cli_actor(), objective, planned=planned,
                                         actual=actual)
    console.print(f"objective {made.id}: planned BV {made.planned_bv}, actual BV "
                  f"{made.actual_bv}")


@objectives_app.command("publish")
def objectives_publish(pi: PiOpt, art: ArtOpt = None) -> None:
    """Publish the program PI objectives."""
    done = objectives.publish_objectives(tm().uow(), cli_actor(), find_pi(pi, art).id or 0,
                                         at=tm().clock())
    console.print(f"published: {done.committed} committed, {done.uncommitted} uncommitted, "
                  f"planned BV {done.planned_bv}")


@risk_app.command("board")
def risk_board(art: ArtOpt = None, pi: Annotated[str | None, typer.Option(
        help="Only this PI's risks.")] = None, as_json: Json = False) -> None:
    """The ROAM board."""
    app = tm()
    pi_id = find_pi(pi, art).id if pi else None
    view = risks.roam_board(app.uow(), cli_actor(), art_id(art), pi_id=pi_id,
                            today=app.clock().date())
    if as_json:
        return print_json(roam_json(view))
    show("ROAM", ["id", "column", "risk", "owner", "due", ""],
         [(c.risk.id, column.value, c.risk.title, c.owner.name if c.owner else None, c.risk.due,
           "[red]overdue[/red]" if c.overdue else "")
          for column, cards in view.columns.items() for c in cards])


@risk_app.command("roam")
def risk_roam(risk: int, to: Annotated[str, typer.Argument(
        help="unroamed, resolved, owned, accepted or mitigated")],
        owner: Annotated[str | None, typer.Option(help="Person (name or id).")] = None,
        note: str = "") -> None:
    """Move a risk on the ROAM board (Owned needs an owner)."""
    app, actor = tm(), cli_actor()
    owner_id = risks.find_person(app.uow(), actor, owner).id if owner else None
    change = risks.roam_risk(app.uow(), actor, risk, to, owner_id=owner_id, note=note,
                             at=app.clock())
    console.print(f"risk {risk}: {change.from_roam.value} → {change.to_roam.value}")


@vote_app.command("open")
def vote_open(pi: PiOpt, art: ArtOpt = None) -> None:
    """Open the confidence vote."""
    opened = votes.open_vote(tm().uow(), cli_actor(), find_pi(pi, art).id or 0, at=tm().clock())
    console.print(f"round {opened.number} is open")


@vote_app.command("cast")
def vote_cast(scope: Annotated[str, typer.Argument(help="'art' or a team name")],
              value: int, pi: PiOpt, user: Annotated[str, typer.Option(
                  help="The attendee who votes.")], art: ArtOpt = None,
              reason: str = "") -> None:
    """Record an attendee's vote (1–5) for the ART or a team."""
    app, actor = tm(), cli_actor()
    found = find_pi(pi, art)
    key = ART_SCOPE if scope.lower() == ART_SCOPE else team_scope(
        planning.find_team(app.uow(), actor, found.art_id, scope).id or 0)
    votes.cast_vote(app.uow(), actor, found.id or 0, key, value, reason=reason,
                    voter_id=votes.find_voter(app.uow(), actor, user), at=app.clock())
    console.print(f"{user} voted {value} for {scope}")


@vote_app.command("close")
def vote_close(pi: PiOpt, art: ArtOpt = None) -> None:
    """Close the round: the ART commits (baseline frozen) or a rework round opens."""
    result = votes.close_vote(tm().uow(), cli_actor(), find_pi(pi, art).id or 0,
                              at=tm().clock())
    if result.outcome.commits:
        console.print(f"[green]committed[/green] (ART mean {result.outcome.art.mean}); "
                      "the plan is the PI's baseline")
    else:
        console.print(f"[red]not committed[/red]: {'; '.join(result.outcome.reasons)}; "
                      f"round {result.round.number + 1} is open for the rework")


@vote_app.command("show")
def vote_show(pi: PiOpt, art: ArtOpt = None, as_json: Json = False) -> None:
    """Every round of the vote with its tally."""
    status = votes.vote_status(tm().uow(), cli_actor(), find_pi(pi, art).id or 0)
    if as_json:
        return print_json(vote_json(status))
    names = {t.id: t.name for t in status.teams}
    for r in status.rounds:
        rows = [("ART", r.outcome.art.count, r.outcome.art.mean)]
        rows += [(names[t], s.count, s.mean) for t, s in r.outcome.teams.items()]
        show(f"Round {r.round.number}: {r.round.status.value}", ["scope", "votes", "mean"], rows)


def show_baseline(pi: PiOpt, art: ArtOpt = None, as_json: Json = False) -> None:
    """What changed since the PI's baseline (scope added, removed, moved)."""
    view = baseline.baseline_changes(tm().uow(), cli_actor(), find_pi(pi, art).id or 0)
    if as_json:
        return print_json({"taken_at": view.baseline.taken_at if view.baseline else None,
                           "changes": view.changes})
    if view.baseline is None:
        return console.print(f"{view.pi.name} has no baseline yet (the confidence vote "
                             "freezes it)")
    show(f"Changes since the baseline of {view.baseline.taken_at:%Y-%m-%d %H:%M} UTC",
         ["change", "what", "", "baseline", "now"],
         [(c.kind.value, c.subject, c.label, c.before, c.after) for c in view.changes])


@kanban_app.command("show")
def kanban_show(art: ArtOpt = None, as_json: Json = False) -> None:
    """Features by ART Kanban state with the WIP limits."""
    view = kanban.kanban_board(tm().uow(), cli_actor(), art_id(art))
    if as_json:
        return print_json(kanban_json(view))
    show("ART Kanban", ["state", "features", "limit", ""],
         [(c.state.value, len(c.items), c.limit, "[red]over[/red]" if c.over_limit else "")
          for c in view.columns])


@kanban_app.command("move")
def kanban_move(item: str, to: str, art: ArtOpt = None,
                override: Annotated[bool, typer.Option("--override", help="Break the WIP "
                                                       "limit (RTE).")] = False,
                reason: str = "") -> None:
    """Move a feature to another Kanban state (refused over a WIP limit)."""
    app, actor = tm(), cli_actor()
    found = planning.find_item(app.uow(), actor, item, art_id=art_id(art) if art else None)
    result = kanban.move_feature(app.uow(), actor, found.id or 0, to, override=override,
                                 reason=reason, at=app.clock())
    extra = " (WIP limit overridden)" if result.override else ""
    console.print(f"{found.key}: {result.change.from_status} → {result.change.to_status}{extra}")
