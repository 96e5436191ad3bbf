"""Applying fetched tracker items to one ART inside one transaction.

Source-owned fields are rewritten from the tracker on every import; locally-owned fields
(PI and iteration placement after creation, WSJF terms, acceptance criteria, dependency
agreements, objectives, risks) are never touched. docs/import.md lists both.

Everything is read and checked before the first write of items, so a bad item stops the
import before anything but new teams is written, and the transaction undoes those.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from trainmaster.domain.art import Team
from trainmaster.domain.dependency import Dependency
from trainmaster.domain.errors import Conflict, Invalid
from trainmaster.domain.sync import LIST_FIELDS, ExternalItem, ImportMapping, SourceItem, fold
from trainmaster.domain.work_item import WorkItem
from trainmaster.services.import_rows import (
    Entry,
    NeedsGraph,
    Planner,
    checked,
    external_values,
    parents_first,
)
from trainmaster.services.unit_of_work import UnitOfWork

Progress = Callable[[str, int, int | None], None]
CHUNK = 500
History = list[tuple[str | None, str, datetime]]


@dataclass(frozen=True)
class ItemChange:
    key: str
    action: str                       # "create" or "update"
    level: str
    fields: tuple[str, ...] = ()      # what an update changes


@dataclass
class Outcome:
    created: Counter[str] = field(default_factory=Counter)
    updated: int = 0
    unchanged: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    teams_created: list[str] = field(default_factory=list)
    dependencies_created: int = 0
    dependencies_skipped: Counter[str] = field(default_factory=Counter)
    history_rows: int = 0
    changes: list[ItemChange] = field(default_factory=list)


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    for start in range(0, len(values), size):
        yield list(values[start:start + size])


def about(item: SourceItem, exc: Invalid) -> Invalid:
    """An item's validation error, naming the item and its field."""
    name = exc.field or "item"
    return Invalid(exc.message, field=name if name.startswith(item.key) else f"{item.key}.{name}")


