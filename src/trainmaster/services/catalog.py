"""Create, read, update and delete the train's entities, with permission checks.

Each kind of entity has a spec: its repository, the permission that guards writes, and how
to find the ART it belongs to (permissions are per ART). Fields with a use case of their
own (a feature's status, a risk's ROAM state, business value) go through that use case.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from trainmaster.domain.access import Actor, Permission
from trainmaster.domain.errors import Invalid, NotFound
from trainmaster.domain.objective import Objective
from trainmaster.domain.pi import Pi
from trainmaster.domain.work_item import ItemLevel, StatusChange, WorkItem
from trainmaster.services.unit_of_work import REPOSITORIES, UnitOfWork

ArtOf = Callable[[UnitOfWork, Any], int | None]

# reference field -> repository it points into
REFERENCES = {
    "art_id": "arts", "team_id": "teams", "person_id": "people", "owner_id": "people",
    "pi_id": "pis", "iteration_id": "iterations", "needed_by_iteration_id": "iterations",
    "offered_iteration_id": "iterations", "parent_id": "items", "consumer_id": "items",
    "provider_id": "items", "item_id": "items", "portfolio_id": "portfolios",
    "user_id": "users",
}
READ_ONLY = {"id", "created_at", "updated_at"}


@dataclass(frozen=True)
class Spec:
    name: str                 # repository name and URL segment
    write: Permission
    art_of: ArtOf
    protected: frozenset[str] = frozenset()  # fields changed only through their own use case

    @property
    def cls(self) -> type:
        return REPOSITORIES[self.name]


def _own(uow: UnitOfWork, obj: Any) -> int | None:
    return obj.art_id


def _via(repo: str, attr: str) -> ArtOf:
    def art_of(uow: UnitOfWork, obj: Any) -> int | None:
        ref = getattr(obj, attr)
        return None if ref is None else SPECS[repo].art_of(uow, uow.repo(repo).get(ref))
    return art_of


def _no_art(uow: UnitOfWork, obj: Any) -> int | None:
    return None


SPECS: dict[str, Spec] = {spec.name: spec for spec in [
    Spec("arts", Permission.MANAGE_TRAIN, lambda uow, art: art.id),
    Spec("teams", Permission.MANAGE_TRAIN, _own),
    Spec("people", Permission.MANAGE_TRAIN, _no_art),
    Spec("memberships", Permission.MANAGE_TRAIN, _via("teams", "team_id")),
    Spec("absences", Permission.EDIT_BACKLOG, _no_art),
    Spec("holidays", Permission.MANAGE_TRAIN, _own),
    Spec("pis", Permission.MANAGE_TRAIN, _own,
         frozenset({"start_date", "iteration_days", "iterations", "has_ip"})),
    Spec("iterations", Permission.MANAGE_TRAIN, _via("pis", "pi_id")),
    Spec("items", Permission.EDIT_BACKLOG, _own),
    Spec("dependencies", Permission.EDIT_BACKLOG, _via("items", "consumer_id"),
         frozenset({"agreement", "offered_iteration_id"})),
    Spec("risks", Permission.MANAGE_RISKS, _own, frozenset({"roam"})),
    Spec("objectives", Permission.WRITE_OBJECTIVES, _via("pis", "pi_id"),
         frozenset({"planned_bv", "actual_bv"})),
    Spec("events", Permission.MANAGE_TRAIN, _own),
    Spec("impediments", Permission.RUN_EVENTS, _own,
         frozenset({"level", "resolved_at"})),
    Spec("actions", Permission.RUN_EVENTS, _own),
]}


def spec(name: str) -> Spec:
    try:
        return SPECS[name]
    except KeyError:
        raise NotFound(f"no such kind of entity: {name!r}") from None


def check_references(uow: UnitOfWork, values: dict[str, Any]) -> None:
    """Every id a value refers to must exist (422 naming the field, not a 409 later)."""
    for field, repo in REFERENCES.items():
        ref = values.get(field)
        if ref is None:
            continue
        try:
            uow.repo(repo).get(ref)
        except NotFound:
            raise Invalid(f"{repo[:-1] if repo != 'people' else 'person'} {ref} does not exist",
                          field=field) from None


def list_entities(uow: UnitOfWork, actor: Actor, kind: str, /, **filters: Any) -> list[Any]:
    """Entities of one kind whose fields equal the filters (which may include `name`)."""
    s = spec(kind)
    with uow:
        found = uow.repo(kind).find(**filters)
        return [o for o in found if actor.can(Permission.VIEW, _art(uow, s, o))]


def get_entity(uow: UnitOfWork, actor: Actor, name: str, id_: int) -> Any:
    s = spec(name)
    with uow:
        obj = uow.repo(name).get(id_)
        actor.require(Permission.VIEW, _art(uow, s, obj))
        return obj


def create_entity(uow: UnitOfWork, actor: Actor, name: str, values: dict[str, Any], *,
                  at: datetime) -> Any:
    s = spec(name)
    values = {k: v for k, v in values.items() if k not in READ_ONLY}
    if name == "arts" and not actor.is_admin:
        actor.require(Permission.MANAGE_TRAIN, -1)  # only administrators create trains
    with uow:
        check_references(uow, values)
        obj = s.cls(**_stamped(s.cls, values, at))
        _check_writable(uow, actor, s, obj, {k for k, v in values.items() if v is not None})
        _check_links(uow, obj)
        uow.repo(name).add(obj)
        if isinstance(obj, Pi):
            uow.iterations.add_all(obj.build_iterations())
        if isinstance(obj, WorkItem):
            uow.status_changes.add(StatusChange(item_id=obj.id, to_status=obj.status, at=at))  # type: ignore[arg-type]
        uow.commit()
        return obj


def update_entity(uow: UnitOfWork, actor: Actor, name: str, id_: int, values: dict[str, Any],
                  *, at: datetime) -> Any:
    s = spec(name)
    values = {k: v for k, v in values.items() if k not in READ_ONLY}
    with uow:
        obj = uow.repo(name).get(id_)
        _check_writable(uow, actor, s, obj, set(values))
        check_references(uow, values)
        old_status = getattr(obj, "status", None)
        candidate = dataclasses.replace(obj, **values)  # validates before anything changes
        _check_writable(uow, actor, s, candidate, set(values))
        _check_links(uow, candidate)
        for field in values:
            setattr(obj, field, getattr(candidate, field))
        if isinstance(obj, WorkItem):
            obj.updated_at = at
            if obj.status != old_status:
                uow.status_changes.add(StatusChange(item_id=obj.id, from_status=old_status,  # type: ignore[arg-type]
                                                    to_status=obj.status, at=at))
        uow.commit()
        return obj


def delete_entity(uow: UnitOfWork, actor: Actor, name: str, id_: int) -> None:
    s = spec(name)
    with uow:
        obj = uow.repo(name).get(id_)
        actor.require(s.write, _art(uow, s, obj))
        uow.repo(name).remove(obj)
        uow.commit()


def _art(uow: UnitOfWork, s: Spec, obj: Any) -> int | None:
    return s.art_of(uow, obj)


def _check_writable(uow: UnitOfWork, actor: Actor, s: Spec, obj: Any, fields: set[str]) -> None:
    """Business value is the Business Owners' alone; protected fields need their use case."""
    art_id = _art(uow, s, obj)
    bv = fields & {"planned_bv", "actual_bv"} if isinstance(obj, Objective) else set()
    if bv:
        actor.require(Permission.SET_BUSINESS_VALUE, art_id)
    if fields - bv or not fields:
        actor.require(s.write, art_id)
    blocked = sorted((fields & s.protected) - bv)
    if blocked and obj.id is not None:
        raise Invalid(f"{', '.join(blocked)} changes through its own action, not an update",
                      field=blocked[0])
    if isinstance(obj, WorkItem) and obj.id is not None:
        _check_item_fields(obj, fields)


