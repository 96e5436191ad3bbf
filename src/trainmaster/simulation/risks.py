"""ART risks: raised and ROAMed at PI Planning, then mitigated or resolved during the PI."""

from __future__ import annotations

import numpy as np

from trainmaster.domain.risk import Risk, Roam
from trainmaster.simulation import text
from trainmaster.simulation.cadence import PiFrame
from trainmaster.simulation.data import TrainData, keep
from trainmaster.simulation.org import ArtOrg

ROAM_AT_PLANNING = (Roam.OWNED, Roam.MITIGATED, Roam.ACCEPTED, Roam.RESOLVED, Roam.UNROAMED)
ROAM_WEIGHTS = (0.35, 0.25, 0.2, 0.15, 0.05)
# later moves: from -> (to, probability, working days after the previous move)
LATER = {Roam.OWNED: (Roam.MITIGATED, 0.5, (3, 30)), Roam.MITIGATED: (Roam.RESOLVED, 0.5, (3, 20))}


def record_risks(data: TrainData, rng: np.random.Generator, org: ArtOrg, frame: PiFrame,
                 owners: list[int], cutoff: float) -> None:
    """10–20 risks of a planned PI; a few unroamed ones before the next PI's planning."""
    if not frame.executed:
        for _ in range(int(rng.integers(2, 5))):
            _risk(data, rng, org, frame, cutoff - rng.uniform(1, 15), owner=None)
        return
    count = int(rng.integers(10, 21))
    targets = [ROAM_AT_PLANNING[int(rng.choice(5, p=ROAM_WEIGHTS))] for _ in range(count)]
    if frame.bounds[0] <= cutoff < frame.bounds[-1] and Roam.UNROAMED not in targets:
        targets[-1] = Roam.UNROAMED
    for target in targets:
        raised = frame.planning + 1 + rng.uniform(0.05, 0.4)
        owner = owners[int(rng.integers(len(owners)))]
        risk = _risk(data, rng, org, frame, raised, owner=None)
        if target is Roam.UNROAMED:
            continue
        at = frame.planning + 1 + rng.uniform(0.5, 0.85)
        _move(data, org, risk, target, at, owner, "ROAMed at PI Planning")
        while risk.roam in LATER:
            to, chance, (lo, hi) = LATER[risk.roam]
            at += rng.uniform(lo, hi)
            if rng.random() >= chance or at >= cutoff:
                break
            _move(data, org, risk, to, at, None, "Reviewed at the ART Sync")


def _risk(data: TrainData, rng: np.random.Generator, org: ArtOrg, frame: PiFrame, raised: float,
          *, owner: int | None) -> Risk:
    team = int(rng.integers(len(org.teams)))
    noun = text.pick(rng, text.area(org.first_team + team)[1])
    due = org.axis.day(raised + rng.uniform(5, 45))
    return keep(data.risks, Risk(
        art_id=org.art.id or 0, title=text.fill(rng, text.RISKS, noun, org.teams[team].name),
        description=f"Raised by team {org.teams[team].name}.", pi_id=frame.pi.id,
        owner_id=owner, due=due, created_at=org.axis.at(raised)))


def _move(data: TrainData, org: ArtOrg, risk: Risk, to: Roam, at: float, owner: int | None,
          note: str) -> None:
    keep(data.risk_changes, risk.move(to, by_user_id=None, at=org.axis.at(at), owner_id=owner,
                                      note=note))
