import pytest

from tests.factories import AT, actor
from trainmaster.domain.access import Role
from trainmaster.domain.dependency import Agreement
from trainmaster.domain.errors import Forbidden, Invalid
from trainmaster.services import agreements, board

PO = actor(Role.PRODUCT_OWNER)


@pytest.fixture
def asked(train):
    train.feature("PAYAPI", "Falcon")
    train.feature("WALLET", "Kestrel", "I2")
    dep = agreements.request_dependency(
        train.uow, PO, train.items["WALLET"], train.items["PAYAPI"],
        needed_by_iteration_id=train.iterations["I2"], description="payments API v2", at=AT)
    train.dep = dep.id
    return train


def test_a_request_waits_for_the_providing_teams_answer(asked):
    model = board.show_board(asked.uow, actor(Role.VIEWER), asked.pi)
    assert [s.label for s in model.waiting] == ["WALLET needs PAYAPI"]
    record = agreements.show_dependency(asked.uow, PO, asked.dep)
    assert [e.agreement for e in record.history] == [Agreement.REQUESTED]


def test_a_counter_offer_plans_the_provider_and_the_string_turns_late(asked):
    agreements.answer_dependency(asked.uow, PO, asked.dep, "countered",
                                 iteration_id=asked.iterations["I3"], note="I3 at best", at=AT)
    provider = asked.uow.items.get(asked.items["PAYAPI"])
    assert provider.iteration_id == asked.iterations["I3"]
    model = board.show_board(asked.uow, actor(Role.VIEWER), asked.pi)
    (string,) = model.strings
    assert (string.state.value, string.agreement, string.offered) == ("late", "countered", "I3")
    assert string.decision and not model.waiting
    history = agreements.show_dependency(asked.uow, PO, asked.dep).history
    assert [(e.agreement.value, e.note) for e in history] == [
        ("requested", ""), ("countered", "I3 at best")]


def test_accepting_without_an_iteration_delivers_by_the_iteration_asked_for(asked):
    agreements.answer_dependency(asked.uow, PO, asked.dep, "accepted", at=AT)
    assert asked.uow.items.get(asked.items["PAYAPI"]).iteration_id == asked.iterations["I2"]


def test_accepting_keeps_an_earlier_planned_provider_where_it_is(asked):
    board.plan_item(asked.uow, PO, asked.items["PAYAPI"], asked.iterations["I1"], at=AT)
    agreements.answer_dependency(asked.uow, PO, asked.dep, "accepted", at=AT)
    assert asked.uow.items.get(asked.items["PAYAPI"]).iteration_id == asked.iterations["I1"]


def test_a_decline_says_why_and_a_counter_names_an_iteration(asked):
    with pytest.raises(Invalid) as err:
        agreements.answer_dependency(asked.uow, PO, asked.dep, "declined", at=AT)
    assert err.value.field == "note"
    with pytest.raises(Invalid) as err:
        agreements.answer_dependency(asked.uow, PO, asked.dep, "countered", at=AT)
    assert err.value.field == "iteration_id"
    with pytest.raises(Invalid) as err:
        agreements.answer_dependency(asked.uow, PO, asked.dep, "maybe", at=AT)
    assert err.value.field == "answer"


def test_a_business_owner_cannot_answer_for_a_team(asked):
    with pytest.raises(Forbidden):
        agreements.answer_dependency(asked.uow, actor(Role.BUSINESS_OWNER), asked.dep,
                                     "accepted", at=AT)


def test_asking_again_after_a_decline_reopens_the_request(asked):
    agreements.answer_dependency(asked.uow, PO, asked.dep, "declined", note="no people",
                                 at=AT)
    agreements.request_dependency(asked.uow, PO, asked.items["WALLET"], asked.items["PAYAPI"],
                                  note="can you do I4?", at=AT)
    dep = asked.uow.dependencies.get(asked.dep)
    assert dep.agreement is Agreement.REQUESTED and asked.uow.dependencies.count() == 1
