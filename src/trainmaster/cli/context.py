"""What every command shares: the wired application and the local actor."""

from __future__ import annotations

from trainmaster import bootstrap
from trainmaster.bootstrap import App
from trainmaster.domain.access import SYSTEM, Actor


def tm() -> App:
    return bootstrap.default_app()


def cli_actor() -> Actor:
    """Commands run on the machine that holds the database: they act as its administrator."""
    return SYSTEM
