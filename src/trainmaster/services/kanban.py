"""The ART Kanban: features by state, WIP limits on Analyzing and Implementing.

A move into a state at its limit is refused (Conflict naming the limit) unless the RTE
explicitly overrides it (Permission.OVERRIDE_WIP); the override is recorded with who, when
and which move. Every move records a StatusChange. Limits count the ART's features in the
state across all PIs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from trainmaster.domain.access import Actor, Permission
from trainmaster.domain.art import Art
from trainmaster.domain.errors import Conflict, Invalid
from trainmaster.domain.kanban import WipOverride, breaks_limit, wip_limit
from trainmaster.domain.work_item import (
    ItemLevel,
    KanbanState,
    StatusChange,
    WorkItem,
    kanban_state,
)
from trainmaster.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class KanbanColumn:
    state: KanbanState
    items: list[WorkItem]
    limit: int | None

    @property
    def over_limit(self) -> bool:
        return self.limit is not None and len(self.items) > self.limit

    @property
    def full(self) -> bool:
        return self.limit is not None and len(self.items) >= self.limit


@dataclass(frozen=True)
class KanbanBoard:
    art: Art
    columns: list[KanbanColumn]
    overrides: list[WipOverride]


@dataclass(frozen=True)
class MoveResult:
    item: WorkItem
    change: StatusChange
    override: WipOverride | None


def kanban_board(uow: UnitOfWork, actor: Actor, art_id: int, *, pi_id: int | None = None,
                 ) -> KanbanBoard:
    """The ART's features by Kanban state (of one PI when given), with WIP limits."""
    actor.require(Permission.VIEW, art_id)
    with uow:
        art = uow.arts.get(art_id)
        filters: dict[str, Any] = {"pi_id": pi_id} if pi_id is not None else {}
        features = uow.items.find(art_id=art_id, level=ItemLevel.FEATURE.value, order_by="key",
                                  **filters)
        columns = [KanbanColumn(s, [f for f in features if f.status == s.value],
                                wip_limit(art, s)) for s in KanbanState]
        overrides = uow.wip_overrides.find(art_id=art_id, order_by="at")
        return KanbanBoard(art, columns, overrides)


def move_feature(uow: UnitOfWork, actor: Actor, item_id: int, to: str, *,
                 override: bool = False, reason: str = "", at: datetime) -> MoveResult:
    """Move a feature to another Kanban state, within the WIP limit unless overridden."""
    target = kanban_state(to)
    with uow:
        item = uow.lock(WorkItem, item_id)
        actor.require(Permission.EDIT_BACKLOG, item.art_id)
        if item.level is not ItemLevel.FEATURE:
            raise Invalid("only features move on the ART Kanban", field="item_id")
        if item.status == target.value:
            raise Conflict(f"{item.key} is already in {target.value}")
        art = uow.lock(Art, item.art_id)   # serialises moves of one ART: limits hold
        limit = wip_limit(art, target)
        count = uow.items.count(art_id=art.id, level=ItemLevel.FEATURE.value,
                                status=target.value)
        record = None
        if breaks_limit(limit, count):
            record = _override(actor, item, target, limit or 0, count, override, reason, at)
            uow.wip_overrides.add(record)
        change = StatusChange(item_id=item.id or 0, from_status=item.status,
                              to_status=target.value, at=at)
        item.status, item.updated_at = target.value, at
        uow.status_changes.add(change)
        uow.commit()
        return MoveResult(item, change, record)


def _override(actor: Actor, item: WorkItem, target: KanbanState, limit: int, count: int,
              override: bool, reason: str, at: datetime) -> WipOverride:
    if not override:
        raise Conflict(f"{target.value} is at its WIP limit of {limit} ({count} features): "
                       f"finish one first, or have the RTE override the limit")
    actor.require(Permission.OVERRIDE_WIP, item.art_id)
    return WipOverride(art_id=item.art_id, item_id=item.id or 0, from_status=item.status,
                       to_status=target.value, limit=limit, count_before=count, at=at,
                       by_user_id=actor.user_id, reason=reason.strip())
