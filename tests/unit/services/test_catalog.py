from datetime import date

import pytest

from tests.factories import AT, actor
from tests.fakes import FakeUnitOfWork
from trainmaster.domain.access import SYSTEM, Role
from trainmaster.domain.errors import Forbidden, Invalid, NotFound
from trainmaster.services import catalog


@pytest.fixture
def uow():
    uow = FakeUnitOfWork()
    catalog.create_entity(uow, SYSTEM, "arts", {"name": "Payments ART", "key": "pay"}, at=AT)
    catalog.create_entity(uow, SYSTEM, "teams", {"art_id": 1, "name": "Osprey"}, at=AT)
    catalog.create_entity(uow, SYSTEM, "pis", {"art_id": 1, "name": "PI 1",
                                                "start_date": date(2026, 11, 2)}, at=AT)
    return uow


def test_creating_a_pi_creates_its_iterations(uow):
    assert [i.name for i in uow.iterations.find(pi_id=1)] == ["I1", "I2", "I3", "I4", "IP"]


def test_creating_an_item_records_its_first_status(uow):
    item = catalog.create_entity(uow, actor(Role.PRODUCT_OWNER), "items",
                                 {"art_id": 1, "level": "feature", "key": "F-1", "title": "x"},
                                 at=AT)
    assert [(c.item_id, c.to_status) for c in uow.status_changes.find()] == [(item.id, "funnel")]


def test_changing_a_status_records_the_transition(uow):
    po = actor(Role.PRODUCT_OWNER)
    catalog.create_entity(uow, po, "items", {"art_id": 1, "level": "story", "key": "S-1",
                                             "title": "x"}, at=AT)
    catalog.update_entity(uow, po, "items", 1, {"status": "in_progress"}, at=AT)
    changes = uow.status_changes.find()
    assert [(c.from_status, c.to_status) for c in changes] == [(None, "todo"),
                                                               ("todo", "in_progress")]


def test_a_viewer_cannot_create_and_nothing_changes(uow):
    before = uow.items.count()
    with pytest.raises(Forbidden):
        catalog.create_entity(uow, actor(Role.VIEWER), "items",
                              {"art_id": 1, "level": "feature", "key": "F-1", "title": "x"}, at=AT)
    assert uow.items.count() == before


def test_only_business_owners_set_planned_business_value(uow):
    po, bo = actor(Role.PRODUCT_OWNER), actor(Role.BUSINESS_OWNER)
    objective = catalog.create_entity(uow, po, "objectives",
                                      {"pi_id": 1, "team_id": 1, "text": "Pay by link"}, at=AT)
    with pytest.raises(Forbidden):
        catalog.update_entity(uow, po, "objectives", objective.id, {"planned_bv": 8}, at=AT)
    assert uow.objectives.get(objective.id).planned_bv is None
    catalog.update_entity(uow, bo, "objectives", objective.id, {"planned_bv": 8}, at=AT)
    assert uow.objectives.get(objective.id).planned_bv == 8


def test_a_team_member_cannot_slip_business_value_into_a_new_objective(uow):
    with pytest.raises(Forbidden):
        catalog.create_entity(uow, actor(Role.TEAM_MEMBER), "objectives",
                              {"pi_id": 1, "text": "x", "planned_bv": 10}, at=AT)
    assert uow.objectives.count() == 0


def test_a_feature_moves_on_the_kanban_and_is_planned_through_their_own_actions(uow):
    po = actor(Role.PRODUCT_OWNER)
    catalog.create_entity(uow, po, "items", {"art_id": 1, "level": "feature", "key": "F-1",
                                             "title": "x", "pi_id": 1}, at=AT)
    with pytest.raises(Invalid, match="Kanban"):
        catalog.update_entity(uow, po, "items", 1, {"status": "implementing"}, at=AT)
    with pytest.raises(Invalid, match="plan"):
        catalog.update_entity(uow, po, "items", 1, {"iteration_id": 2}, at=AT)
    assert (uow.items.get(1).status, uow.items.get(1).iteration_id) == ("funnel", None)


def test_an_invalid_update_changes_nothing(uow):
    po = actor(Role.PRODUCT_OWNER)
    catalog.create_entity(uow, po, "items", {"art_id": 1, "level": "story", "key": "S-1",
                                             "title": "x", "points": 3}, at=AT)
    with pytest.raises(Invalid) as err:
        catalog.update_entity(uow, po, "items", 1, {"points": -2, "title": "y"}, at=AT)
    assert err.value.field == "points"
    assert (uow.items.get(1).points, uow.items.get(1).title) == (3, "x")


def test_a_reference_to_nothing_names_the_field(uow):
    with pytest.raises(Invalid) as err:
        catalog.create_entity(uow, SYSTEM, "teams", {"art_id": 42, "name": "Falcon"}, at=AT)
    assert err.value.field == "art_id"


def test_an_item_cannot_use_an_iteration_of_another_pi(uow):
    catalog.create_entity(uow, SYSTEM, "pis", {"art_id": 1, "name": "PI 2",
                                               "start_date": date(2027, 1, 11)}, at=AT)
    other_pi_iteration = uow.iterations.first(pi_id=2).id
    with pytest.raises(Invalid, match="another PI"):
        catalog.create_entity(uow, SYSTEM, "items", {
            "art_id": 1, "level": "feature", "key": "F-9", "title": "x", "pi_id": 1,
            "iteration_id": other_pi_iteration}, at=AT)
    assert uow.items.count() == 0


def test_roam_state_changes_only_through_its_own_action(uow):
    risk = catalog.create_entity(uow, SYSTEM, "risks", {"art_id": 1, "title": "Vendor"}, at=AT)
    with pytest.raises(Invalid, match="own action"):
        catalog.update_entity(uow, SYSTEM, "risks", risk.id, {"roam": "accepted"}, at=AT)


def test_missing_entities_are_not_found(uow):
    with pytest.raises(NotFound, match="work item 77"):
        catalog.get_entity(uow, SYSTEM, "items", 77)


def test_lists_hide_arts_the_actor_cannot_see(uow):
    catalog.create_entity(uow, SYSTEM, "arts", {"name": "Wallet ART", "key": "wal"}, at=AT)
    seen = catalog.list_entities(uow, actor(Role.VIEWER, art_id=2), "arts")
    assert [a.key for a in seen] == ["WAL"]
