"""A small train in the fake unit of work: two teams, a running PI and the next one."""

from datetime import UTC, date, datetime

import pytest

from tests.fakes import FakeUnitOfWork
from trainmaster.domain.access import SYSTEM
from trainmaster.services import catalog

AT = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)   # PI 1, iteration 2 (Tuesday)


def add(uow, kind, **values):
    return catalog.create_entity(uow, SYSTEM, kind, values, at=AT)


@pytest.fixture
def uow():
    uow = FakeUnitOfWork()
    add(uow, "arts", name="Payments ART", key="PAY", timezone="Europe/Berlin")
    for team in ("Osprey", "Falcon"):
        add(uow, "teams", art_id=1, name=team)
    for name in ("Tom O'Brien", "Priya Raman", "Kate Ng"):
        add(uow, "people", name=name)
    add(uow, "memberships", team_id=1, person_id=1)                       # Tom, Osprey
    add(uow, "memberships", team_id=2, person_id=2, allocation=0.5)       # Priya, Falcon
    add(uow, "memberships", team_id=2, person_id=3, role="product_owner")
    add(uow, "pis", art_id=1, name="PI 1", start_date=date(2026, 11, 2))   # iterations 1-5
    add(uow, "pis", art_id=1, name="PI 2", start_date=date(2027, 1, 11))   # iterations 6-10
    # Osprey's feature in I2 needs Falcon's feature planned in I3: late
    add(uow, "items", art_id=1, level="feature", key="PAY-1", title="Refunds", team_id=1,
        pi_id=1, iteration_id=2)
    add(uow, "items", art_id=1, level="feature", key="PAY-2", title="Payments API v2",
        team_id=2, pi_id=1, iteration_id=3)
    add(uow, "dependencies", consumer_id=1, provider_id=2)
    # Falcon's I2 holds 9 points for a half-time developer (capacity 4)
    add(uow, "items", art_id=1, level="story", key="S-1", title="API", points=9, team_id=2,
        pi_id=1, iteration_id=2, parent_id=2)
    add(uow, "items", art_id=1, level="story", key="S-2", title="Refund UI", points=4,
        team_id=1, pi_id=1, iteration_id=1, parent_id=1, status="done")
    add(uow, "items", art_id=1, level="story", key="S-3", title="Refund API", points=4,
        team_id=1, pi_id=1, iteration_id=2, parent_id=1)
    add(uow, "objectives", pi_id=1, team_id=1, text="Refunds live", feature_ids=[1])
    add(uow, "actions", art_id=1, title="Book the demo room", owner_id=1,
        due=date(2026, 11, 20))
    add(uow, "actions", art_id=1, title="Send the minutes", owner_id=1, due=date(2026, 11, 30))
    add(uow, "risks", art_id=1, title="Vendor may slip", pi_id=1)
    add(uow, "risks", art_id=1, title="Owned risk", pi_id=1, roam="owned", owner_id=2)
    return uow
