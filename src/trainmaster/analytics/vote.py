"""The confidence vote rule (DOMAIN.md, fist of five).

The ART commits when the mean of the ART votes is >= 3 and no team's mean is < 3. Every 1
or 2 must be heard: the domain refuses such a vote without its reason, and the tally lists
them. A scope without votes has no mean; the ART needs at least one ART vote to commit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from trainmaster.domain.vote import ART_SCOPE, Vote, team_scope

THRESHOLD = 3.0


@dataclass(frozen=True)
class ScopeTally:
    scope: str
    count: int
    mean: float | None
    histogram: tuple[int, int, int, int, int]     # how many 1s … 5s
    heard: tuple[tuple[int, int, str], ...]       # (voter id, value, reason) of the 1s and 2s

    @property
    def below(self) -> bool:
        return self.mean is not None and self.mean < THRESHOLD


@dataclass(frozen=True)
class VoteOutcome:
    art: ScopeTally
    teams: dict[int, ScopeTally]
    commits: bool
    reasons: tuple[str, ...]                     # why the ART does not commit


def _tally(scope: str, votes: Sequence[Vote]) -> ScopeTally:
    hist = [0] * 5
    for v in votes:
        hist[v.value - 1] += 1
    mean = sum(v.value for v in votes) / len(votes) if votes else None
    heard = tuple((v.voter_id, v.value, v.reason) for v in votes if v.value <= 2)
    return ScopeTally(scope, len(votes), None if mean is None else round(mean, 2),
                      (hist[0], hist[1], hist[2], hist[3], hist[4]), heard)


def tally(votes: Iterable[Vote], team_ids: Sequence[int],
          team_names: dict[int, str] | None = None) -> VoteOutcome:
    by_scope: dict[str, list[Vote]] = defaultdict(list)
    for v in votes:
        by_scope[v.scope].append(v)
    art = _tally(ART_SCOPE, by_scope.get(ART_SCOPE, []))
    teams = {t: _tally(team_scope(t), by_scope.get(team_scope(t), [])) for t in team_ids}
    names = team_names or {}
    reasons = []
    if art.mean is None:
        reasons.append("no ART votes yet")
    elif art.mean < THRESHOLD:
        reasons.append(f"ART mean {art.mean:.2f} is below 3")
    reasons += [f"team {names.get(t, t)} mean {s.mean:.2f} is below 3"
                for t, s in teams.items() if s.below]
    return VoteOutcome(art, teams, not reasons, tuple(reasons))
