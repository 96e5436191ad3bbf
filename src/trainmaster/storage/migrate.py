"""Bring a database to the newest schema with Alembic."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> list[str]:
    """Migrate to every head; returns the revisions applied (empty when up to date)."""
    config = alembic_config(engine)
    before = current_revisions(engine)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # several workers may start at once: one migrates, the others wait for it
            connection.execute(text("SELECT pg_advisory_xact_lock(7210331)"))
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")
    after = current_revisions(engine)
    return sorted(after - before)


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def head_revisions() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def is_current(engine: Engine) -> bool:
    return current_revisions(engine) == head_revisions()
