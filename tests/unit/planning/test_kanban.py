import pytest

from tests.factories import AT, actor
from trainmaster.domain.access import Role
from trainmaster.domain.errors import Conflict, Forbidden, Invalid
from trainmaster.services import kanban

PO, RTE = actor(Role.PRODUCT_OWNER, user_id=5), actor(Role.RTE, user_id=1)


@pytest.fixture
def full(train):
    art = train.uow.arts.get(train.art)
    art.wip_analyzing = 2
    train.uow.commit()
    for key in ("A-1", "A-2"):
        train.feature(key, "Falcon", status="analyzing")
    train.feature("F-3", "Falcon")
    return train


def test_a_move_over_the_wip_limit_is_refused_with_a_clear_message(full):
    with pytest.raises(Conflict, match="analyzing is at its WIP limit of 2"):
        kanban.move_feature(full.uow, PO, full.items["F-3"], "analyzing", at=AT)
    assert full.uow.items.get(full.items["F-3"]).status == "funnel"


def test_only_the_rte_may_override_the_limit(full):
    with pytest.raises(Forbidden):
        kanban.move_feature(full.uow, PO, full.items["F-3"], "analyzing", override=True, at=AT)


def test_an_override_is_recorded_with_who_when_and_which_move(full):
    result = kanban.move_feature(full.uow, RTE, full.items["F-3"], "analyzing", override=True,
                                 reason="regulatory deadline", at=AT)
    (record,) = full.uow.wip_overrides.find()
    assert (record.item_id, record.from_status, record.to_status, record.limit,
            record.count_before, record.by_user_id, record.at, record.reason) == (
        full.items["F-3"], "funnel", "analyzing", 2, 2, 1, AT, "regulatory deadline")
    assert result.override == record
    board = kanban.kanban_board(full.uow, actor(Role.VIEWER), full.art)
    analyzing = next(c for c in board.columns if c.state.value == "analyzing")
    assert len(analyzing.items) == 3 and analyzing.over_limit


def test_every_move_records_a_status_change(full):
    kanban.move_feature(full.uow, PO, full.items["F-3"], "backlog", at=AT)
    changes = full.uow.status_changes.find(item_id=full.items["F-3"])
    assert [(c.from_status, c.to_status) for c in changes] == [(None, "funnel"),
                                                               ("funnel", "backlog")]


def test_states_without_a_limit_take_any_number(full):
    for key in ("A-1", "A-2"):
        kanban.move_feature(full.uow, PO, full.items[key], "backlog", at=AT)
    assert full.uow.wip_overrides.count() == 0


def test_unknown_states_and_stories_are_refused(full):
    with pytest.raises(Invalid) as err:
        kanban.move_feature(full.uow, PO, full.items["F-3"], "shipping", at=AT)
    assert err.value.field == "status"
    story = full.story("S-1", "Falcon", None, 3)
    with pytest.raises(Invalid, match="only features"):
        kanban.move_feature(full.uow, PO, story, "analyzing", at=AT)
