from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from fastapi.testclient import TestClient

from tests.conftest import NOW
from tests.factories import AT
from trainmaster.bootstrap import App
from trainmaster.domain.access import SYSTEM, Role
from trainmaster.services import auth, catalog
from trainmaster.web.app import create_app

PASSWORD = "correct horse battery"
ROLE_USERS = {role: f"user-{role.value.replace('_', '-')}" for role in Role}


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands and servers started by these tests take "now" from the tests' clock."""
    monkeypatch.setenv("TRAINMASTER_NOW", NOW.isoformat())


def seed_train(tm: App) -> dict[str, int]:
    """One ART with a team, a PI in its second iteration, a feature and an objective."""
    uow = tm.uow
    art = catalog.create_entity(uow(), SYSTEM, "arts", {"name": "Payments ART", "key": "PAY"},
                                at=AT)
    team = catalog.create_entity(uow(), SYSTEM, "teams", {"art_id": art.id, "name": "Osprey"},
                                 at=AT)
    pi = catalog.create_entity(uow(), SYSTEM, "pis", {"art_id": art.id, "name": "PI 26.4",
                                                      "start_date": date(2026, 11, 2)}, at=AT)
    feature = catalog.create_entity(uow(), SYSTEM, "items", {
        "art_id": art.id, "level": "feature", "key": "PAY-1", "title": "Pay by link",
        "team_id": team.id, "pi_id": pi.id}, at=AT)
    objective = catalog.create_entity(uow(), SYSTEM, "objectives", {
        "pi_id": pi.id, "team_id": team.id, "text": "Pay by link in production"}, at=AT)
    return {"art": art.id or 0, "team": team.id or 0, "pi": pi.id or 0,
            "feature": feature.id or 0, "objective": objective.id or 0}


@pytest.fixture
def train(tm: App) -> dict[str, int]:
    return seed_train(tm)


@pytest.fixture
def client(tm: App) -> TestClient:
    return TestClient(create_app(tm))


def ensure_user(tm: App, role: Role, art_id: int = 1) -> str:
    """The user holding `role` on the ART, created on first use (hashing is slow)."""
    username = ROLE_USERS[role]
    with tm.uow() as uow:
        exists = uow.users.first(username=username) is not None
    if not exists:
        auth.add_user(tm.uow(), SYSTEM, username, PASSWORD, art_id=art_id, roles=(role,), at=AT)
    return username


@pytest.fixture
def headers(tm: App, train: dict[str, int]) -> Callable[[Role], dict[str, str]]:
    """Bearer headers for the user with the given role."""
    def for_role(role: Role) -> dict[str, str]:
        token = auth.create_token(tm.uow(), SYSTEM, ensure_user(tm, role, train["art"]), at=AT)
        return {"Authorization": f"Bearer {token}"}
    return for_role


def login(client: TestClient, role: Role) -> str:
    """Log in through the form; returns the page's CSRF token."""
    ensure_user(client.app.state.tm, role)  # type: ignore[attr-defined]
    response = client.post("/login", data={"username": ROLE_USERS[role], "password": PASSWORD},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    page = client.get("/")
    marker = 'name="csrf-token" content="'
    return page.text.split(marker, 1)[1].split('"', 1)[0]
