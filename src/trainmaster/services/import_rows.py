"""The pieces an import is built from: checked rows, parent order, the cycle rule, first
placement of new items.

New rows are written as plain field dicts (no ORM objects: a bulk load of 100,000 items
would spend most of its time building them), but every row still goes through its domain
class's own `__post_init__`, so an import can never store what the domain refuses.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from trainmaster.domain.dependency import Dependency
from trainmaster.domain.errors import Invalid
from trainmaster.domain.pi import Iteration
from trainmaster.domain.sync import ImportMapping, SourceItem, fold
from trainmaster.domain.work_item import ItemLevel
from trainmaster.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class Entry:
    """A fetched item with what the mapping makes of it."""

    key: str
    item: SourceItem
    level: ItemLevel
    team: str | None


class _Draft(SimpleNamespace):
    """Field values standing in for a domain object while its invariants run."""

    _cls: type

    def __getattr__(self, name: str) -> Any:
        member = getattr(self._cls, name)
        return member.__get__(self) if hasattr(member, "__get__") else member


_DEFAULTS: dict[type, dict[str, Any]] = {}


def checked(cls: type, values: dict[str, Any]) -> dict[str, Any]:
    """`values` completed with the class's defaults and passed through its `__post_init__`
    (which normalises them: enums, stripped text); raises its Invalid errors."""
    defaults = _DEFAULTS.get(cls)
    if defaults is None:
        defaults = _DEFAULTS[cls] = {
            f.name: (f.default_factory() if f.default_factory is not dataclasses.MISSING  # type: ignore[misc]
                     else None if f.default is dataclasses.MISSING else f.default)
            for f in dataclasses.fields(cls)}
    draft = _Draft(**{**defaults, **values})
    object.__setattr__(draft, "_cls", cls)
    post_init = getattr(cls, "__post_init__", None)
    if post_init is not None:
        post_init(draft)
    row = vars(draft)
    row.pop("_cls", None)
    return row


def external_values(item: SourceItem) -> dict[str, Any]:
    """What an ExternalItem records of a source item."""
    lists = {"sprints": [s.name for s in item.sprints], "components": list(item.components),
             "labels": list(item.labels), "fix_versions": list(item.fix_versions)}
    return {"external_id": item.external_id[:64], "url": item.url,
            "issue_type": item.issue_type[:100], "source_status": item.status[:100],
            "project": item.project[:200], "area_path": item.area_path,
            "lists": {name: values for name, values in lists.items() if values},
            "source_updated_at": item.updated}


def parents_first(entries: list[Entry]) -> list[Entry]:
    """Entries ordered so that a parent in the batch comes before its children."""
    parent_of = {e.key: e.item.parent_key for e in entries}
    depth: dict[str, int] = {}
    for key in parent_of:
        chain: list[str] = []
        current: str | None = key
        while current in parent_of and current not in depth:
            if current in chain:
                raise Invalid(f"the parents of {' > '.join(chain)} form a loop",
                              field=f"{key}.parent")
            chain.append(current)
            current = parent_of[current]
        base = depth.get(current, -1) if current else -1
        for n, k in enumerate(reversed(chain), 1):
            depth[k] = base + n
    return sorted(entries, key=lambda e: depth[e.key])


class NeedsGraph:
    """Dependencies as 'consumer needs provider' edges, for the rule that forbids cycles."""

    def __init__(self, deps: Iterable[Dependency]) -> None:
        self.needs: dict[int, set[int]] = defaultdict(set)
        for d in deps:
            self.needs[d.consumer_id].add(d.provider_id)

    def has(self, consumer: int, provider: int) -> bool:
        return provider in self.needs.get(consumer, ())

    def add(self, consumer: int, provider: int) -> None:
        self.needs[consumer].add(provider)

    def reaches(self, start: int, goal: int) -> bool:
        seen, stack = {start}, [start]
        while stack:
            node = stack.pop()
            if node == goal:
                return True
            for nxt in self.needs.get(node, ()):
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return False


class Planner:
    """First placement of a new item: its PI from a fix version named like a PI of the ART,
    a story's iteration from the sprint whose start falls in one of the ART's iterations."""

    def __init__(self, uow: UnitOfWork, art_id: int, mapping: ImportMapping) -> None:
        self.mapping = mapping
        self.pis = {fold(p.name): p.id for p in uow.pis.find(art_id=art_id)}
        pi_ids = list(self.pis.values())
        self.iterations: list[Iteration] = (
            uow.iterations.find(pi_id=pi_ids, order_by="start_date") if pi_ids else [])

    def place(self, item: SourceItem, level: ItemLevel) -> tuple[int | None, int | None]:
        if level is ItemLevel.EPIC:
            return None, None
        if level is ItemLevel.STORY and self.mapping.iteration_from_sprint:
            starts = [s.start for s in item.sprints if s.start is not None]
            if starts and self.iterations:
                day = max(starts).date()
                found = next((i for i in self.iterations if i.contains(day)), None)
                if found is not None:
                    return found.pi_id, found.id
        if self.mapping.pi_from_fix_version:
            for version in item.fix_versions:
                pi_id = self.pis.get(fold(version))
                if pi_id is not None:
                    return pi_id, None
        return None, None
