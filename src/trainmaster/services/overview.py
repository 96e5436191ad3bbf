"""Read models for the main pages: ART overview, PI page and work item page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from trainmaster.domain.access import Actor, Permission
from trainmaster.domain.art import Art, Membership, Person, Team
from trainmaster.domain.dependency import Dependency, DependencyState, dependency_state
from trainmaster.domain.errors import NotFound
from trainmaster.domain.pi import Iteration, Pi
from trainmaster.domain.work_item import ItemLevel, StatusChange, WorkItem
from trainmaster.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class TeamRoster:
    team: Team
    members: list[tuple[Person, Membership]]


@dataclass(frozen=True)
class ArtOverview:
    art: Art
    teams: list[TeamRoster]
    pis: list[Pi]
    current_pi: Pi | None
    current_iteration: Iteration | None
    people_count: int


@dataclass(frozen=True)
class PiPlan:
    pi: Pi
    art: Art
    iterations: list[Iteration]
    teams: list[Team]
    # (team id, iteration id or None for unplanned) -> features
    cells: dict[tuple[int | None, int | None], list[WorkItem]] = field(default_factory=dict)
    story_points: dict[int, float] = field(default_factory=dict)  # feature id -> story points


@dataclass(frozen=True)
class DependencyView:
    dependency: Dependency
    other: WorkItem
    state: DependencyState


@dataclass(frozen=True)
class ItemDetail:
    item: WorkItem
    history: list[StatusChange]
    parent: WorkItem | None
    children: list[WorkItem]
    needs: list[DependencyView]       # this item consumes these providers
    needed_by: list[DependencyView]   # these consumers need this item
    team: Team | None
    iteration: Iteration | None


def list_arts(uow: UnitOfWork, actor: Actor) -> list[Art]:
    with uow:
        return [a for a in uow.arts.find() if actor.can(Permission.VIEW, a.id)]


def find_art(uow: UnitOfWork, actor: Actor, ref: str) -> Art:
    """An ART by id or key."""
    with uow:
        art = (uow.arts.first(id=int(ref)) if ref.isdigit()
               else uow.arts.first(key=ref.strip().upper()))
        if art is None:
            raise NotFound(f"no ART {ref!r}")
        actor.require(Permission.VIEW, art.id)
        return art


def current_pi(pis: list[Pi], today: date) -> Pi | None:
    running = [p for p in pis if p.start_date <= today <= p.end_date]
    if running:
        return running[0]
    coming = sorted((p for p in pis if p.start_date > today), key=lambda p: p.start_date)
    return coming[0] if coming else None


def art_overview(uow: UnitOfWork, actor: Actor, art_id: int, *, today: date) -> ArtOverview:
    actor.require(Permission.VIEW, art_id)
    with uow:
        art = uow.arts.get(art_id)
        teams = uow.teams.find(art_id=art_id, order_by="name")
        members = uow.memberships.find(team_id=[t.id for t in teams])
        people = {p.id: p for p in uow.people.find(id=[m.person_id for m in members])}
        by_team: dict[int, list[tuple[Person, Membership]]] = defaultdict(list)
        for m in members:
            by_team[m.team_id].append((people[m.person_id], m))
        pis = uow.pis.find(art_id=art_id, order_by="start_date")
        pi = current_pi(pis, today)
        iteration = None
        if pi is not None:
            iteration = next((i for i in uow.iterations.find(pi_id=pi.id) if i.contains(today)),
                             None)
        return ArtOverview(
            art=art, pis=pis, current_pi=pi, current_iteration=iteration,
            teams=[TeamRoster(t, sorted(by_team[t.id or 0], key=lambda pm: pm[0].name))
                   for t in teams],
            people_count=len(people))


def find_pi(uow: UnitOfWork, actor: Actor, ref: str, *, art_ref: str | None = None) -> Pi:
    """A PI by id, or by name within an ART (the only ART when there is one)."""
    with uow:
        if ref.isdigit():
            pi = uow.pis.first(id=int(ref))
        else:
            arts = [find_art(uow, actor, art_ref)] if art_ref else uow.arts.find()
            pi = uow.pis.first(name=ref, art_id=[a.id for a in arts])
        if pi is None:
            raise NotFound(f"no PI {ref!r}")
        actor.require(Permission.VIEW, pi.art_id)
        return pi


def list_pis(uow: UnitOfWork, actor: Actor, art_id: int) -> list[Pi]:
    actor.require(Permission.VIEW, art_id)
    with uow:
        return uow.pis.find(art_id=art_id, order_by="start_date")


def pi_plan(uow: UnitOfWork, actor: Actor, pi_id: int) -> PiPlan:
    """Features of a PI by team and iteration, with the story points under each."""
    with uow:
        pi = uow.pis.get(pi_id)
        actor.require(Permission.VIEW, pi.art_id)
        features = uow.items.find(pi_id=pi_id, level=ItemLevel.FEATURE.value)
        stories = uow.items.find(parent_id=[f.id for f in features], level=ItemLevel.STORY.value)
        points: dict[int, float] = defaultdict(float)
        for s in stories:
            points[s.parent_id or 0] += s.points or 0
        cells: dict[tuple[int | None, int | None], list[WorkItem]] = defaultdict(list)
        for f in sorted(features, key=lambda f: f.key):
            cells[(f.team_id, f.iteration_id)].append(f)
        return PiPlan(pi=pi, art=uow.arts.get(pi.art_id),
                      iterations=uow.iterations.find(pi_id=pi_id, order_by="index"),
                      teams=uow.teams.find(art_id=pi.art_id, order_by="name"),
                      cells=dict(cells), story_points=dict(points))


def item_detail(uow: UnitOfWork, actor: Actor, item_id: int) -> ItemDetail:
    with uow:
        item = uow.items.get(item_id)
        actor.require(Permission.VIEW, item.art_id)
        iterations = {i.id: i for i in uow.iterations.find(pi_id=item.pi_id)} if item.pi_id else {}
        needs = [_dependency_view(uow, d, d.provider_id, iterations, item)
                 for d in uow.dependencies.find(consumer_id=item_id)]
        needed_by = [_dependency_view(uow, d, d.consumer_id, iterations, item)
                     for d in uow.dependencies.find(provider_id=item_id)]
        return ItemDetail(
            item=item, history=uow.status_changes.find(item_id=item_id, order_by="at"),
            parent=uow.items.get(item.parent_id) if item.parent_id else None,
            children=uow.items.find(parent_id=item_id, order_by="key"),
            needs=needs, needed_by=needed_by,
            team=uow.teams.get(item.team_id) if item.team_id else None,
            iteration=uow.iterations.get(item.iteration_id) if item.iteration_id else None)


def _dependency_view(uow: UnitOfWork, dep: Dependency, other_id: int,
                     iterations: dict[int | None, Iteration], item: WorkItem) -> DependencyView:
    other = uow.items.get(other_id)

    def index(it: WorkItem) -> int | None:
        if it.iteration_id is None:
            return None
        found = iterations.get(it.iteration_id) or uow.iterations.get(it.iteration_id)
        return found.index

    consumer, provider = (item, other) if dep.consumer_id == item.id else (other, item)
    return DependencyView(dep, other, dependency_state(index(provider), index(consumer)))


