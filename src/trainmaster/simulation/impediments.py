"""Impediments: raised by teams, escalated team → ART → portfolio, mostly resolved."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from trainmaster.domain.access import Role
from trainmaster.domain.art import TeamRole
from trainmaster.domain.impediment import Impediment, ImpedimentStep, Level
from trainmaster.simulation import text
from trainmaster.simulation.cadence import PiFrame
from trainmaster.simulation.causal import TeamTraits
from trainmaster.simulation.data import TrainData, keep
from trainmaster.simulation.org import ArtOrg

NEVER_RESOLVED_SHARE = 0.06
TO_ART_AFTER = 3.0            # working days open before the RTE takes it over
TO_PORTFOLIO_AFTER = 8.0


@dataclass
class ImpedimentPlan:
    team: int
    frame: PiFrame
    raised: float
    resolved: float                       # inf: never resolved
    escalations: tuple[float, ...]        # axis times of the moves to ART, then portfolio


def draw_impediments(rng: np.random.Generator, traits: Sequence[TeamTraits],
                     frames: Sequence[PiFrame]) -> list[ImpedimentPlan]:
    """Per team and PI a Poisson number of impediments, raised in development iterations."""
    plans = []
    for frame in frames:
        lo, hi = frame.bounds[0], frame.bounds[frame.dev_iterations]
        for team, trait in enumerate(traits):
            for _ in range(int(rng.poisson(trait.impediment_rate))):
                raised = float(rng.uniform(lo, hi))
                days = float(rng.lognormal(np.log(3.5), 0.8))
                never = rng.random() < NEVER_RESOLVED_SHARE
                steps = []
                if never or days > TO_ART_AFTER:
                    steps.append(raised + rng.uniform(1.5, TO_ART_AFTER))
                if never or days > TO_PORTFOLIO_AFTER:
                    steps.append(raised + rng.uniform(5.0, TO_PORTFOLIO_AFTER))
                plans.append(ImpedimentPlan(team, frame, raised,
                                            np.inf if never else raised + days, tuple(steps)))
    plans.sort(key=lambda p: p.raised)
    return plans


def spans(plans: Sequence[ImpedimentPlan], team: int) -> list[tuple[float, float]]:
    return [(p.raised, p.resolved) for p in plans if p.team == team]


def record_impediments(data: TrainData, rng: np.random.Generator, org: ArtOrg,
                       plans: Sequence[ImpedimentPlan], cutoff: float) -> None:
    """Impediments raised before `cutoff`, with the steps taken before it."""
    for plan in plans:
        if plan.raised >= cutoff:
            continue
        team = org.teams[plan.team]
        noun = text.pick(rng, text.area(org.first_team + plan.team)[1])
        impediment = keep(data.impediments, Impediment(
            art_id=org.art.id or 0, title=text.fill(rng, text.IMPEDIMENTS, noun, team.name),
            description=f"Raised by team {team.name} at the Coach Sync.", team_id=team.id,
            pi_id=plan.frame.pi.id, raised_at=org.axis.at(plan.raised),
            owner_id=org.coaches(plan.team, TeamRole.SCRUM_MASTER)))
        keep(data.impediment_steps, ImpedimentStep(impediment.id or 0, Level.TEAM,
                                                   impediment.raised_at or org.axis.at(0)))
        owners = (org.leaders[Role.RTE][0], org.leaders[Role.PRODUCT_MANAGER][0])
        for step, owner in zip(plan.escalations, owners, strict=False):
            if step < min(cutoff, plan.resolved):
                keep(data.impediment_steps, impediment.escalate(at=org.axis.at(step),
                                                                by_user_id=None))
                impediment.owner_id = owner
        if plan.resolved < cutoff:
            keep(data.impediment_steps, impediment.resolve(at=org.axis.at(plan.resolved),
                                                           by_user_id=None))
