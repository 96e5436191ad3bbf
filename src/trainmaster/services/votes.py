"""The PI confidence vote: the RTE opens a round, attendees vote, the RTE closes it.

Closing applies the rule (analytics.vote). When the ART commits, the plan is frozen as the
PI's baseline in the same transaction; when it does not, the round is kept as failed and a
rework round opens. Concurrency with several web workers: casting and closing lock the
round's row (SELECT … FOR UPDATE on PostgreSQL), so no vote lands in a closed round, and a
unique constraint keeps one vote per attendee, scope and round (a re-vote replaces it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from trainmaster.analytics.vote import VoteOutcome, tally
from trainmaster.domain.access import Actor, Permission
from trainmaster.domain.art import Team
from trainmaster.domain.errors import Conflict, Invalid, NotFound
from trainmaster.domain.pi import Pi
from trainmaster.domain.vote import RoundStatus, Vote, VoteRound, scope_team
from trainmaster.services.baseline import freeze_baseline
from trainmaster.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class RoundResult:
    round: VoteRound
    outcome: VoteOutcome
    votes: list[Vote]


@dataclass(frozen=True)
class VoteStatus:
    pi: Pi
    teams: list[Team]
    rounds: list[RoundResult]           # oldest first

    @property
    def current(self) -> RoundResult | None:
        return self.rounds[-1] if self.rounds else None

    @property
    def committed(self) -> bool:
        return any(r.round.status is RoundStatus.COMMITTED for r in self.rounds)


def _teams(uow: UnitOfWork, pi: Pi) -> list[Team]:
    return uow.teams.find(art_id=pi.art_id, order_by="name")


def _open_round(uow: UnitOfWork, pi_id: int) -> VoteRound:
    rounds = uow.vote_rounds.find(pi_id=pi_id, order_by="number")
    if not rounds or not rounds[-1].is_open:
        raise Conflict("no confidence vote is open for this PI")
    return rounds[-1]


def open_vote(uow: UnitOfWork, actor: Actor, pi_id: int, *, at: datetime) -> VoteRound:
    """The RTE opens the confidence vote (the next round after a failed one)."""
    with uow:
        pi = uow.lock(Pi, pi_id)
        actor.require(Permission.RUN_VOTE, pi.art_id)
        rounds = uow.vote_rounds.find(pi_id=pi_id, order_by="number")
        if rounds and rounds[-1].is_open:
            raise Conflict(f"round {rounds[-1].number} of the vote is already open")
        if any(r.status is RoundStatus.COMMITTED for r in rounds):
            raise Conflict("the ART has already committed to this PI's plan")
        opened = uow.vote_rounds.add(VoteRound(pi_id=pi_id, number=len(rounds) + 1,
                                               opened_at=at, opened_by=actor.user_id))
        uow.commit()
        return opened


def cast_vote(uow: UnitOfWork, actor: Actor, pi_id: int, scope: str, value: int, *,
              reason: str = "", voter_id: int | None = None, at: datetime) -> Vote:
    """An attendee votes 1–5 for the ART ('art') or a team ('team:<id>'); a re-vote replaces."""
    with uow:
        pi = uow.pis.get(pi_id)
        actor.require(Permission.CAST_VOTE, pi.art_id)
        voter = _voter(uow, actor, voter_id)
        team_id = scope_team(scope)
        if team_id is not None and uow.teams.get(team_id).art_id != pi.art_id:
            raise Invalid("the team belongs to another ART", field="scope")
        current = uow.lock(VoteRound, _open_round(uow, pi_id).id or 0)
        if not current.is_open:
            raise Conflict("the vote closed before this vote arrived")
        vote = Vote(round_id=current.id or 0, voter_id=voter, scope=scope, value=value,
                    reason=reason, at=at)
        earlier = uow.votes.first(round_id=current.id, voter_id=voter, scope=scope)
        if earlier is None:
            uow.votes.add(vote)
        else:
            earlier.value, earlier.reason, earlier.at = vote.value, vote.reason, at
            vote = earlier
        uow.commit()
        return vote


def _voter(uow: UnitOfWork, actor: Actor, voter_id: int | None) -> int:
    """The actor votes for themself; an administrator may record another attendee's vote."""
    if voter_id is None or voter_id == actor.user_id:
        if actor.user_id is None:
            raise Invalid("name the attendee who votes", field="voter_id")
        return actor.user_id
    if not actor.is_admin:
        raise Invalid("attendees cast their own votes", field="voter_id")
    uow.users.get(voter_id)
    return voter_id


def close_vote(uow: UnitOfWork, actor: Actor, pi_id: int, *, at: datetime) -> RoundResult:
    """The RTE closes the round: commit (and freeze the baseline) or open a rework round."""
    with uow:
        pi = uow.pis.get(pi_id)
        actor.require(Permission.RUN_VOTE, pi.art_id)
        current = uow.lock(VoteRound, _open_round(uow, pi_id).id or 0)
        if not current.is_open:
            raise Conflict("the vote is already closed")
        teams = _teams(uow, pi)
        votes = uow.votes.find(round_id=current.id)
        outcome = tally(votes, [t.id or 0 for t in teams], {t.id or 0: t.name for t in teams})
        if outcome.art.count == 0:
            raise Conflict("nobody has voted for the ART yet")
        current.close(commits=outcome.commits, art_mean=outcome.art.mean, at=at,
                      by_user_id=actor.user_id)
        if outcome.commits:
            freeze_baseline(uow, actor, pi_id, round_id=current.id, at=at)
        else:
            uow.vote_rounds.add(VoteRound(pi_id=pi_id, number=current.number + 1,
                                          opened_at=at, opened_by=actor.user_id))
        uow.commit()
        return RoundResult(current, outcome, votes)


def vote_status(uow: UnitOfWork, actor: Actor, pi_id: int) -> VoteStatus:
    """Every round of the PI's confidence vote with its tally."""
    with uow:
        pi = uow.pis.get(pi_id)
        actor.require(Permission.VIEW, pi.art_id)
        teams = _teams(uow, pi)
        ids, names = [t.id or 0 for t in teams], {t.id or 0: t.name for t in teams}
        results = []
        for r in uow.vote_rounds.find(pi_id=pi_id, order_by="number"):
            votes = uow.votes.find(round_id=r.id)
            results.append(RoundResult(r, tally(votes, ids, names), votes))
        return VoteStatus(pi, teams, results)


def find_voter(uow: UnitOfWork, actor: Actor, username: str) -> int:
    """The user id of an attendee, by username."""
    with uow:
        user = uow.users.first(username=username.strip().lower())
    if user is None or user.id is None:
        raise NotFound(f"no user {username!r}")
    return user.id
