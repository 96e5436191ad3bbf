"""An in-memory unit of work for unit tests of the services (no database)."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Self

from trainmaster.domain.errors import NotFound
from trainmaster.domain.registry import REPOSITORIES, label


class FakeRepository:
    def __init__(self, cls: type, rows: dict[int, Any]) -> None:
        self.cls = cls
        self.rows = rows

    def add(self, obj: Any) -> Any:
        if obj.id is None:
            obj.id = max(self.rows, default=0) + 1
        self.rows[obj.id] = obj
        return obj

    def add_all(self, objs: Iterable[Any]) -> None:
        for obj in objs:
            self.add(obj)

    def bulk_insert(self, objs: Sequence[Any]) -> None:
        self.add_all(objs)

    def bulk_insert_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        self.add_all(self.cls(**row) for row in rows)

    def max_id(self) -> int:
        return max(self.rows, default=0)

    def get(self, id_: int) -> Any:
        if id_ not in self.rows:
            raise NotFound(f"{label(self.cls)} {id_} does not exist")
        return self.rows[id_]

    def find(self, *, order_by: str = "id", **equals: Any) -> list[Any]:
        def matches(obj: Any) -> bool:
            for name, value in equals.items():
                actual = getattr(obj, name)
                if isinstance(value, list | tuple | set):
                    if actual not in value:
                        return False
                elif actual != value:
                    return False
            return True
        found = [o for o in self.rows.values() if matches(o)]
        return sorted(found, key=lambda o: (getattr(o, order_by) is None, getattr(o, order_by)))

    def first(self, **equals: Any) -> Any:
        found = self.find(**equals)
        return found[0] if found else None

    def columns(self, names: Sequence[str], **equals: Any) -> dict[str, list[Any]]:
        found = self.find(**equals)
        return {n: [getattr(o, n) for o in found] for n in names}

    def count(self, **equals: Any) -> int:
        return len(self.find(**equals))

    def remove(self, obj: Any) -> None:
        self.rows.pop(obj.id, None)

    def remove_where(self, **equals: Any) -> int:
        found = self.find(**equals)
        for obj in found:
            self.remove(obj)
        return len(found)

    def history(self, item_ids: Sequence[int] | None = None
                ) -> list[tuple[int, str | None, str, datetime]]:
        rows = [r for r in self.rows.values() if item_ids is None or r.item_id in item_ids]
        rows.sort(key=lambda r: (r.item_id, r.at))
        return [(r.item_id, r.from_status, r.to_status, r.at) for r in rows]


class FakeUnitOfWork:
    """Commits keep changes; leaving a block without commit restores the last commit."""

    def __init__(self) -> None:
        self.data: dict[str, dict[int, Any]] = {name: {} for name in REPOSITORIES}
        self._saved = copy.deepcopy(self.data)
        self._depth = 0
        self.commits = 0
        self._bind()

    def _bind(self) -> None:
        for name, cls in REPOSITORIES.items():
            setattr(self, name, FakeRepository(cls, self.data[name]))

    def __enter__(self) -> Self:
        self._depth += 1
        return self

    def __exit__(self, *exc: object) -> None:
        self._depth -= 1
        if self._depth == 0:
            self.rollback()

    def commit(self) -> None:
        if self._depth <= 1:
            self._saved = copy.deepcopy(self.data)
            self.commits += 1

    def rollback(self) -> None:
        self.data = copy.deepcopy(self._saved)
        self._bind()

    def repo(self, name: str) -> Any:
        return getattr(self, name)

    def lock(self, cls: type, id_: int) -> Any:
        name = next(n for n, c in REPOSITORIES.items() if c is cls)
        return self.repo(name).get(id_)
