"""`trainmaster calendar|sync|notes` — the ART calendar, ART Sync records, meeting notes."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from trainmaster.cli.context import cli_actor, tm
from trainmaster.cli.execution_output import print_analysis, print_facts, print_sync
from trainmaster.cli.output import console, print_json, show
from trainmaster.domain.art import Art
from trainmaster.domain.errors import Invalid
from trainmaster.domain.event import EventKind
from trainmaster.services import calendar, notes, overview, syncs

calendar_app = typer.Typer(help="The ART calendar: generate, show, export, subscribe.",
                           no_args_is_help=True)
sync_app = typer.Typer(help="ART Sync: facts and records.", no_args_is_help=True)
notes_app = typer.Typer(help="Meeting notes → summary, decisions, action items.",
                        no_args_is_help=True)

Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
ArtOpt = Annotated[str | None, typer.Option("--art", help="ART key or id (needed with several).")]
DateOpt = Annotated[str | None, typer.Option("--date", help="Day (YYYY-MM-DD); default today.")]


def the_art(ref: str | None) -> Art:
    """The ART named, or the only one."""
    app, actor = tm(), cli_actor()
    if ref:
        return overview.find_art(app.uow(), actor, ref)
    arts = overview.list_arts(app.uow(), actor)
    if len(arts) != 1:
        raise Invalid(f"{len(arts)} ARTs here: name one with --art", field="art")
    return arts[0]


def parse_day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Invalid(f"{text!r} is not a date (YYYY-MM-DD)", field="date") from None


@calendar_app.command("generate")
def calendar_generate(pi: str, art: ArtOpt = None, as_json: Json = False) -> None:
    """Create the PI's cadence events that are missing (idempotent)."""
    app, actor = tm(), cli_actor()
    found = overview.find_pi(app.uow(), actor, pi, art_ref=art)
    result = calendar.generate_calendar(app.uow(), actor, found.id or 0)
    if as_json:
        return print_json({"created": result.created, "kept": result.kept})
    console.print(f"{found.name}: {len(result.created)} events created, "
                  f"{len(result.kept)} already there")


@calendar_app.command("show")
def calendar_show(art: ArtOpt = None, pi: Annotated[str | None, typer.Option(
        "--pi", help="PI name or id; default the current one.")] = None,
                  as_json: Json = False) -> None:
    """The PI's events, recurring ones expanded, in the ART's time zone."""
    app, actor = tm(), cli_actor()
    found = the_art(art)
    pi_id = overview.find_pi(app.uow(), actor, pi, art_ref=found.key).id if pi else None
    view = calendar.calendar_view(app.uow(), actor, found.id or 0, pi_id=pi_id,
                                  today=app.clock().date())
    if as_json:
        return print_json([{"event_id": o.event.id, "title": o.event.title,
                            "kind": o.event.kind, "start": o.start, "end": o.end}
                           for o in view.occurrences])
    show(f"{view.pi.name if view.pi else ''} ({found.timezone})", ["day", "time", "event"],
         [(o.start.strftime("%a %Y-%m-%d"), f"{o.start:%H:%M}–{o.end:%H:%M}", o.event.title)
          for o in view.occurrences])


@calendar_app.command("export")
def calendar_export(art: ArtOpt = None, pi: Annotated[str | None, typer.Option(
        "--pi", help="Only this PI.")] = None, output: Annotated[Path | None, typer.Option(
            "--output", "-o", help="File to write; default standard output.")] = None) -> None:
    """Write the ART's calendar as an iCalendar (.ics) file."""
    app, actor = tm(), cli_actor()
    found = the_art(art)
    pi_id = overview.find_pi(app.uow(), actor, pi, art_ref=found.key).id if pi else None
    data = calendar.export_calendar(app.uow(), actor, found.id or 0, at=app.clock(),
                                    pi_id=pi_id)
    if output is None:
        typer.echo(data.decode(), nl=False)
    else:
        output.write_bytes(data)
        console.print(f"wrote {output}")


@calendar_app.command("feed")
def calendar_feed(art: ArtOpt = None, rotate: Annotated[bool, typer.Option(
        "--rotate", help="Replace the secret first.")] = False,
                  base_url: Annotated[str, typer.Option(help="Where the web app is served.")]
                  = "http://127.0.0.1:8000") -> None:
    """Print the subscribable feed address (it carries the ART's secret)."""
    app, actor = tm(), cli_actor()
    found = the_art(art)
    use = calendar.rotate_feed_token if rotate else calendar.feed_token
    token = use(app.uow(), actor, found.id or 0, at=app.clock())
    typer.echo(f"{base_url.rstrip('/')}/calendar/{found.key}.ics?token={token}")


@notes_app.command("parse")
def notes_parse(file: Path, date_: DateOpt = None, art: ArtOpt = None,
                fmt: Annotated[str | None, typer.Option(
                    "--format", help="plain, markdown, vtt or transcript; default: detect.")]
                = None, as_json: Json = False) -> None:
    """Summary, decisions, action items, risks and impediments of a notes file."""
    app, actor = tm(), cli_actor()
    if not file.is_file():
        raise Invalid(f"no file {file}", field="file")
    art_id = overview.find_art(app.uow(), actor, art).id if art else None
    analysis = notes.parse_notes_for(app.uow(), actor, file.read_text(encoding="utf-8"),
                                     meeting_date=parse_day(date_) or app.clock().date(),
                                     art_id=art_id, fmt=fmt)
    if as_json:
        return print_json(analysis)
    print_analysis(analysis)


@sync_app.command("facts")
def sync_facts(art: ArtOpt = None, date_: DateOpt = None, as_json: Json = False) -> None:
    """What this week's ART Sync should look at: late dependencies, overloads, overdue items."""
    app = tm()
    found = the_art(art)
    facts = syncs.sync_facts(app.uow(), cli_actor(), found.id or 0, at=app.clock(),
                             on=parse_day(date_))
    if as_json:
        return print_json(facts)
    print_facts(facts)


@sync_app.command("start")
def sync_start(art: ArtOpt = None, date_: DateOpt = None,
               kind: Annotated[EventKind, typer.Option(help="art_sync, coach_sync or po_sync")]
               = EventKind.ART_SYNC, as_json: Json = False) -> None:
    """Open the record of a sync (pre-filled from the facts); prints its id."""
    app = tm()
    found = the_art(art)
    meeting = syncs.start_sync(app.uow(), cli_actor(), found.id or 0, at=app.clock(),
                               kind=kind, held_on=parse_day(date_))
    if as_json:
        return print_json(meeting)
    console.print(f"{meeting.title}: record {meeting.id}")


@sync_app.command("list")
def sync_list(art: ArtOpt = None, as_json: Json = False) -> None:
    """The sync records of an ART, newest first."""
    found = the_art(art)
    meetings = syncs.list_syncs(tm().uow(), cli_actor(), found.id or 0)
    if as_json:
        return print_json(meetings)
    show("Syncs", ["id", "day", "title"], [(m.id, m.held_on, m.title) for m in meetings])


@sync_app.command("show")
def sync_show(meeting: int, as_json: Json = False) -> None:
    """One sync record: team reports, scope changes, decisions and outcomes."""
    app = tm()
    record = syncs.sync_record(app.uow(), cli_actor(), meeting, at=app.clock(),
                               with_facts=False)
    if as_json:
        return print_json({"meeting": record.meeting, "reports": [r for r, _ in record.reports],
                           "scope_changes": [c for c, _ in record.scope_changes],
                           "outcomes": record.outcomes})
    print_sync(record)