def _check_item_fields(item: WorkItem, fields: set[str]) -> None:
    """Planning and Kanban moves have rules of their own (IP iteration, WIP limits)."""
    if "iteration_id" in fields:
        raise Invalid(f"plan the item through POST /api/v1/items/{item.id}/plan",
                      field="iteration_id")
    if "status" in fields and item.level is ItemLevel.FEATURE:
        raise Invalid(f"move the feature on the ART Kanban: POST /api/v1/items/{item.id}/move",
                      field="status")


def _check_links(uow: UnitOfWork, obj: Any) -> None:
    """Cross-entity invariants: an item's iteration belongs to its PI, both to its ART."""
    if isinstance(obj, WorkItem):
        if obj.pi_id is not None and uow.pis.get(obj.pi_id).art_id != obj.art_id:
            raise Invalid("the PI belongs to another ART", field="pi_id")
        if obj.iteration_id is not None:
            obj.plan(uow.iterations.get(obj.iteration_id).pi_id, obj.iteration_id)
        if obj.team_id is not None and uow.teams.get(obj.team_id).art_id != obj.art_id:
            raise Invalid("the team belongs to another ART", field="team_id")
        if obj.parent_id is not None and obj.level is ItemLevel.EPIC:
            raise Invalid("an epic has no parent", field="parent_id")
    if isinstance(obj, Objective):
        for feature_id in obj.feature_ids:
            uow.items.get(feature_id)


def _stamped(cls: type, values: dict[str, Any], at: datetime) -> dict[str, Any]:
    names = {f.name for f in dataclasses.fields(cls)}
    out = dict(values)
    for stamp in ("created_at", "updated_at", "raised_at"):
        if stamp in names and out.get(stamp) is None:
            out[stamp] = at
    return out
