"""The confidence vote under concurrent writers (several web workers on PostgreSQL)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.e2e.conftest import seed_train
from tests.factories import AT
from trainmaster.domain.access import SYSTEM, User
from trainmaster.domain.errors import Conflict
from trainmaster.services import votes


@pytest.fixture
def voting(tm, request):
    if tm.backend != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite has a single writer anyway")
    train = seed_train(tm)
    with tm.uow() as uow:
        users = [uow.users.add(User(username=f"voter{n}", password_hash="-", created_at=AT)).id
                 for n in range(8)]
        uow.commit()
    votes.open_vote(tm.uow(), SYSTEM, train["pi"], at=AT)
    return train, users


def _together(jobs):
    """Run the jobs at the same instant on as many threads; return their errors."""
    start = threading.Barrier(len(jobs))
    errors = []

    def run(job):
        start.wait()
        try:
            job()
        except Conflict as exc:
            errors.append(exc)
    with ThreadPoolExecutor(len(jobs)) as pool:
        list(pool.map(run, jobs))
    return errors


def test_concurrent_revotes_keep_one_vote_per_attendee_and_scope(tm, voting):
    train, users = voting

    def cast(voter, value):
        return lambda: votes.cast_vote(tm.uow(), SYSTEM, train["pi"], "art", value,
                                       voter_id=voter, at=AT)
    errors = _together([cast(v, value) for v in users for value in (3, 4, 5)])
    assert errors == []
    status = votes.vote_status(tm.uow(), SYSTEM, train["pi"])
    stored = status.current.votes
    assert sorted(v.voter_id for v in stored) == sorted(users)
    assert {v.value for v in stored} <= {3, 4, 5}


def test_no_vote_lands_in_a_round_closed_at_the_same_moment(tm, voting):
    train, users = voting
    votes.cast_vote(tm.uow(), SYSTEM, train["pi"], "art", 3, voter_id=users[0], at=AT)

    def cast(voter):
        return lambda: votes.cast_vote(tm.uow(), SYSTEM, train["pi"], "art", 5,
                                       voter_id=voter, at=AT)
    closing = [lambda: votes.close_vote(tm.uow(), SYSTEM, train["pi"], at=AT)]
    refused = _together(closing + [cast(v) for v in users[1:]])
    status = votes.vote_status(tm.uow(), SYSTEM, train["pi"])
    (closed,) = status.rounds
    assert closed.round.status.value == "committed"
    # every cast either landed before the close (and counts in the mean it stored) or was
    # refused: no vote slipped into the closed round
    assert len(closed.votes) + len(refused) == len(users)
    stored_mean = sum(v.value for v in closed.votes) / len(closed.votes)
    assert closed.round.art_mean == round(stored_mean, 2)
