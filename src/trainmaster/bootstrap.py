"""The one place that wires settings, engine, unit of work and services together."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from trainmaster.config import Settings
from trainmaster.domain.access import Actor
from trainmaster.domain.errors import Invalid
from trainmaster.services.unit_of_work import UnitOfWork
from trainmaster.storage import backup, migrate
from trainmaster.storage.backup import BackupSummary
from trainmaster.storage.engine import make_engine
from trainmaster.storage.unit_of_work import SqlUnitOfWork


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class App:
    """Everything a request or a command needs: settings, a unit of work, a clock."""

    settings: Settings
    engine: Engine
    clock: Callable[[], datetime] = field(default=utc_now)

    def uow(self) -> UnitOfWork:
        return SqlUnitOfWork(self.engine)  # type: ignore[return-value]

    def upgrade_database(self) -> list[str]:
        return migrate.upgrade(self.engine)

    def database_is_current(self) -> bool:
        return migrate.is_current(self.engine)

    def backup(self, actor: Actor, path: str | Path) -> BackupSummary:
        """Write every row of the database to `path` (administrators only)."""
        return backup.backup_database(self.engine, actor, path, at=self.clock())

    def restore(self, actor: Actor, path: str | Path) -> BackupSummary:
        """Load a backup into this (empty) database (administrators only)."""
        return backup.restore_database(self.engine, actor, path)

    @property
    def backend(self) -> str:
        return self.engine.dialect.name


def build(settings: Settings | None = None, *, migrate_now: bool = True) -> App:
    settings = settings or Settings.from_env()
    if settings.is_sqlite:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = App(settings=settings, engine=make_engine(settings.database_url))
    if settings.now is not None:
        fixed = settings.now
        app.clock = lambda: fixed
    if migrate_now:
        try:
            app.upgrade_database()
        except OperationalError as exc:
            reason = " ".join(str(exc.orig or exc).split())
            raise Invalid(f"cannot open the database: {reason}",
                          field="TRAINMASTER_DATABASE_URL") from exc
    return app


@cache
def default_app() -> App:
    return build()
