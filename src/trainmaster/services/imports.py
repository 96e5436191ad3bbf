"""Import a train's work items from a tracker (Jira, Azure DevOps, their CSV exports).

One import is one transaction: everything the tracker says is written, or (on the first
bad item) nothing, and the error names the item and the field. A dry run does the same
work and rolls it back, so its counts are exactly what the import would do. Re-imports
match items by their external key within the ART and ask the tracker only for what
changed since the source's last sync.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from trainmaster.domain.access import Actor, Permission
from trainmaster.domain.art import Art
from trainmaster.domain.errors import NotFound
from trainmaster.domain.sync import (
    ImportMapping,
    ImportRun,
    SourceItem,
    SourceKind,
    SyncSource,
    scope_key,
)
from trainmaster.services.import_apply import Applier, ItemChange
from trainmaster.services.unit_of_work import UnitOfWork

Progress = Callable[[str, int, int | None], None]
INCREMENTAL = frozenset({SourceKind.JIRA.value, SourceKind.AZURE.value})


class Source(Protocol):
    """Where items come from (integrations.jira.JiraSource, ...AzureSource, CSV sources)."""

    kind: str
    location: str
    scope_text: str

    def fetch(self, since: datetime | None, progress: Progress | None = None
              ) -> list[SourceItem]: ...


@dataclass(frozen=True)
class ImportReport:
    art_key: str
    source: str
    dry_run: bool
    since: datetime | None
    fetched: int
    art_created: bool
    teams_created: list[str]
    created: dict[str, int]
    updated: int
    unchanged: int
    skipped: dict[str, int]
    dependencies_created: int
    dependencies_skipped: dict[str, int]
    history_rows: int
    changes: list[ItemChange] = field(default_factory=list)

    @property
    def created_total(self) -> int:
        return sum(self.created.values())


def run_import(uow: UnitOfWork, actor: Actor, mapping: ImportMapping, source: Source, *,
               at: datetime, dry_run: bool = False, full: bool = False,
               progress: Progress | None = None) -> ImportReport:
    """Fetch what changed since the last sync (everything with `full`) and import it."""
    since = None
    with uow:
        art = uow.arts.first(key=mapping.art_key)
        _require(actor, art, mapping)
        if art is not None and not full and source.kind in INCREMENTAL:
            found = _source(uow, art.id or 0, source)
            since = found.last_sync_at if found else None
    with collector_paused():
        items = source.fetch(since, progress)
        return import_items(uow, actor, mapping, source, items, at=at, dry_run=dry_run,
                            since=since, progress=progress)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause CPython's cycle collector during a bulk load.

    An import allocates millions of objects that live until it ends; the collector would
    scan them again and again (a 100,000-issue import spends a third of its time there).
    Reference counting still frees everything that is dropped.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def import_items(uow: UnitOfWork, actor: Actor, mapping: ImportMapping, source: Source,
                 items: Sequence[SourceItem], *, at: datetime, dry_run: bool = False,
                 since: datetime | None = None, progress: Progress | None = None
                 ) -> ImportReport:
    """Write fetched items into the mapping's ART in one transaction (rolled back when dry)."""
    with collector_paused(), uow:
        art = uow.arts.first(key=mapping.art_key)
        _require(actor, art, mapping)
        art_created = art is None
        if art is None:
            art = uow.arts.add(Art(name=mapping.art_name, key=mapping.art_key,
                                   timezone=mapping.timezone))
        sync = _source(uow, art.id or 0, source) or uow.sync_sources.add(SyncSource(
            art_id=art.id or 0, kind=source.kind, location=source.location,
            scope=source.scope_text, created_at=at))
        outcome = Applier(uow, mapping, art.id or 0, sync.id or 0, at=at,
                          progress=progress).apply(items)
        report = ImportReport(
            art_key=art.key, source=f"{source.kind} {source.location}", dry_run=dry_run,
            since=since, fetched=len(items), art_created=art_created,
            teams_created=outcome.teams_created, created=dict(outcome.created),
            updated=outcome.updated, unchanged=outcome.unchanged, skipped=dict(outcome.skipped),
            dependencies_created=outcome.dependencies_created,
            dependencies_skipped=dict(outcome.dependencies_skipped),
            history_rows=outcome.history_rows, changes=outcome.changes)
        if not dry_run:
            _record(uow, actor, sync, mapping, report, at)
            uow.commit()
        return report


def _record(uow: UnitOfWork, actor: Actor, sync: SyncSource, mapping: ImportMapping,
            report: ImportReport, at: datetime) -> None:
    if sync.kind in INCREMENTAL:
        sync.last_sync_at = at   # the next run asks for what changed since this one began
    sync.last_run_at = at
    sync.status_classes = mapping.status_names()
    sync.item_count = uow.external_items.count(source_id=sync.id)
    counts = {"fetched": report.fetched, "created": report.created_total,
              "updated": report.updated, "unchanged": report.unchanged,
              "skipped": sum(report.skipped.values()),
              "dependencies": report.dependencies_created, "history_rows": report.history_rows}
    uow.import_runs.add(ImportRun(source_id=sync.id or 0, started_at=at, finished_at=at,
                                  counts=counts, by_user_id=actor.user_id))


def _require(actor: Actor, art: Art | None, mapping: ImportMapping) -> None:
    if art is not None:
        actor.require(Permission.IMPORT_DATA, art.id)
        return
    if not mapping.art_name:
        raise NotFound(f"no ART {mapping.art_key!r}: create it first, or give [art] name in the "
                       "mapping to have the import create it")
    actor.require(Permission.MANAGE_TRAIN, -1)  # only administrators create trains


def _source(uow: UnitOfWork, art_id: int, source: Source) -> SyncSource | None:
    return uow.sync_sources.first(art_id=art_id, kind=source.kind, location=source.location,
                                  scope_key=scope_key(source.scope_text))


@dataclass(frozen=True)
class SourceView:
    source: SyncSource
    art_key: str
    runs: int


def list_sources(uow: UnitOfWork, actor: Actor) -> list[SourceView]:
    """Every sync source the actor may see, with its last sync and run count."""
    with uow:
        arts = {a.id: a for a in uow.arts.find() if actor.can(Permission.VIEW, a.id)}
        return [SourceView(s, arts[s.art_id].key, uow.import_runs.count(source_id=s.id))
                for s in uow.sync_sources.find(art_id=list(arts))]


def status_classes(uow: UnitOfWork, actor: Actor, art_id: int) -> dict[str, str]:
    """How imported status names count for flow (folded name -> todo/active/waiting/done),
    merged over the ART's sources, the most recently run last."""
    actor.require(Permission.VIEW, art_id)
    with uow:
        sources = sorted(uow.sync_sources.find(art_id=art_id),
                         key=lambda s: (s.last_run_at is not None, s.last_run_at or s.created_at))
        merged: dict[str, str] = {}
        for s in sources:
            merged.update(s.status_classes)
        return merged
