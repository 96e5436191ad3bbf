"""The README documents every command and setting, and CI runs its test command."""

from pathlib import Path

import typer

from trainmaster.cli.main import app
from trainmaster.config import SETTINGS_DOC

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def _commands(group, prefix: str = "") -> list[str]:
    ctx = typer.Context(group)
    names = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if hasattr(command, "list_commands") and command.list_commands(typer.Context(command)):
            names += _commands(command, f"{prefix}{name} ")
        else:
            names.append(f"{prefix}{name}")
    return names


def test_every_command_is_in_the_readme():
    root = typer.main.get_command(app)
    missing = [c for c in _commands(root) if f"`trainmaster {c}" not in README]
    assert missing == []


def test_every_setting_is_in_the_readme():
    assert [s for s in SETTINGS_DOC if f"`{s}`" not in README] == []


def _quick_start() -> list[str]:
    blocks = README.split("## Quick start", 1)[1].split("```sh\n")[1:3]
    return [b.split("\n```", 1)[0].strip() for b in blocks]


def test_ci_runs_the_readmes_second_quick_start_command():
    commands = _quick_start()
    assert len(commands) == 2
    assert commands[1] in (ROOT / ".ci" / "run").read_text()


def test_the_first_quick_start_command_says_what_it_is_doing_while_it_installs():
    first = _quick_start()[0]
    assert "\n" not in first and " -q " not in first and "echo " in first
    assert first.index("echo ") < first.index("pip install") < first.index("trainmaster demo")
