"""The ART Kanban's WIP limits and the record of a move that overrode one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from trainmaster.domain.art import Art
from trainmaster.domain.work_item import KanbanState

#: Kanban states that carry a WIP limit, and the ART setting that holds it.
WIP_LIMITED: dict[KanbanState, str] = {
    KanbanState.ANALYZING: "wip_analyzing",
    KanbanState.IMPLEMENTING: "wip_implementing",
}


def wip_limit(art: Art, state: KanbanState) -> int | None:
    """The ART's WIP limit for a state, None when the state has none."""
    setting = WIP_LIMITED.get(state)
    return None if setting is None else int(getattr(art, setting))


def breaks_limit(limit: int | None, count_before: int) -> bool:
    """Adding one more item to a state holding `count_before` breaks its limit."""
    return limit is not None and count_before + 1 > limit


@dataclass
class WipOverride:
    """A Kanban move that broke a WIP limit because the RTE explicitly overrode it."""

    art_id: int
    item_id: int
    from_status: str
    to_status: str
    limit: int
    count_before: int
    at: datetime
    by_user_id: int | None = None
    reason: str = ""
    id: int | None = None
