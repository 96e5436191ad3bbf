"""`trainmaster evaluate …` — every automated feature measured on public data."""

from __future__ import annotations

import typer

from trainmaster.cli import deps_eval, learn_eval, learning, notes_eval

evaluate_app = typer.Typer(help="Measure the automation on real, public data.",
                           no_args_is_help=True)
evaluate_app.add_typer(deps_eval.app, name="deps")
evaluate_app.add_typer(notes_eval.app, name="notes")
for source in (learn_eval.app, learning.evaluate_app):
    evaluate_app.registered_commands.extend(source.registered_commands)
