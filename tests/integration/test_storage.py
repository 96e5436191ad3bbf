import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from tests.factories import AT, make_art, make_feature, make_person, make_pi, make_story, make_team
from trainmaster.domain.access import SYSTEM
from trainmaster.domain.art import Membership
from trainmaster.domain.dependency import Dependency
from trainmaster.domain.errors import Conflict, Invalid, NotFound
from trainmaster.domain.objective import Objective
from trainmaster.domain.risk import Risk
from trainmaster.domain.work_item import StatusChange
from trainmaster.services import catalog


def _seed(tm):
    with tm.uow() as uow:
        art = uow.arts.add(make_art())
        team = uow.teams.add(make_team(art_id=art.id))
        pi = uow.pis.add(make_pi(art_id=art.id))
        uow.iterations.add_all(pi.build_iterations())
        uow.commit()
        return art.id, team.id, pi.id


def test_round_trip_keeps_every_field(tm):
    art_id, team_id, pi_id = _seed(tm)
    with tm.uow() as uow:
        iteration = uow.iterations.first(pi_id=pi_id, index=2)
        feature = uow.items.add(make_feature(
            art_id=art_id, team_id=team_id, pi_id=pi_id, iteration_id=iteration.id,
            business_value=8, time_criticality=3, risk_reduction=1, job_size=5, points=13.5,
            created_at=AT))
        uow.commit()
        expected = dataclasses.asdict(feature)
    with tm.uow() as uow:
        assert dataclasses.asdict(uow.items.get(expected["id"])) == expected


def test_json_fields_and_enums_round_trip(tm):
    art_id, team_id, pi_id = _seed(tm)
    with tm.uow() as uow:
        uow.objectives.add(Objective(pi_id=pi_id, team_id=team_id, text="Go live",
                                     planned_bv=7, feature_ids=[3, 4]))
        art = uow.arts.get(art_id)
        art.guardrails["business"] = 0.55
        art.guardrails["enabler"] = 0.30
        uow.commit()
    with tm.uow() as uow:
        assert uow.objectives.first(pi_id=pi_id).feature_ids == [3, 4]
        assert uow.arts.get(art_id).guardrails["business"] == 0.55


def test_times_come_back_aware_in_utc(tm):
    art_id, _, _ = _seed(tm)
    berlin = timezone(timedelta(hours=1))
    with tm.uow() as uow:
        item = uow.items.add(make_story(art_id=art_id))
        uow.status_changes.add(StatusChange(item_id=item.id, to_status="done",
                                            at=datetime(2026, 11, 24, 10, 30, tzinfo=berlin)))
        uow.commit()
    with tm.uow() as uow:
        (row,) = uow.status_changes.history()
    assert row[3] == datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


def test_leaving_without_commit_keeps_nothing(tm):
    art_id, _, _ = _seed(tm)
    with pytest.raises(RuntimeError):
        with tm.uow() as uow:
            uow.items.add(make_story(art_id=art_id))
            raise RuntimeError("the request failed half-way")
    with tm.uow() as uow:
        assert uow.items.count() == 0


def test_a_duplicate_key_is_a_conflict_and_nothing_is_written(tm):
    art_id, _, _ = _seed(tm)
    with pytest.raises(Conflict):
        with tm.uow() as uow:
            uow.items.add(make_story(art_id=art_id, key="S-1"))
            uow.items.add(make_story(art_id=art_id, key="S-1"))
            uow.commit()
    with tm.uow() as uow:
        assert uow.items.count() == 0


def test_deleting_an_item_removes_its_history_and_dependencies(tm):
    art_id, _, _ = _seed(tm)
    with tm.uow() as uow:
        a = uow.items.add(make_story(art_id=art_id, key="S-1"))
        b = uow.items.add(make_story(art_id=art_id, key="S-2"))
        uow.dependencies.add(Dependency(consumer_id=a.id, provider_id=b.id))
        uow.status_changes.add(StatusChange(item_id=a.id, to_status="todo", at=AT))
        uow.commit()
    catalog.delete_entity(tm.uow(), SYSTEM, "items", a.id)
    with tm.uow() as uow:
        assert (uow.dependencies.count(), uow.status_changes.count()) == (0, 0)


def test_find_filters_by_lists_and_orders(tm):
    art_id, team_id, _ = _seed(tm)
    with tm.uow() as uow:
        for key in ("S-3", "S-1", "S-2"):
            uow.items.add(make_story(art_id=art_id, key=key, team_id=team_id))
        uow.commit()
        assert [i.key for i in uow.items.find(key=["S-1", "S-3"], order_by="key")] == ["S-1", "S-3"]


def test_catalog_round_trip_on_both_engines(tm):
    art = catalog.create_entity(tm.uow(), SYSTEM, "arts", {"name": "Wallet", "key": "wal"}, at=AT)
    person = catalog.create_entity(tm.uow(), SYSTEM, "people", {"name": "Ada"}, at=AT)
    team = catalog.create_entity(tm.uow(), SYSTEM, "teams", {"art_id": art.id, "name": "Heron"},
                                 at=AT)
    catalog.create_entity(tm.uow(), SYSTEM, "memberships",
                          {"team_id": team.id, "person_id": person.id, "allocation": 0.5}, at=AT)
    risk = catalog.create_entity(tm.uow(), SYSTEM, "risks",
                                 {"art_id": art.id, "title": "Vendor", "due": date(2026, 12, 1)},
                                 at=AT)
    assert catalog.get_entity(tm.uow(), SYSTEM, "risks", risk.id).due == date(2026, 12, 1)
    (m,) = catalog.list_entities(tm.uow(), SYSTEM, "memberships", team_id=team.id)
    assert isinstance(m, Membership) and m.allocation == 0.5
    with pytest.raises(Invalid):
        catalog.update_entity(tm.uow(), SYSTEM, "memberships", m.id, {"allocation": 1.5}, at=AT)
    catalog.delete_entity(tm.uow(), SYSTEM, "risks", risk.id)
    with pytest.raises(NotFound):
        catalog.get_entity(tm.uow(), SYSTEM, "risks", risk.id)


def test_a_person_is_stored_once_per_email(tm):
    with tm.uow() as uow:
        uow.people.add(make_person(email="ada@example.org"))
        uow.commit()
    with pytest.raises(Conflict), tm.uow() as uow:
        uow.people.add(make_person(name="Ada Two", email="ada@example.org"))
        uow.commit()


def test_risk_rows_keep_their_defaults(tm):
    art_id, _, _ = _seed(tm)
    with tm.uow() as uow:
        uow.risks.add(Risk(art_id=art_id, title="x"))
        uow.commit()
    with tm.uow() as uow:
        assert uow.risks.first().roam.value == "unroamed"
