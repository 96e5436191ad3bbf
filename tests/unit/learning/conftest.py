"""A small simulated train (3 teams, 3 finished PIs) in the in-memory unit of work."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from tests.conftest import NOW
from tests.fakes import FakeUnitOfWork
from trainmaster.domain.access import SYSTEM, Actor, Role
from trainmaster.services import risk_radar, triage
from trainmaster.services.demo import LOAD_ORDER
from trainmaster.simulation import TrainData, generate


def simulated(seed: int = 3, teams: int = 2, today: date | None = None) -> TrainData:
    return generate(seed, teams=teams, pis=3, today=today or NOW.date())


@pytest.fixture(scope="session")
def train_data() -> TrainData:
    return simulated()


@pytest.fixture(scope="session")
def trained(train_data: TrainData) -> FakeUnitOfWork:
    """The train loaded once, with a first risk and triage model (training is the slow part)."""
    fake = FakeUnitOfWork()
    data = copy.deepcopy(train_data)
    for name in LOAD_ORDER:
        fake.repo(name).add_all(getattr(data, name))
    fake.commit()
    risk_radar.retrain_risk(fake, SYSTEM, 1, at=NOW)
    triage.retrain_triage(fake, SYSTEM, 1, at=NOW)
    return fake


@pytest.fixture
def uow(trained: FakeUnitOfWork) -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.data = copy.deepcopy(trained.data)
    fake.commit()
    fake._bind()
    return fake


def actor(role: Role, user_id: int = 50) -> Actor:
    return Actor(user_id=user_id, username=role.value, roles={1: frozenset({role})})


@pytest.fixture
def current_pi(uow: FakeUnitOfWork) -> int:
    return next(p.id for p in uow.pis.find() if p.state.value == "executing")
