"""Everything planning reads about one PI, loaded in one go inside a unit of work."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from trainmaster.analytics.capacity import IterationLoad, planned_points, team_loads
from trainmaster.domain.access import Actor, Permission
from trainmaster.domain.art import Art, Membership, Team
from trainmaster.domain.dependency import Dependency
from trainmaster.domain.event import Event, EventKind
from trainmaster.domain.objective import Objective
from trainmaster.domain.pi import Iteration, Pi
from trainmaster.domain.work_item import ItemLevel, WorkItem
from trainmaster.services.unit_of_work import UnitOfWork

BOARD_EVENTS = (EventKind.MILESTONE, EventKind.SYSTEM_DEMO, EventKind.PI_SYSTEM_DEMO,
                EventKind.PI_PLANNING, EventKind.INSPECT_ADAPT)


@dataclass
class PiContext:
    pi: Pi
    art: Art
    iterations: list[Iteration]
    teams: list[Team]
    features: list[WorkItem]
    stories: list[WorkItem]
    dependencies: list[Dependency]
    outside: dict[int, WorkItem]              # dependency ends that are not PI features
    objectives: list[Objective]
    seats: dict[int, list[Membership]]        # team id -> memberships
    absences: dict[int, set[date]]            # person id -> days away
    holidays: list[date]
    events: list[Event] = field(default_factory=list)

    @property
    def iteration_by_id(self) -> dict[int, Iteration]:
        return {i.id or 0: i for i in self.iterations}

    def index_of(self, item: WorkItem) -> int | None:
        it = self.iteration_by_id.get(item.iteration_id or 0)
        return None if it is None else it.index

    def loads(self) -> dict[int, list[IterationLoad]]:
        """Team id -> capacity and load per iteration."""
        planned = planned_points(self.stories)
        return {t.id or 0: team_loads(
            self.iterations, self.seats.get(t.id or 0, []), self.absences, self.holidays,
            {it: pts for (team, it), pts in planned.items() if team == t.id})
            for t in self.teams}


def load_pi(uow: UnitOfWork, actor: Actor, pi_id: int, *, with_events: bool = False
            ) -> PiContext:
    """Read a PI's plan; call inside `with uow:`."""
    pi = uow.pis.get(pi_id)
    actor.require(Permission.VIEW, pi.art_id)
    iterations = uow.iterations.find(pi_id=pi_id, order_by="index")
    features = uow.items.find(pi_id=pi_id, level=ItemLevel.FEATURE.value, order_by="key")
    stories = _stories(uow, pi_id, [i.id for i in iterations])
    teams = uow.teams.find(art_id=pi.art_id, order_by="name")
    members = uow.memberships.find(team_id=[t.id for t in teams]) if teams else []
    seats: dict[int, list[Membership]] = defaultdict(list)
    for m in members:
        seats[m.team_id].append(m)
    absences: dict[int, set[date]] = defaultdict(set)
    people = sorted({m.person_id for m in members})
    for a in uow.absences.find(person_id=people) if people else []:
        if pi.start_date <= a.day <= pi.end_date:
            absences[a.person_id].add(a.day)
    deps, outside = _dependencies(uow, features)
    return PiContext(
        pi=pi, art=uow.arts.get(pi.art_id), iterations=iterations, teams=teams,
        features=features, stories=stories, dependencies=deps, outside=outside,
        objectives=uow.objectives.find(pi_id=pi_id),
        seats=dict(seats), absences=dict(absences),
        holidays=[h.day for h in uow.holidays.find(art_id=pi.art_id)
                  if pi.start_date <= h.day <= pi.end_date],
        events=_events(uow, pi) if with_events else [])


def _stories(uow: UnitOfWork, pi_id: int, iteration_ids: list[int | None]) -> list[WorkItem]:
    found = {s.id: s for s in uow.items.find(pi_id=pi_id, level=ItemLevel.STORY.value)}
    if iteration_ids:
        for s in uow.items.find(iteration_id=iteration_ids, level=ItemLevel.STORY.value):
            found.setdefault(s.id, s)
    return sorted(found.values(), key=lambda s: s.key)


def _dependencies(uow: UnitOfWork, features: list[WorkItem]
                  ) -> tuple[list[Dependency], dict[int, WorkItem]]:
    ids = [f.id for f in features]
    if not ids:
        return [], {}
    found = {d.id: d for d in uow.dependencies.find(consumer_id=ids)}
    for d in uow.dependencies.find(provider_id=ids):
        found.setdefault(d.id, d)
    known = set(ids)
    others = sorted({end for d in found.values() for end in (d.consumer_id, d.provider_id)
                     if end not in known})
    outside = {i.id or 0: i for i in uow.items.find(id=others)} if others else {}
    return sorted(found.values(), key=lambda d: d.id or 0), outside


def _events(uow: UnitOfWork, pi: Pi) -> list[Event]:
    found = uow.events.find(art_id=pi.art_id, kind=[k.value for k in BOARD_EVENTS],
                            order_by="start")
    return [e for e in found if e.pi_id == pi.id or (
        e.pi_id is None and pi.start_date <= e.start.date() <= pi.end_date)]
