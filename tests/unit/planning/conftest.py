"""A small train in memory: three teams, one PI of 4 iterations + IP, features and stories."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from tests.factories import AT
from tests.fakes import FakeUnitOfWork
from trainmaster.domain.access import SYSTEM
from trainmaster.services import catalog


@dataclass
class Train:
    uow: FakeUnitOfWork
    art: int
    pi: int
    teams: dict[str, int] = field(default_factory=dict)
    iterations: dict[str, int] = field(default_factory=dict)
    items: dict[str, int] = field(default_factory=dict)
    people: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, values: dict) -> object:
        return catalog.create_entity(self.uow, SYSTEM, name, values, at=AT)

    def feature(self, key: str, team: str, iteration: str | None = None, **values: object) -> int:
        item = self.add("items", {"art_id": self.art, "level": "feature", "key": key,
                                  "title": f"Feature {key}", "team_id": self.teams[team],
                                  "pi_id": self.pi,
                                  "iteration_id": self.iterations.get(iteration or ""),
                                  **values})
        self.items[key] = item.id
        return item.id

    def story(self, key: str, team: str, iteration: str | None, points: float,
              parent: str | None = None, **values: object) -> int:
        item = self.add("items", {"art_id": self.art, "level": "story", "key": key,
                                  "title": f"Story {key}", "team_id": self.teams[team],
                                  "pi_id": self.pi, "points": points,
                                  "iteration_id": self.iterations.get(iteration or ""),
                                  "parent_id": self.items.get(parent or ""), **values})
        self.items[key] = item.id
        return item.id

    def depends(self, consumer: str, provider: str, **values: object) -> int:
        dep = self.add("dependencies", {"consumer_id": self.items[consumer],
                                        "provider_id": self.items[provider], **values})
        return dep.id

    def seat(self, team: str, person: str, role: str = "developer",
             allocation: float = 1.0) -> None:
        if person not in self.people:
            self.people[person] = self.add("people", {"name": person}).id
        self.add("memberships", {"team_id": self.teams[team], "person_id": self.people[person],
                                 "role": role, "allocation": allocation})


def build_train() -> Train:
    uow = FakeUnitOfWork()
    art = catalog.create_entity(uow, SYSTEM, "arts", {
        "name": "Payments ART", "key": "PAY", "timezone": "Europe/Berlin",
        "vision_url": "https://example.org/vision"}, at=AT)
    pi = catalog.create_entity(uow, SYSTEM, "pis", {"art_id": art.id, "name": "PI 27.1",
                                                    "start_date": date(2026, 12, 7)}, at=AT)
    train = Train(uow, art.id, pi.id)
    for name in ("Falcon", "Kestrel", "Osprey"):
        train.teams[name] = train.add("teams", {"art_id": art.id, "name": name}).id
    train.iterations = {i.name: i.id for i in uow.iterations.find(pi_id=pi.id)}
    for team in ("Falcon", "Kestrel"):
        train.seat(team, f"{team} dev 1")
        train.seat(team, f"{team} dev 2")
        train.seat(team, f"{team} SM", role="scrum_master")
    return train


@pytest.fixture
def train() -> Train:
    return build_train()
