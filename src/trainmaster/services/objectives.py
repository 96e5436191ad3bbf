"""Team and program PI objectives: write them, give business value, publish the summary.

Teams write objectives (committed or uncommitted); only Business Owners give planned
business value (1–10) at PI Planning and actual business value (0–10) at Inspect & Adapt.
The program PI objectives are the summary of all teams' objectives; the RTE publishes them,
and each publication is kept with what it held.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from trainmaster.domain.access import Actor, Permission
from trainmaster.domain.art import Team
from trainmaster.domain.errors import Invalid
from trainmaster.domain.objective import Objective, check_actual_bv, check_planned_bv
from trainmaster.domain.pi import Pi
from trainmaster.domain.planning import ObjectivesPublication
from trainmaster.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class TeamObjectives:
    team: Team | None                 # None: the ART's own (program-level) objectives
    committed: list[Objective]
    uncommitted: list[Objective]

    @property
    def planned_bv(self) -> int:
        return sum(o.planned_bv or 0 for o in self.committed)

    @property
    def missing_bv(self) -> int:
        return sum(1 for o in self.committed + self.uncommitted if o.planned_bv is None)


@dataclass(frozen=True)
class ProgramObjectives:
    pi: Pi
    teams: list[TeamObjectives]
    publications: list[ObjectivesPublication]

    @property
    def last_published(self) -> ObjectivesPublication | None:
        return self.publications[-1] if self.publications else None

    @property
    def committed(self) -> int:
        return sum(len(t.committed) for t in self.teams)

    @property
    def uncommitted(self) -> int:
        return sum(len(t.uncommitted) for t in self.teams)

    @property
    def planned_bv(self) -> int:
        return sum(t.planned_bv for t in self.teams)


def write_objective(uow: UnitOfWork, actor: Actor, pi_id: int, text: str, *,
                    team_id: int | None, committed: bool = True,
                    feature_ids: Sequence[int] = (), at: datetime) -> Objective:
    """A team writes a PI objective (committed, or uncommitted as a stretch)."""
    with uow:
        pi = uow.pis.get(pi_id)
        actor.require(Permission.WRITE_OBJECTIVES, pi.art_id)
        if team_id is not None and uow.teams.get(team_id).art_id != pi.art_id:
            raise Invalid("the team belongs to another ART", field="team_id")
        for feature_id in feature_ids:
            if uow.items.get(feature_id).art_id != pi.art_id:
                raise Invalid(f"item {feature_id} belongs to another ART", field="feature_ids")
        objective = uow.objectives.add(Objective(pi_id=pi_id, text=text, team_id=team_id,
                                                 committed=committed,
                                                 feature_ids=list(feature_ids)))
        uow.commit()
        return objective


def set_business_value(uow: UnitOfWork, actor: Actor, objective_id: int, *,
                       planned: int | None = None, actual: int | None = None) -> Objective:
    """A Business Owner gives planned (1–10) and/or actual (0–10) business value."""
    if planned is None and actual is None:
        raise Invalid("give a planned or an actual business value", field="planned_bv")
    check_planned_bv(planned)
    check_actual_bv(actual)
    with uow:
        objective = uow.lock(Objective, objective_id)
        actor.require(Permission.SET_BUSINESS_VALUE, uow.pis.get(objective.pi_id).art_id)
        if planned is not None:
            objective.planned_bv = planned
        if actual is not None:
            objective.actual_bv = actual
        uow.commit()
        return objective


def _summarise(teams: list[Team], objectives: list[Objective]) -> list[TeamObjectives]:
    out = []
    for team in [*teams, None]:
        mine = [o for o in objectives if o.team_id == (team.id if team else None)]
        if team is None and not mine:
            continue
        out.append(TeamObjectives(team, [o for o in mine if o.committed],
                                  [o for o in mine if not o.committed]))
    return out


def program_objectives(uow: UnitOfWork, actor: Actor, pi_id: int) -> ProgramObjectives:
    """Every team's objectives for the PI, with the summary and past publications."""
    with uow:
        pi = uow.pis.get(pi_id)
        actor.require(Permission.VIEW, pi.art_id)
        teams = uow.teams.find(art_id=pi.art_id, order_by="name")
        return ProgramObjectives(
            pi, _summarise(teams, uow.objectives.find(pi_id=pi_id)),
            uow.objective_publications.find(pi_id=pi_id, order_by="published_at"))


def publish_objectives(uow: UnitOfWork, actor: Actor, pi_id: int, *,
                       at: datetime) -> ObjectivesPublication:
    """The RTE publishes the program PI objectives as they stand."""
    view = program_objectives(uow, actor, pi_id)
    with uow:
        actor.require(Permission.MANAGE_TRAIN, view.pi.art_id)
        if not view.committed + view.uncommitted:
            raise Invalid("there are no PI objectives to publish yet", field="pi_id")
        publication = uow.objective_publications.add(ObjectivesPublication(
            pi_id=pi_id, published_at=at, by_user_id=actor.user_id,
            teams=sum(1 for t in view.teams if t.team is not None),
            committed=view.committed, uncommitted=view.uncommitted,
            planned_bv=view.planned_bv))
        uow.commit()
        return publication
