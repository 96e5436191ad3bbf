"""The `trainmaster` command: one Typer root, one sub-app per area."""

from __future__ import annotations

import sys

import click
import typer

from trainmaster.cli import demo, train, users
from trainmaster.cli.output import errors
from trainmaster.domain.errors import TrainmasterError

app = typer.Typer(name="trainmaster", no_args_is_help=True, add_completion=False,
                  help="The Release Train Engineer's workbench.",
                  pretty_exceptions_enable=False)
app.command("demo")(demo.demo)
app.command("serve")(demo.serve)
app.command("worker")(demo.worker)
app.add_typer(demo.db_app, name="db")
app.add_typer(users.app, name="user")
app.add_typer(train.art_app, name="art")
app.add_typer(train.pi_app, name="pi")
app.add_typer(train.team_app, name="team")


def run() -> None:
    """Entry point: trainmaster errors become one line on stderr and exit code 2."""
    try:
        app(standalone_mode=False)
    except TrainmasterError as exc:
        errors.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(2)
    except (click.Abort, KeyboardInterrupt):
        errors.print("aborted")
        sys.exit(130)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:  # usage errors carry their own message and code
        exc.show()
        sys.exit(exc.exit_code)