class Applier:
    """Writes one batch of source items into an ART; construct, then `apply(items)`."""

    def __init__(self, uow: UnitOfWork, mapping: ImportMapping, art_id: int, source_id: int,
                 *, at: datetime, progress: Progress | None = None) -> None:
        self.uow = uow
        self.mapping = mapping
        self.art_id = art_id
        self.source_id = source_id
        self.at = at
        self.progress = progress
        self.out = Outcome()
        self.ids: dict[str, int] = {}                   # external key -> item id
        self.existing: dict[str, WorkItem] = {}
        self.changed: dict[str, tuple[str, ...]] = {}   # external key -> changed fields

    def apply(self, fetched: Sequence[SourceItem]) -> Outcome:
        entries = self._entries(fetched)
        self._load_existing(entries)
        teams = self._teams(entries)
        new, updates = self._build(entries, teams, Planner(self.uow, self.art_id, self.mapping))
        histories = self._histories(entries)
        externals = self._externals(entries)
        self.uow.items.bulk_insert_rows(new)   # parents first: references resolve in order
        for obj, changes in updates:
            for name, value in changes.items():
                setattr(obj, name, value)
        self._write_histories(histories)
        self.uow.external_items.bulk_insert_rows(externals)
        self._tally(entries)
        self._dependencies(entries)
        return self.out

    def _step(self, stage: int, n: int, total: int) -> None:
        if self.progress and (n % 2000 == 0 or n == total):
            self.progress("store", stage * total + n, 3 * total)

    # -- reading ---------------------------------------------------------------------------

    def _entries(self, fetched: Sequence[SourceItem]) -> list[Entry]:
        out = []
        for item in {i.key: i for i in fetched}.values():
            level = self.mapping.level_of(item.issue_type)
            if level is None:
                self.out.skipped[f"issue type {item.issue_type!r} not mapped"] += 1
            else:
                out.append(Entry(item.key, item, level, self.mapping.team_for(item)))
        return parents_first(out)

    def _load_existing(self, entries: list[Entry]) -> None:
        if self.uow.items.count(art_id=self.art_id) == 0:
            return   # a first import: nothing to match or clash with
        keys = sorted({e.key for e in entries}
                      | {e.item.parent_key for e in entries if e.item.parent_key}
                      | {k for e in entries for link in e.item.links
                         for k in (link.provider, link.consumer)})
        for part in chunks(keys):
            for obj in self.uow.items.find(art_id=self.art_id, external_key=part):
                self.existing[obj.external_key or ""] = obj
                self.ids[obj.external_key or ""] = obj.id or 0
        creating = [e.key for e in entries if e.key not in self.existing]
        for part in chunks(creating):
            clash = self.uow.items.first(art_id=self.art_id, key=part)
            if clash is not None:
                raise Conflict(f"{clash.key}: the ART already has an item with this key that is "
                               "not linked to the tracker; rename it or set its external_key "
                               f"to {clash.key!r}", field="key")

    def _teams(self, entries: list[Entry]) -> dict[str, int]:
        teams = {fold(t.name): t for t in self.uow.teams.find(art_id=self.art_id)}
        out = {}
        for name in sorted({e.team for e in entries if e.team}):
            team = teams.get(fold(name))
            if team is None:
                team = self.uow.teams.add(Team(art_id=self.art_id, name=name))
                self.out.teams_created.append(name)
            out[name] = team.id or 0
        return out

    # -- work items ------------------------------------------------------------------------

    def _build(self, entries: list[Entry], teams: dict[str, int], planner: Planner
               ) -> tuple[list[dict[str, Any]], list[tuple[WorkItem, dict[str, Any]]]]:
        next_id = self.uow.items.max_id() + 1
        for e in entries:
            if e.key not in self.ids:
                self.ids[e.key] = next_id
                next_id += 1
        new: list[dict[str, Any]] = []
        updates: list[tuple[WorkItem, dict[str, Any]]] = []
        for n, e in enumerate(entries, 1):
            values = self._values(e, teams)
            obj = self.existing.get(e.key)
            try:
                if obj is None:
                    new.append(self._create(e, values, planner))
                else:
                    changes = {k: v for k, v in values.items() if getattr(obj, k) != v}
                    if changes:
                        checked(WorkItem, {**vars_of(obj), **changes})
                        updates.append((obj, changes))
                    self._note(e.key, [k for k in changes if k != "updated_at"])
            except Invalid as exc:
                raise about(e.item, exc) from None
            self._step(0, n, len(entries))
        return new, updates

    def _note(self, key: str, fields: Iterable[str]) -> None:
        self.changed[key] = (*self.changed.get(key, ()), *fields)

    def _values(self, e: Entry, teams: dict[str, int]) -> dict[str, Any]:
        item = e.item
        status = self.mapping.item_status(e.level, item.status)
        if len(status) > 64:
            raise Invalid("a status name is at most 64 characters", field=f"{item.key}.status")
        values: dict[str, Any] = {
            "title": item.title.strip(), "description": item.description, "level": e.level,
            "work_type": self.mapping.work_type_of(item.issue_type), "status": status,
            "points": item.points, "updated_at": item.updated,
            "parent_id": self.ids.get(item.parent_key) if item.parent_key else None}
        if e.team is not None:
            values["team_id"] = teams[e.team]
        if item.parent_key and values["parent_id"] is None:
            self.out.skipped["parent not imported (item kept without parent)"] += 1
        return values

    def _create(self, e: Entry, values: dict[str, Any], planner: Planner) -> dict[str, Any]:
        pi_id, iteration_id = planner.place(e.item, e.level)
        row = checked(WorkItem, {**values, "art_id": self.art_id, "key": e.key,
                                 "external_key": e.key, "created_at": e.item.created,
                                 "pi_id": pi_id, "iteration_id": iteration_id,
                                 "id": self.ids[e.key]})
        self.out.created[e.level.value] += 1
        self.out.changes.append(ItemChange(e.key, "create", e.level.value))
        return row

    # -- histories, external records, dependencies ------------------------------------------

    def _histories(self, entries: list[Entry]) -> dict[int, History | None]:
        """item id -> the history to write (None: keep the stored one)."""
        stored: dict[int, History] = defaultdict(list)
        old_ids = [self.ids[e.key] for e in entries if e.key in self.existing]
        for part in chunks(old_ids, 5000):
            for item_id, before, after, at in self.uow.status_changes.history(part):
                stored[item_id].append((before, after, at))
        out: dict[int, History | None] = {}
        for n, e in enumerate(entries, 1):
            item_id = self.ids[e.key]
            wanted = self._history(e)
            if e.key in self.existing and wanted == stored.get(item_id, []):
                out[item_id] = None
            else:
                out[item_id] = wanted
                if e.key in self.existing:
                    self._note(e.key, ["history"])
            self._step(1, n, len(entries))
        return out

    def _history(self, e: Entry) -> History:
        out: History = []
        for step in sorted(e.item.history, key=lambda t: t.at):
            status = self.mapping.item_status(e.level, step.to_status)
            previous = out[-1][1] if out else None
            if status != previous:
                out.append((previous, status, step.at))   # a Transition holds the invariants
        return out

    def _write_histories(self, histories: dict[int, History | None]) -> None:
        stored = {obj.id for obj in self.existing.values()}
        for item_id, history in histories.items():
            if history is not None and item_id in stored:
                self.uow.status_changes.remove_where(item_id=item_id)
        next_id = self.uow.status_changes.max_id() + 1
        rows = []
        for item_id, history in histories.items():
            for before, after, at in history or ():
                rows.append({"id": next_id, "item_id": item_id, "from_status": before,
                             "to_status": after, "at": at})
                next_id += 1
        self.uow.status_changes.bulk_insert_rows(rows)
        self.out.history_rows = len(rows)

    def _externals(self, entries: list[Entry]) -> list[dict[str, Any]]:
        stored = {}
        for part in chunks([self.ids[e.key] for e in entries if e.key in self.existing]):
            stored.update({x.item_id: x for x in self.uow.external_items.find(item_id=part)})
        next_id = self.uow.external_items.max_id() + 1
        new = []
        for n, e in enumerate(entries, 1):
            values = external_values(e.item)
            record = stored.get(self.ids[e.key])
            if record is None:
                new.append({**values, "id": next_id, "item_id": self.ids[e.key],
                            "source_id": self.source_id})
                next_id += 1
            else:
                self._update_external(e.key, record, values)
            self._step(2, n, len(entries))
        return new

    def _update_external(self, key: str, record: ExternalItem, values: dict[str, Any]) -> None:
        changed = [k for k, v in values.items() if getattr(record, k) != v]
        lists = [n for n in LIST_FIELDS if record.lists.get(n) != values["lists"].get(n)]
        for name in changed:
            setattr(record, name, values[name])
        record.source_id = self.source_id
        self._note(key, [c for c in changed if c not in ("source_updated_at", "lists")])
        self._note(key, lists)

    def _tally(self, entries: list[Entry]) -> None:
        for e in entries:
            if e.key not in self.existing:
                continue
            changed = self.changed.get(e.key, ())
            if changed:
                self.out.updated += 1
                self.out.changes.append(ItemChange(e.key, "update", e.level.value, changed))
            else:
                self.out.unchanged += 1

    def _dependencies(self, entries: list[Entry]) -> None:
        pairs: dict[tuple[int, int], str] = {}
        for e in entries:
            for link in e.item.links:
                provider, consumer = self.ids.get(link.provider), self.ids.get(link.consumer)
                if provider is None or consumer is None:
                    self.out.dependencies_skipped["other end not imported"] += 1
                elif provider != consumer:
                    pairs.setdefault((consumer, provider), link.kind)
        if not pairs:
            return
        graph = NeedsGraph(self.uow.dependencies.find())
        next_id = self.uow.dependencies.max_id() + 1
        rows = []
        for (consumer, provider), kind in sorted(pairs.items()):
            if graph.has(consumer, provider):
                continue
            if graph.reaches(provider, consumer):
                self.out.dependencies_skipped["would close a dependency cycle"] += 1
                continue
            graph.add(consumer, provider)
            rows.append(checked(Dependency, {
                "id": next_id, "consumer_id": consumer, "provider_id": provider,
                "description": f"from the tracker link '{kind}'", "created_at": self.at}))
            next_id += 1
        self.uow.dependencies.bulk_insert_rows(rows)
        self.out.dependencies_created = len(rows)


def vars_of(obj: Any) -> dict[str, Any]:
    """A stored object's field values (without ORM state)."""
    return {f.name: getattr(obj, f.name) for f in fields(obj)}
