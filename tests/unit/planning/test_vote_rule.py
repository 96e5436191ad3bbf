import pytest

from trainmaster.analytics.vote import tally
from trainmaster.domain.errors import Invalid
from trainmaster.domain.vote import Vote


def votes(scope, *values, reason="too many unknowns"):
    return [Vote(round_id=1, voter_id=n, scope=scope, value=v,
                 reason=reason if v <= 2 else "") for n, v in enumerate(values, start=1)]


def test_the_art_commits_when_its_mean_is_three_or_more_and_no_team_is_below_three():
    outcome = tally(votes("art", 3, 4, 2) + votes("team:1", 3, 3) + votes("team:2", 5, 1),
                    [1, 2])
    assert outcome.art.mean == 3.0
    assert outcome.commits and outcome.reasons == ()


def test_one_team_below_three_fails_the_vote_even_with_a_high_art_mean():
    outcome = tally(votes("art", 5, 5, 4) + votes("team:1", 4) + votes("team:2", 2, 3),
                    [1, 2], {2: "Osprey"})
    assert not outcome.commits
    assert outcome.reasons == ("team Osprey mean 2.50 is below 3",)


def test_an_art_mean_below_three_fails_the_vote():
    outcome = tally(votes("art", 2, 3, 3), [])
    assert outcome.art.mean == 2.67 and not outcome.commits


def test_every_one_or_two_is_heard_with_its_reason():
    outcome = tally(votes("art", 1, 4, 5, reason="no test environment"), [])
    assert outcome.art.heard == ((1, 1, "no test environment"),)
    assert outcome.art.histogram == (1, 0, 0, 1, 1)


def test_a_one_or_two_without_a_reason_is_refused():
    with pytest.raises(Invalid) as err:
        Vote(round_id=1, voter_id=1, scope="art", value=2)
    assert err.value.field == "reason"


@pytest.mark.parametrize("value", [0, 6])
def test_a_vote_is_one_to_five(value):
    with pytest.raises(Invalid) as err:
        Vote(round_id=1, voter_id=1, scope="art", value=value, reason="x")
    assert err.value.field == "value"


def test_without_art_votes_the_art_cannot_commit():
    outcome = tally(votes("team:1", 5), [1])
    assert not outcome.commits and outcome.reasons == ("no ART votes yet",)


def test_a_team_without_votes_does_not_block_the_commitment():
    outcome = tally(votes("art", 4), [1, 2])
    assert outcome.commits and outcome.teams[2].mean is None
