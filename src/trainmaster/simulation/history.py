"""Status histories: an item's transitions up to `today`, its status and time stamps."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from trainmaster.domain.work_item import StatusChange, StoryStatus, WorkItem
from trainmaster.simulation.data import TrainData
from trainmaster.simulation.workdays import WorkAxis

# columns of a story's time table: created, started, blocked, unblocked, review, ready for
# test, test, done, reopened, retested, done again
STORY_FLOW = tuple(s.value for s in (
    StoryStatus.TODO, StoryStatus.IN_PROGRESS, StoryStatus.BLOCKED, StoryStatus.IN_PROGRESS,
    StoryStatus.IN_REVIEW, StoryStatus.READY_FOR_TEST, StoryStatus.IN_TEST, StoryStatus.DONE,
    StoryStatus.IN_PROGRESS, StoryStatus.IN_TEST, StoryStatus.DONE))
DONE_COLUMN = 7


def record(data: TrainData, axis: WorkAxis, items: Sequence[WorkItem], times: np.ndarray,
           statuses: Sequence[str], cutoff: float) -> None:
    """Keep each row's transitions before `cutoff` (NaN: never happens) as StatusChanges.

    Column 0 is creation (no from-status); times must grow along a row. Each item gets its
    last status, `created_at` and `updated_at`.
    """
    valid = np.isfinite(times) & (times < cutoff)
    rows, cols = (a.tolist() for a in np.nonzero(valid))
    stamps = axis.datetimes(times[valid])
    changes = data.status_changes
    ends = set(np.flatnonzero(np.diff(rows, append=-1)).tolist())   # last change of a row
    previous: str | None = None
    for k, (row, col, at) in enumerate(zip(rows, cols, stamps, strict=True)):
        first = k == 0 or rows[k - 1] != row
        status = statuses[col]
        changes.append(StatusChange(item_id=items[row].id or 0, to_status=status, at=at,
                                    from_status=None if first else previous,
                                    id=len(changes) + 1))
        previous = status
        if first:
            items[row].created_at = at
        if k in ends:
            items[row].status, items[row].updated_at = status, at
