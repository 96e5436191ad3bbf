from datetime import timedelta

import pytest

from tests.conftest import NOW
from tests.unit.learning.conftest import actor
from trainmaster.domain.access import Role
from trainmaster.domain.errors import Conflict, Forbidden, Invalid
from trainmaster.domain.learning import DecisionStatus, ModelKind
from trainmaster.services import triage

PO, VIEWER = actor(Role.PRODUCT_OWNER), actor(Role.VIEWER)


def _queue(uow):
    triage.refresh_triage(uow, PO, 1, at=NOW)
    return triage.triage_queue(uow, PO, 1)


def _first(uow, field):
    return next(s for e in _queue(uow) for s in e.suggestions if s.field == field)


def test_items_without_points_get_an_estimate_with_a_range_and_reasons(uow):
    s = _first(uow, "points")
    assert s.low <= float(s.value) <= s.high or s.low <= s.high
    assert s.reasons and all("text" in r for r in s.reasons)
    assert uow.items.get(s.item_id).points is None


def test_accepting_writes_the_value_to_the_item_and_keeps_the_decision(uow):
    s = _first(uow, "points")
    decided = triage.decide_suggestion(uow, PO, s.id, "accept", at=NOW)
    assert decided.status is DecisionStatus.ACCEPTED and decided.decided_by == PO.user_id
    assert uow.items.get(s.item_id).points == float(s.value)


def test_an_edit_keeps_the_persons_value(uow):
    s = _first(uow, "points")
    triage.decide_suggestion(uow, PO, s.id, "edit", value="13", at=NOW)
    assert uow.items.get(s.item_id).points == 13.0
    assert uow.triage_suggestions.get(s.id).decided_value == "13"


def test_a_rejected_value_is_not_proposed_again(uow):
    s = _first(uow, "points")
    triage.decide_suggestion(uow, PO, s.id, "reject", at=NOW)
    assert uow.items.get(s.item_id).points is None
    again = [x for e in _queue(uow) for x in e.suggestions
             if (x.item_id, x.field, x.value) == (s.item_id, s.field, s.value)]
    assert again == []
    with pytest.raises(Conflict):
        triage.decide_suggestion(uow, PO, s.id, "accept", at=NOW)


def test_a_viewer_sees_the_queue_but_cannot_decide(uow):
    s = _first(uow, "points")
    assert triage.triage_queue(uow, VIEWER, 1)
    with pytest.raises(Forbidden):
        triage.decide_suggestion(uow, VIEWER, s.id, "accept", at=NOW)


def test_an_edit_without_a_valid_value_is_refused(uow):
    s = _first(uow, "points")
    with pytest.raises(Invalid):
        triage.decide_suggestion(uow, PO, s.id, "edit", value="", at=NOW)
    with pytest.raises(Invalid):
        triage.decide_suggestion(uow, PO, s.id, "edit", value="lots", at=NOW)


def test_retraining_learns_from_decisions_and_bumps_the_version(uow):
    s = _first(uow, "points")
    triage.decide_suggestion(uow, PO, s.id, "edit", value="8", at=NOW)
    stored = triage.retrain_triage(uow, PO, 1, at=NOW)
    assert stored.version == 2 and stored.metrics["decisions"] == 1


def test_a_due_schedule_queues_one_retraining_job(uow):
    triage.set_retrain_schedule(uow, actor(Role.RTE), 1, "triage", 6)
    first = triage.enqueue_due_retrains(uow, at=NOW)
    assert [j.kind for j in first] == ["retrain_triage"]
    assert triage.enqueue_due_retrains(uow, at=NOW + timedelta(hours=5)) == []
    assert len(triage.enqueue_due_retrains(uow, at=NOW + timedelta(hours=6))) == 1


def test_a_schedule_can_be_switched_off(uow):
    triage.set_retrain_schedule(uow, actor(Role.RTE), 1, ModelKind.RISK.value, 24)
    triage.set_retrain_schedule(uow, actor(Role.RTE), 1, "risk", None)
    assert triage.enqueue_due_retrains(uow, at=NOW) == []
    with pytest.raises(Invalid):
        triage.set_retrain_schedule(uow, actor(Role.RTE), 1, "weather", 1)
