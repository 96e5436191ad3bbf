"""`trainmaster import jira|azure|jira-csv|azure-csv|sources`, `export`, `backup`, `restore`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from trainmaster.cli.context import cli_actor, tm
from trainmaster.cli.output import console, print_json, show
from trainmaster.domain.errors import Invalid
from trainmaster.integrations import azure_devops, jira
from trainmaster.integrations.ado_csv import AzureCsvSource
from trainmaster.integrations.jira_csv import JiraCsvSource
from trainmaster.integrations.mapping import MappingFile, load_mapping
from trainmaster.services import exports, imports, overview

import_app = typer.Typer(help="Bring work items in from Jira or Azure DevOps.",
                         no_args_is_help=True)

Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")]
Full = Annotated[bool, typer.Option("--full", help="Fetch everything, not only what changed.")]
MappingArg = Annotated[Path, typer.Argument(help="The mapping file (TOML).")]
MappingOpt = Annotated[Path, typer.Option("--mapping", help="The mapping file (TOML).")]
Encoding = Annotated[str, typer.Option(help="The file's text encoding.")]
LABELS = {"fetch": "Fetching", "store": "Storing"}


@contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[str, int, int | None], None]]:
    """A Rich progress bar fed by (stage, done, total) calls."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True, disable=quiet) as bar:
        task = bar.add_task("Connecting", total=None)

        def update(stage: str, done: int, total: int | None) -> None:
            bar.update(task, description=LABELS.get(stage, stage), completed=done, total=total)

        yield update


def _run(mapping: MappingFile, source: Any, dry_run: bool, full: bool, as_json: bool) -> None:
    app = tm()
    try:
        with _progress(as_json) as progress:
            report = imports.run_import(app.uow(), cli_actor(), mapping.mapping, source,
                                        at=app.clock(), dry_run=dry_run, full=full,
                                        progress=progress)
    finally:
        if hasattr(source, "close"):
            source.close()
    if as_json:
        return print_json(report)
    _show_report(report)


def _show_report(report: imports.ImportReport) -> None:
    head = "Dry run, nothing written" if report.dry_run else "Imported"
    since = f" changed since {report.since:%Y-%m-%d %H:%M} UTC" if report.since else ""
    console.print(f"[bold]{head}[/bold]: {report.fetched} items{since} from {report.source} "
                  f"into ART {report.art_key}{' (new ART)' if report.art_created else ''}.")
    rows: list[tuple[str, Any]] = [(f"create {level}", n) for level, n in report.created.items()]
    rows += [("update", report.updated), ("unchanged", report.unchanged),
             ("create team", ", ".join(report.teams_created) or 0),
             ("create dependency", report.dependencies_created),
             ("status history rows", report.history_rows)]
    rows += [(f"skip: {why}", n) for why, n in report.skipped.items()]
    rows += [(f"skip link: {why}", n) for why, n in report.dependencies_skipped.items()]
    show("What the import does" if report.dry_run else "What the import did",
         ["change", "count"], rows)
    if report.changes:
        shown = report.changes[:20]
        show(f"Items ({len(shown)} of {len(report.changes)})", ["key", "change", "level", "fields"],
             [(c.key, c.action, c.level, ", ".join(c.fields)) for c in shown])


def _needs(section: Any, name: str, mapping: MappingFile) -> Any:
    if section is None:
        raise Invalid(f"{mapping.path} has no [{name}] section", field=name)
    return section


@import_app.command("jira")
def import_jira(
    mapping: MappingArg,
    token: Annotated[str, typer.Option(envvar="TRAINMASTER_JIRA_TOKEN", show_envvar=True,
                                       help="API token (with --email) or personal token.")] = "",
    email: Annotated[str | None, typer.Option(help="Overrides [jira] email.")] = None,
    url: Annotated[str | None, typer.Option(help="Overrides [jira] url.")] = None,
    bearer: Annotated[bool, typer.Option(help="Send the token as a bearer token.")] = False,
    dry_run: DryRun = False, full: Full = False, as_json: Json = False,
) -> None:
    """Import issues, their history and links from Jira's REST API."""
    found = load_mapping(mapping)
    scope = _needs(found.jira, "jira", found)
    scope = replace(scope, url=url or scope.url, email=email or scope.email)
    _run(found, jira.connect(scope, found.mapping, token, bearer=bearer), dry_run, full, as_json)


