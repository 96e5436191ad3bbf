import pytest

from tests.factories import AT, actor
from trainmaster.domain.access import Role
from trainmaster.domain.errors import Conflict, Forbidden, Invalid
from trainmaster.domain.vote import RoundStatus
from trainmaster.services import baseline, board, votes

RTE = actor(Role.RTE, user_id=1)


def voter(n):
    return actor(Role.TEAM_MEMBER, user_id=10 + n)


@pytest.fixture
def voting(train):
    train.feature("F-1", "Falcon", "I1")
    votes.open_vote(train.uow, RTE, train.pi, at=AT)
    return train


def test_only_the_rte_opens_and_closes_the_vote(train):
    with pytest.raises(Forbidden):
        votes.open_vote(train.uow, voter(1), train.pi, at=AT)


def test_a_revote_replaces_the_earlier_vote(voting):
    votes.cast_vote(voting.uow, voter(1), voting.pi, "art", 2, reason="unclear scope", at=AT)
    votes.cast_vote(voting.uow, voter(1), voting.pi, "art", 4, at=AT)
    status = votes.vote_status(voting.uow, RTE, voting.pi)
    assert [(v.voter_id, v.value) for v in status.current.votes] == [(11, 4)]


def test_a_low_vote_needs_its_reason(voting):
    with pytest.raises(Invalid) as err:
        votes.cast_vote(voting.uow, voter(1), voting.pi, "art", 1, at=AT)
    assert err.value.field == "reason"


def test_a_failed_vote_opens_a_rework_round_then_a_commitment_freezes_the_baseline(voting):
    osprey = f"team:{voting.teams['Osprey']}"
    votes.cast_vote(voting.uow, voter(1), voting.pi, "art", 4, at=AT)
    votes.cast_vote(voting.uow, voter(2), voting.pi, osprey, 2, reason="no tester", at=AT)
    first = votes.close_vote(voting.uow, RTE, voting.pi, at=AT)
    assert first.round.status is RoundStatus.FAILED
    assert first.outcome.reasons == ("team Osprey mean 2.00 is below 3",)
    assert baseline.baseline_changes(voting.uow, RTE, voting.pi).baseline is None

    votes.cast_vote(voting.uow, voter(1), voting.pi, "art", 4, at=AT)
    votes.cast_vote(voting.uow, voter(2), voting.pi, osprey, 3, at=AT)
    second = votes.close_vote(voting.uow, RTE, voting.pi, at=AT)
    assert (second.round.number, second.round.status) == (2, RoundStatus.COMMITTED)
    status = votes.vote_status(voting.uow, RTE, voting.pi)
    assert [r.round.status.value for r in status.rounds] == ["failed", "committed"]
    assert status.rounds[0].outcome.teams[voting.teams["Osprey"]].heard == (
        (12, 2, "no tester"),)
    view = baseline.baseline_changes(voting.uow, RTE, voting.pi)
    assert view.baseline is not None and view.changes == []


def test_changes_since_the_baseline_show_scope_added_and_moved(voting):
    votes.cast_vote(voting.uow, voter(1), voting.pi, "art", 5, at=AT)
    votes.close_vote(voting.uow, RTE, voting.pi, at=AT)
    board.plan_item(voting.uow, RTE, voting.items["F-1"], voting.iterations["I2"], at=AT)
    voting.feature("F-2", "Kestrel", "I3")
    changes = baseline.baseline_changes(voting.uow, RTE, voting.pi).changes
    assert {(c.kind.value, c.label.split()[0], c.before, c.after) for c in changes} == {
        ("moved", "F-1", "Falcon · I1", "Falcon · I2"), ("added", "F-2", "", "Kestrel · I3")}
    model = board.show_board(voting.uow, RTE, voting.pi)
    assert {c.key: c.change for c in model.cards} == {"F-1": "moved", "F-2": "added"}


def test_no_vote_lands_in_a_closed_round_and_a_committed_pi_opens_no_new_vote(voting):
    votes.cast_vote(voting.uow, voter(1), voting.pi, "art", 5, at=AT)
    votes.close_vote(voting.uow, RTE, voting.pi, at=AT)
    with pytest.raises(Conflict, match="no confidence vote is open"):
        votes.cast_vote(voting.uow, voter(2), voting.pi, "art", 3, at=AT)
    with pytest.raises(Conflict, match="already committed"):
        votes.open_vote(voting.uow, RTE, voting.pi, at=AT)


def test_closing_without_art_votes_is_refused(voting):
    with pytest.raises(Conflict, match="nobody has voted"):
        votes.close_vote(voting.uow, RTE, voting.pi, at=AT)
