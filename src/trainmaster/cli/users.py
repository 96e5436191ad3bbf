"""`trainmaster user add|grant|token`."""

from __future__ import annotations

from typing import Annotated

import typer

from trainmaster.cli.context import cli_actor, tm
from trainmaster.cli.output import console, print_json
from trainmaster.domain.access import Role
from trainmaster.services import auth, overview

app = typer.Typer(help="Users, roles and API tokens.", no_args_is_help=True)


@app.command("add")
def add(
    username: str,
    password: Annotated[str, typer.Option(prompt=True, hide_input=True,
                                          confirmation_prompt=True)],
    art: Annotated[str | None, typer.Option(help="ART key or id for the roles.")] = None,
    role: Annotated[list[Role] | None, typer.Option(help="Role on that ART (repeatable).")] = None,
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    admin: Annotated[bool, typer.Option(help="Make an administrator.")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Create a user, optionally with roles on an ART."""
    app_, actor = tm(), cli_actor()
    art_id = overview.find_art(app_.uow(), actor, art).id if art else None
    user = auth.add_user(app_.uow(), actor, username, password, display_name=name,
                         art_id=art_id, roles=tuple(role or ()), is_admin=admin,
                         at=app_.clock())
    if as_json:
        print_json({"id": user.id, "username": user.username, "roles": role or []})
    else:
        console.print(f"Created user {user.username}" + (f" ({', '.join(role)})" if role else ""))


@app.command("grant")
def grant(username: str, art: str, role: Role) -> None:
    """Give a user a role on an ART."""
    app_, actor = tm(), cli_actor()
    art_id = overview.find_art(app_.uow(), actor, art).id or 0
    auth.grant_role(app_.uow(), actor, username, art_id, role)
    console.print(f"{username} is now {role.value} on {art}")


@app.command("token")
def token(username: str,
          name: Annotated[str, typer.Option(help="What the token is for.")] = "cli") -> None:
    """Print a new API token (use it as 'Authorization: Bearer <token>')."""
    app_ = tm()
    print(auth.create_token(app_.uow(), cli_actor(), username, name=name, at=app_.clock()))
