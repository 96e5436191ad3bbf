"""Dependencies as agreements between teams.

The consuming team requests (its feature needs the provider, by an iteration); the providing
team accepts, declines (saying why) or counters with the iteration it can deliver. Every
step is kept as a DependencyEvent. An answer that names an iteration is the providing
team's commitment: the provider item is planned into that iteration, so the board, the
string states and the graph analytics all read the one plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from trainmaster.domain.access import Actor, Permission
from trainmaster.domain.dependency import Agreement, Dependency, DependencyEvent
from trainmaster.domain.errors import Invalid
from trainmaster.domain.work_item import ItemLevel, WorkItem
from trainmaster.services.unit_of_work import UnitOfWork

ANSWERS = (Agreement.ACCEPTED, Agreement.DECLINED, Agreement.COUNTERED)


@dataclass(frozen=True)
class DependencyRecord:
    dependency: Dependency
    consumer: WorkItem
    provider: WorkItem
    history: list[DependencyEvent]


def _iteration_for(uow: UnitOfWork, item: WorkItem, iteration_id: int | None,
                   field: str) -> int | None:
    if iteration_id is None:
        return None
    iteration = uow.iterations.get(iteration_id)
    pi = uow.pis.get(iteration.pi_id)
    if pi.art_id != item.art_id:
        raise Invalid("the iteration belongs to another ART", field=field)
    if item.pi_id is not None and item.pi_id != iteration.pi_id:
        raise Invalid(f"the iteration is not in {item.key}'s PI", field=field)
    if iteration.is_ip and item.level is ItemLevel.FEATURE:
        raise Invalid("the IP iteration carries no planned feature work", field=field)
    return iteration_id


def request_dependency(uow: UnitOfWork, actor: Actor, consumer_id: int, provider_id: int, *,
                       needed_by_iteration_id: int | None = None, description: str = "",
                       note: str = "", at: datetime) -> Dependency:
    """The consuming team asks the providing team for an item (again, if asked before)."""
    with uow:
        consumer = uow.items.get(consumer_id)
        provider = uow.items.get(provider_id)
        actor.require(Permission.EDIT_BACKLOG, consumer.art_id)
        needed = _iteration_for(uow, consumer, needed_by_iteration_id, "needed_by_iteration_id")
        dep = uow.dependencies.first(consumer_id=consumer_id, provider_id=provider_id)
        if dep is None:
            dep = uow.dependencies.add(Dependency(
                consumer_id=consumer_id, provider_id=provider.id or 0,
                description=description.strip(), needed_by_iteration_id=needed, created_at=at))
        elif description.strip():
            dep.description = description.strip()
        event = dep.request(at=at, by_user_id=actor.user_id, needed_by_iteration_id=needed,
                            note=note)
        uow.dependency_events.add(event)
        uow.commit()
        return dep


def answer_dependency(uow: UnitOfWork, actor: Actor, dependency_id: int, answer: str, *,
                      iteration_id: int | None = None, note: str = "",
                      at: datetime) -> Dependency:
    """The providing team accepts, declines or counters (with the iteration it can deliver)."""
    try:
        agreement = Agreement(answer)
    except ValueError:
        agreement = None
    if agreement not in ANSWERS:
        raise Invalid("answer accepted, declined or countered", field="answer")
    with uow:
        dep = uow.lock(Dependency, dependency_id)
        provider = uow.lock(WorkItem, dep.provider_id)
        actor.require(Permission.ANSWER_DEPENDENCY, provider.art_id)
        offered = _iteration_for(uow, provider, iteration_id, "iteration_id")
        if agreement is Agreement.ACCEPTED and offered is None:
            offered = _accepted_iteration(uow, provider, dep)
        event = _answer(dep, agreement, actor, offered, note, at)
        if dep.offered_iteration_id is not None:
            _commit_provider(uow, provider, dep.offered_iteration_id, at)
        uow.dependency_events.add(event)
        uow.commit()
        return dep


def _accepted_iteration(uow: UnitOfWork, provider: WorkItem, dep: Dependency) -> int | None:
    """Accepting without naming an iteration: the provider's own, unless later than asked."""
    needed = dep.needed_by_iteration_id
    if provider.iteration_id is None or needed is None:
        return provider.iteration_id or needed
    own, asked = uow.iterations.get(provider.iteration_id), uow.iterations.get(needed)
    return provider.iteration_id if own.index <= asked.index else needed


def _answer(dep: Dependency, agreement: Agreement, actor: Actor, offered: int | None,
            note: str, at: datetime) -> DependencyEvent:
    if agreement is Agreement.ACCEPTED:
        return dep.accept(at=at, by_user_id=actor.user_id, iteration_id=offered, note=note)
    if agreement is Agreement.DECLINED:
        return dep.decline(at=at, by_user_id=actor.user_id, note=note)
    if offered is None:
        raise Invalid("a counter offer names the iteration the team can deliver",
                      field="iteration_id")
    return dep.counter(at=at, by_user_id=actor.user_id, iteration_id=offered, note=note)


def _commit_provider(uow: UnitOfWork, provider: WorkItem, iteration_id: int,
                     at: datetime) -> None:
    iteration = uow.iterations.get(iteration_id)
    if provider.pi_id is None:
        provider.pi_id = iteration.pi_id
    provider.plan(iteration.pi_id, iteration_id)
    provider.updated_at = at


def show_dependency(uow: UnitOfWork, actor: Actor, dependency_id: int) -> DependencyRecord:
    """A dependency with both ends and its agreement history."""
    with uow:
        dep = uow.dependencies.get(dependency_id)
        consumer = uow.items.get(dep.consumer_id)
        actor.require(Permission.VIEW, consumer.art_id)
        history = uow.dependency_events.find(dependency_id=dependency_id, order_by="at")
        return DependencyRecord(dep, consumer, uow.items.get(dep.provider_id), history)
