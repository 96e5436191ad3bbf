"""A small train in memory for the dependency services: two ARTs on one Solution Train."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest

from tests.factories import AT
from tests.fakes import FakeUnitOfWork
from trainmaster.domain.access import SYSTEM
from trainmaster.services import catalog

START = date(2026, 12, 7)          # PI 27.1: I1 07 Dec, I2 21 Dec, I3 04 Jan, I4 18 Jan, IP


@dataclass
class Train:
    uow: FakeUnitOfWork
    art: int
    pi: int
    arts: dict[str, int] = field(default_factory=dict)
    pis: dict[str, int] = field(default_factory=dict)
    teams: dict[str, int] = field(default_factory=dict)
    iterations: dict[str, int] = field(default_factory=dict)
    items: dict[str, int] = field(default_factory=dict)
    deps: dict[tuple[str, str], int] = field(default_factory=dict)

    def add(self, name: str, values: dict[str, Any]) -> Any:
        return catalog.create_entity(self.uow, SYSTEM, name, values, at=AT)

    def item(self, key: str, team: str, iteration: str | None = None, *, level: str = "feature",
             pi: str = "PI 27.1", **values: Any) -> int:
        team_id = self.teams[team]
        art_id = self.uow.teams.get(team_id).art_id
        pi_id = self.pis[pi] if pi else None
        it = self.iterations.get(f"{pi} {iteration}") if iteration else None
        created = self.add("items", {"art_id": art_id, "level": level, "key": key,
                                     "title": values.pop("title", f"Feature {key}"),
                                     "team_id": team_id, "pi_id": pi_id, "iteration_id": it,
                                     **values})
        self.items[key] = created.id
        return created.id

    def depends(self, consumer: str, provider: str, **values: Any) -> int:
        dep = self.add("dependencies", {"consumer_id": self.items[consumer],
                                        "provider_id": self.items[provider], **values})
        self.deps[(consumer, provider)] = dep.id
        return dep.id

    def add_pi(self, art: str, name: str, start: date) -> int:
        pi = self.add("pis", {"art_id": self.arts[art], "name": name, "start_date": start})
        self.pis[name if art == "PAY" else f"{art} {name}"] = pi.id
        for it in self.uow.iterations.find(pi_id=pi.id):
            self.iterations[f"{name if art == 'PAY' else f'{art} {name}'} {it.name}"] = it.id
        return pi.id

    def milestone(self, title: str, day: date) -> int:
        return self.add("events", {"art_id": self.art, "kind": "milestone", "title": title,
                                   "start": datetime(day.year, day.month, day.day, 9, tzinfo=UTC),
                                   "end": datetime(day.year, day.month, day.day, 10, tzinfo=UTC),
                                   "pi_id": self.pi}).id


def build_train() -> Train:
    uow = FakeUnitOfWork()
    train = Train(uow, 0, 0)
    for key, name in (("PAY", "Payments ART"), ("SHOP", "Shop ART")):
        train.arts[key] = train.add("arts", {"name": name, "key": key,
                                             "solution_train": "Commerce"}).id
    train.art = train.arts["PAY"]
    train.pi = train.add_pi("PAY", "PI 27.1", START)
    train.add_pi("PAY", "PI 26.5", date(2026, 9, 28))
    train.add_pi("PAY", "PI 27.2", date(2027, 2, 15))
    train.add_pi("SHOP", "PI 27.1", START)
    for name in ("Falcon", "Kestrel", "Osprey"):
        train.teams[name] = train.add("teams", {"art_id": train.art, "name": name}).id
    train.teams["Heron"] = train.add("teams", {"art_id": train.arts["SHOP"], "name": "Heron"}).id
    return train


@pytest.fixture
def train() -> Train:
    return build_train()
