from dataclasses import replace
from datetime import date

import pytest

from tests.factories import actor
from tests.unit.execution.conftest import AT
from trainmaster.domain.access import Role
from trainmaster.domain.action import ActionStatus
from trainmaster.domain.errors import Forbidden, Invalid, NotFound
from trainmaster.services import actions, syncs

RTE = actor(Role.RTE, user_id=1)


def test_overdue_items_are_open_items_past_their_due_date_in_the_arts_zone(uow):
    views = actions.list_actions(uow, RTE, 1, at=AT, overdue_only=True)
    assert [v.action.title for v in views] == ["Book the demo room"]


def test_an_owners_page_lists_overdue_then_open_then_closed(uow):
    old = actions.add_action(uow, RTE, 1, "Old item", owner_id=1, at=AT)
    actions.close_action(uow, RTE, old.id)
    mine = actions.person_actions(uow, RTE, 1, at=AT)
    assert [v.action.title for v in mine.overdue] == ["Book the demo room"]
    assert [v.action.title for v in mine.open] == ["Send the minutes"]
    assert [v.action.title for v in mine.closed] == ["Old item"]


def test_my_actions_need_a_login_linked_to_a_person(uow):
    tess = replace(actor(Role.TEAM_MEMBER, user_id=6), person_id=1)
    assert [v.action.title for v in actions.my_actions(uow, tess, at=AT).overdue] == [
        "Book the demo room"]
    with pytest.raises(NotFound, match="not linked"):
        actions.my_actions(uow, actor(Role.TEAM_MEMBER), at=AT)


def test_owners_close_their_own_items_others_need_the_right(uow):
    tess = replace(actor(Role.TEAM_MEMBER, user_id=6), person_id=1)
    assert actions.close_action(uow, tess, 1).status is ActionStatus.DONE
    other = replace(actor(Role.TEAM_MEMBER, user_id=7), person_id=2)
    with pytest.raises(Forbidden):
        actions.close_action(uow, other, 2)


def test_an_action_items_source_names_the_meeting_it_came_from(uow):
    meeting = syncs.start_sync(uow, RTE, 1, at=AT)
    actions.add_action(uow, RTE, 1, "Follow up", source=f"meeting:{meeting.id}",
                       due=date(2026, 12, 1), at=AT)
    view = next(v for v in actions.list_actions(uow, RTE, 1, at=AT)
                if v.action.title == "Follow up")
    assert (view.source_label, view.source_url) == ("ART Sync 2026-11-24",
                                                    f"/syncs/{meeting.id}")


def test_an_unknown_owner_is_refused(uow):
    with pytest.raises(Invalid):
        actions.add_action(uow, RTE, 1, "x", owner_id=99, at=AT)
