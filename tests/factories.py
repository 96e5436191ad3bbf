"""Small factories: one train object at a time, with overridable defaults."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from trainmaster.domain.access import Actor, Role
from trainmaster.domain.art import Art, Membership, Person, Team
from trainmaster.domain.pi import Pi
from trainmaster.domain.work_item import ItemLevel, WorkItem

AT = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def make_art(**overrides: Any) -> Art:
    return Art(**{"name": "Payments ART", "key": "PAY", "timezone": "Europe/Berlin", **overrides})


def make_team(**overrides: Any) -> Team:
    return Team(**{"art_id": 1, "name": "Osprey", **overrides})


def make_person(**overrides: Any) -> Person:
    return Person(**{"name": "Ada Example", **overrides})


def make_membership(**overrides: Any) -> Membership:
    return Membership(**{"team_id": 1, "person_id": 1, **overrides})


def make_pi(**overrides: Any) -> Pi:
    return Pi(**{"art_id": 1, "name": "PI 26.4", "start_date": date(2026, 11, 2), **overrides})


def make_feature(**overrides: Any) -> WorkItem:
    return WorkItem(**{"art_id": 1, "level": ItemLevel.FEATURE, "key": "F-1",
                       "title": "Pay by link", **overrides})


def make_story(**overrides: Any) -> WorkItem:
    return WorkItem(**{"art_id": 1, "level": ItemLevel.STORY, "key": "S-1",
                       "title": "Generate the link", "points": 3, **overrides})


def actor(*roles: Role, art_id: int = 1, user_id: int = 99) -> Actor:
    return Actor(user_id=user_id, username="-".join(r.value for r in roles) or "nobody",
                 roles={art_id: frozenset(roles)})