@import_app.command("azure")
def import_azure(
    mapping: MappingArg,
    token: Annotated[str, typer.Option(envvar="TRAINMASTER_AZURE_TOKEN", show_envvar=True,
                                       help="Personal access token.")] = "",
    url: Annotated[str | None, typer.Option(help="Overrides [azure] url.")] = None,
    dry_run: DryRun = False, full: Full = False, as_json: Json = False,
) -> None:
    """Import work items, their state history and links from Azure DevOps' REST API."""
    found = load_mapping(mapping)
    scope = _needs(found.azure, "azure", found)
    scope = replace(scope, url=url or scope.url)
    _run(found, azure_devops.connect(scope, found.mapping, token), dry_run, full, as_json)


@import_app.command("jira-csv")
def import_jira_csv(file: Path, mapping: MappingOpt, encoding: Encoding = "utf-8",
                    dry_run: DryRun = False, as_json: Json = False) -> None:
    """Import Jira's 'Export > CSV (all fields)' file."""
    found = load_mapping(mapping)
    points = found.jira.story_points if found.jira else jira.JiraScope.story_points
    source = JiraCsvSource(file, found.mapping, encoding=encoding, date_format=found.date_format,
                           story_points=points, base_url=found.jira.url if found.jira else "")
    _run(found, source, dry_run, False, as_json)


@import_app.command("azure-csv")
def import_azure_csv(file: Path, mapping: MappingOpt, encoding: Encoding = "utf-8",
                     dry_run: DryRun = False, as_json: Json = False) -> None:
    """Import an Azure DevOps query's 'Export to CSV' file."""
    found = load_mapping(mapping)
    prefix = found.azure.key_prefix if found.azure else azure_devops.AzureScope.key_prefix
    source = AzureCsvSource(file, found.mapping, encoding=encoding,
                            date_format=found.date_format, key_prefix=prefix)
    _run(found, source, dry_run, False, as_json)


@import_app.command("sources")
def import_sources(as_json: Json = False) -> None:
    """Where imports came from and when each last synced."""
    views = imports.list_sources(tm().uow(), cli_actor())
    if as_json:
        return print_json(views)
    show("Import sources", ["ART", "kind", "location", "items", "runs", "last sync"],
         [(v.art_key, v.source.kind, v.source.location, v.source.item_count, v.runs,
           f"{v.source.last_run_at:%Y-%m-%d %H:%M}" if v.source.last_run_at else None)
          for v in views])


def export(
    pi: Annotated[str, typer.Option("--pi", help="PI name or id.")],
    fmt: Annotated[str, typer.Option("--format", help="csv or json.")] = "json",
    art: Annotated[str | None, typer.Option("--art", help="ART key or id.")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="File (.json, .zip) or folder (CSV) to write.")] = None,
) -> None:
    """Export a PI's features, stories, dependencies, objectives and risks."""
    app, actor = tm(), cli_actor()
    found = overview.find_pi(app.uow(), actor, pi, art_ref=art)
    data = exports.export_pi(app.uow(), actor, found.id or 0)
    default = f"{data.art['key']}-{found.name}".replace(" ", "-")
    target = output or Path(default + (".json" if fmt == "json" else ".zip"))
    written = exports.write_export(data, target, fmt)
    counts = ", ".join(f"{len(rows)} {name}" for name, rows in data.tables.items())
    console.print(f"Exported {found.name} ({counts}) to {', '.join(map(str, written))}")


def backup(file: Annotated[Path, typer.Argument(help="Backup file (.jsonl, or .gz).")]) -> None:
    """Back up the whole database to a portable file."""
    app = tm()
    summary = app.backup(cli_actor(), file)
    console.print(f"Backed up {summary.total} rows of {len(summary.rows)} tables "
                  f"({summary.backend}, schema {', '.join(summary.revisions)}) to {file}")


def restore(file: Annotated[Path, typer.Argument(help="Backup file to restore.")]) -> None:
    """Restore a backup into this (empty) database."""
    app = tm()
    summary = app.restore(cli_actor(), file)
    console.print(f"Restored {summary.total} rows of {len(summary.rows)} tables from "
                  f"{file} (made on {summary.backend}) into {app.backend}")
