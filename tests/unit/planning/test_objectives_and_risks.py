from datetime import date

import pytest

from tests.factories import AT, actor
from trainmaster.domain.access import Role
from trainmaster.domain.errors import Forbidden, Invalid
from trainmaster.domain.risk import Roam
from trainmaster.services import objectives, risks

TEAM, BO, RTE = actor(Role.TEAM_MEMBER), actor(Role.BUSINESS_OWNER), actor(Role.RTE, user_id=1)


def test_teams_write_objectives_and_only_business_owners_set_business_value(train):
    kestrel = train.teams["Kestrel"]
    first = objectives.write_objective(train.uow, TEAM, train.pi, "Wallet live",
                                       team_id=kestrel, at=AT)
    objectives.write_objective(train.uow, TEAM, train.pi, "Apple Pay spike", team_id=kestrel,
                               committed=False, at=AT)
    with pytest.raises(Forbidden):
        objectives.set_business_value(train.uow, RTE, first.id, planned=8)
    with pytest.raises(Invalid) as err:
        objectives.set_business_value(train.uow, BO, first.id, planned=11)
    assert err.value.field == "planned_bv"
    objectives.set_business_value(train.uow, BO, first.id, planned=8)
    view = objectives.program_objectives(train.uow, actor(Role.VIEWER), train.pi)
    row = next(t for t in view.teams if t.team and t.team.name == "Kestrel")
    assert ([o.text for o in row.committed], [o.text for o in row.uncommitted]) == (
        ["Wallet live"], ["Apple Pay spike"])
    assert (view.committed, view.uncommitted, view.planned_bv, row.missing_bv) == (1, 1, 8, 1)


def test_the_rte_publishes_the_program_objectives(train):
    objectives.write_objective(train.uow, TEAM, train.pi, "Wallet live",
                               team_id=train.teams["Kestrel"], at=AT)
    with pytest.raises(Forbidden):
        objectives.publish_objectives(train.uow, TEAM, train.pi, at=AT)
    published = objectives.publish_objectives(train.uow, RTE, train.pi, at=AT)
    assert (published.committed, published.uncommitted, published.by_user_id) == (1, 0, 1)
    view = objectives.program_objectives(train.uow, RTE, train.pi)
    assert view.last_published.published_at == AT


def test_publishing_nothing_is_refused(train):
    with pytest.raises(Invalid, match="no PI objectives"):
        objectives.publish_objectives(train.uow, RTE, train.pi, at=AT)


@pytest.fixture
def risk(train):
    owner = train.add("people", {"name": "Nora Owner"})
    made = train.add("risks", {"art_id": train.art, "title": "Vendor API late",
                               "pi_id": train.pi, "due": date(2026, 11, 20)})
    return made.id, owner.id


def test_owning_a_risk_needs_an_owner_and_the_move_is_recorded(train, risk):
    risk_id, owner = risk
    with pytest.raises(Invalid) as err:
        risks.roam_risk(train.uow, RTE, risk_id, "owned", at=AT)
    assert err.value.field == "owner_id"
    change = risks.roam_risk(train.uow, RTE, risk_id, "owned", owner_id=owner,
                             note="Nora chases the vendor", at=AT)
    assert (change.from_roam, change.to_roam, change.by_user_id, change.at) == (
        Roam.UNROAMED, Roam.OWNED, 1, AT)
    board = risks.roam_board(train.uow, RTE, train.art, today=date(2026, 11, 24))
    (card,) = board.columns[Roam.OWNED]
    assert card.owner.name == "Nora Owner" and card.overdue and len(card.history) == 1


def test_unroamed_risks_are_listed_and_resolved_ones_are_never_overdue(train, risk):
    board = risks.roam_board(train.uow, RTE, train.art, today=date(2026, 11, 24))
    assert [c.risk.title for c in board.unroamed] == ["Vendor API late"]
    risks.roam_risk(train.uow, RTE, risk[0], "resolved", at=AT)
    board = risks.roam_board(train.uow, RTE, train.art, today=date(2026, 11, 24))
    assert board.unroamed == [] and board.overdue == []


def test_a_viewer_cannot_roam_and_unknown_columns_are_refused(train, risk):
    with pytest.raises(Forbidden):
        risks.roam_risk(train.uow, actor(Role.VIEWER), risk[0], "accepted", at=AT)
    with pytest.raises(Invalid) as err:
        risks.roam_risk(train.uow, RTE, risk[0], "ignored", at=AT)
    assert err.value.field == "roam"
