"""The `trainmaster` command: one Typer root, one sub-app per area."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import typer
from typer.core import TyperGroup

from trainmaster.cli.output import errors
from trainmaster.domain.errors import TrainmasterError

# command -> (module, attribute, one-line help). Modules load only when their command runs,
# so `trainmaster art list` does not pay for the learning and charting libraries.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "demo": ("demo", "demo", "Build a realistic demo train and open it in the browser."),
    "serve": ("demo", "serve", "Serve the web app and the JSON API."),
    "worker": ("demo", "worker", "Run queued background jobs."),
    "db": ("demo", "db_app", "Database schema."),
    "user": ("users", "app", "Users, roles and API tokens."),
    "art": ("train", "art_app", "Agile Release Trains."),
    "pi": ("train", "pi_app", "Program Increments (and their readiness)."),
    "team": ("train", "team_app", "Teams."),
    "wsjf": ("planning", "wsjf", "The ART backlog ranked by WSJF, or the epic roll-up."),
    "capacity": ("planning", "capacity", "Capacity vs load per team and iteration; guardrails."),
    "agenda": ("planning", "agenda_app", "The PI Planning agenda."),
    "board": ("board", "show_board", "The Program Board with dependency states."),
    "plan": ("board", "plan", "Plan a feature or story into an iteration (or preview it)."),
    "dependency": ("board", "dependency_app", "Dependencies as agreements between teams."),
    "deps": ("deps", "deps_app", "Dependency analysis and suggested dependencies."),
    "objectives": ("commitment", "objectives_app", "Team and program PI objectives."),
    "risk": ("commitment", "risk_app", "ART risks: ROAM board and risk radar."),
    "vote": ("commitment", "vote_app", "The PI confidence vote."),
    "baseline": ("commitment", "show_baseline", "What changed since the PI's baseline."),
    "kanban": ("commitment", "kanban_app", "The ART Kanban with WIP limits."),
    "calendar": ("execution", "calendar_app", "The ART calendar: generate, show, export."),
    "sync": ("execution", "sync_app", "ART Sync: facts and records."),
    "notes": ("execution", "notes_app", "Meeting notes -> summary, decisions, actions."),
    "actions": ("execution_work", "actions_app", "Action items: owner, due date, status."),
    "impediment": ("execution_work", "impediment_app", "Impediments and their escalation."),
    "ia": ("execution_work", "ia_app", "Inspect & Adapt."),
    "metrics": ("metrics", "metrics", "The six flow metrics, per team and ART."),
    "forecast": ("metrics", "forecast_app", "Monte Carlo forecasts and their back-test."),
    "report": ("metrics", "report", "The PI's stakeholder status report (html, pdf, md)."),
    "triage": ("learning", "triage_app", "Backlog triage: suggested type, team, estimate."),
    "retrain": ("learning", "retrain_app", "Retrain the learned models, now or on a schedule."),
    "evaluate": ("evaluate", "evaluate_app", "Measure the automation on real, public data."),
    "import": ("imports", "import_app", "Bring work items in from Jira or Azure DevOps."),
    "export": ("imports", "export", "Export a PI as CSV or JSON."),
    "backup": ("imports", "backup", "Back up the whole database to a portable file."),
    "restore": ("imports", "restore", "Restore a backup into an empty database."),
}
# commands that other areas add to a group when it loads: group -> (name, module, attribute)
EXTRAS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "pi": (("readiness", "planning", "readiness"),),
    "risk": (("radar", "learning", "radar"), ("confirm", "learning", "risk_confirm"),
             ("dismiss", "learning", "risk_dismiss")),
}


def _load(module: str, attribute: str) -> object:
    return getattr(importlib.import_module(f"trainmaster.cli.{module}"), attribute)


class LazyGroup(TyperGroup):
    """The root group: lists every command from the table, imports one when it runs."""

    _built: dict[str, Any] = {}

    def list_commands(self, ctx: Any) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return None
        if cmd_name not in self._built:
            self._built[cmd_name] = _build(cmd_name)
        return self._built[cmd_name]


def _build(name: str) -> Any:
    module, attribute, _ = COMMANDS[name]
    target = _load(module, attribute)
    if isinstance(target, typer.Typer):
        for extra, extra_module, extra_attribute in EXTRAS.get(name, ()):
            target.command(extra)(_load(extra_module, extra_attribute))  # type: ignore[arg-type]
        group = typer.main.get_group(target)
        group.name = name
        return group
    single = typer.Typer(pretty_exceptions_enable=False)
    single.command(name)(target)  # type: ignore[arg-type]
    command = typer.main.get_command(single)
    command.name = name
    return command


app = typer.Typer(name="trainmaster", cls=LazyGroup, no_args_is_help=True,
                  add_completion=False, pretty_exceptions_enable=False)


@app.callback()
def main() -> None:
    """The Release Train Engineer's workbench."""


def run() -> None:
    """Entry point: trainmaster errors become one line on stderr and exit code 2."""
    try:
        app()
    except TrainmasterError as exc:
        errors.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(2)
