"""The SQLAlchemy unit of work: one session, one transaction per `with` block."""

from __future__ import annotations

from typing import Any, Self, TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from trainmaster.domain.errors import Conflict, NotFound
from trainmaster.domain.job import Job
from trainmaster.domain.registry import REPOSITORIES, label
from trainmaster.domain.work_item import StatusChange
from trainmaster.storage.repositories import SqlJobs, SqlRepository, SqlStatusChanges
from trainmaster.storage.schema import map_all

T = TypeVar("T")

SPECIAL_REPOSITORIES: dict[type, type[SqlRepository[Any]]] = {
    StatusChange: SqlStatusChanges, Job: SqlJobs,
}


class SqlUnitOfWork:
    def __init__(self, engine: Engine) -> None:
        map_all()
        self.engine = engine
        self._factory = sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)
        self.session: Session | None = None
        self._depth = 0

    def __enter__(self) -> Self:
        if self._depth == 0:
            self.session = self._factory()
            for name, cls in REPOSITORIES.items():
                repo_cls = SPECIAL_REPOSITORIES.get(cls, SqlRepository)
                setattr(self, name, repo_cls(self.session, cls))
        self._depth += 1
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self._depth -= 1
        if self._depth > 0:
            return
        assert self.session is not None
        # close() rolls back whatever was not committed and detaches the objects with
        # their loaded state, so results stay readable after the block
        self.session.close()
        self.session = None

    def repo(self, name: str) -> Any:
        return getattr(self, name)

    def commit(self) -> None:
        assert self.session is not None, "commit outside a unit of work"
        if self._depth > 1:
            self.session.flush()
            return
        try:
            self.session.commit()
        except IntegrityError as exc:
            self.session.rollback()
            raise Conflict(f"the change clashes with stored data: {_reason(exc)}") from exc

    def rollback(self) -> None:
        assert self.session is not None
        self.session.rollback()

    def lock(self, cls: type[T], id_: int) -> T:
        assert self.session is not None
        obj = self.session.get(cls, id_, with_for_update=True, populate_existing=True)
        if obj is None:
            raise NotFound(f"{label(cls)} {id_} does not exist")
        return obj


def _reason(exc: IntegrityError) -> str:
    text = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    return text[:200]
