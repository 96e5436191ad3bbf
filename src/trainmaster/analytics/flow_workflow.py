"""Which statuses of a workflow count as not started, active, waiting or done.

*Started* means active or waiting. Waiting states (queued, blocked, ready-for-X) are
started but inactive for flow efficiency. A status not in the mapping counts as not
started. Names match case-insensitively, ignoring spaces, `_` and `-`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np

from trainmaster.domain.errors import Invalid


class Category(IntEnum):
    """Flow category of a status; the order is the order of CFD bands."""

    NOT_STARTED = 0
    ACTIVE = 1
    WAITING = 2
    DONE = 3


CATEGORY_NAMES = {c: c.name.lower() for c in Category}
_ALIASES = {"not_started": Category.NOT_STARTED, "todo": Category.NOT_STARTED,
            "active": Category.ACTIVE, "started": Category.ACTIVE,
            "in_progress": Category.ACTIVE, "waiting": Category.WAITING,
            "inactive": Category.WAITING, "done": Category.DONE}


def normalise(name: str) -> str:
    """Status name as compared: lower case, without spaces, `_` or `-`."""
    return re.sub(r"[\s_\-]+", "", name).lower()


@dataclass(frozen=True)
class WorkflowMapping:
    """Status name -> Category, plus the workflow order of statuses for CFD bands."""

    categories: Mapping[str, Category]
    order: tuple[str, ...] = field(default=())

    @classmethod
    def from_names(cls, mapping: Mapping[str, str | Category],
                   order: Sequence[str] = ()) -> WorkflowMapping:
        """From {status: category name}; categories: not_started, active (alias started),
        waiting, done."""
        categories = {normalise(k): _category(k, v) for k, v in mapping.items()}
        return cls(categories=categories, order=tuple(order) or tuple(mapping))

    def category(self, status: str) -> Category:
        """The category of one status name (unmapped: not started)."""
        return self.categories.get(normalise(status), Category.NOT_STARTED)

    def codes(self, status_names: Sequence[str]) -> np.ndarray:
        """Category code per status code, for vectorised lookups."""
        return np.array([self.category(s) for s in status_names], dtype=np.int8)

    def band_order(self, status_names: Sequence[str]) -> list[int]:
        """Status codes in workflow order; statuses outside `order` follow by category."""
        rank = {normalise(s): i for i, s in enumerate(self.order)}
        keys = [(rank.get(normalise(s), len(rank)), int(self.category(s)), s)
                for s in status_names]
        return sorted(range(len(status_names)), key=lambda i: keys[i])


def _category(status: str, value: str | Category) -> Category:
    if isinstance(value, Category):
        return value
    try:
        return _ALIASES[value.strip().lower().replace(" ", "_")]
    except KeyError:
        raise Invalid(f"status {status!r}: unknown category {value!r} "
                      "(not_started, active, waiting, done)", field="mapping") from None


_A, _W, _D, _N = Category.ACTIVE, Category.WAITING, Category.DONE, Category.NOT_STARTED
DEFAULT_STATUSES: dict[str, Category] = {
    # ART Kanban (DOMAIN.md)
    "Funnel": _N, "Analyzing": _A, "Backlog": _N, "Implementing": _A,
    "Validating on staging": _A, "Validating": _A, "Deploying to production": _A,
    "Deploying": _A, "Releasing": _A,
    # trainmaster's story workflow
    "To Do": _N, "In Progress": _A, "Blocked": _W, "In Review": _A, "Ready for Test": _W,
    "In Test": _A,
    # common Jira names
    "Open": _N, "New": _N, "Reopened": _N, "Selected for Development": _N,
    "In Development": _A, "Code Review": _A, "Review": _A, "Ready for Review": _W,
    "Ready for QA": _W, "In QA": _A, "QA": _A, "Testing": _A, "In Testing": _A,
    "Waiting": _W, "On Hold": _W, "Impeded": _W, "Ready for Release": _W,
    "Ready for Deploy": _W,
    # common Azure DevOps names
    "Proposed": _N, "Approved": _N, "Committed": _A, "Active": _A, "Doing": _A,
    # done
    "Done": _D, "Closed": _D, "Resolved": _D, "Released": _D, "Complete": _D,
    "Completed": _D, "Fixed": _D, "Accepted": _D,
}


def default_mapping() -> WorkflowMapping:
    """The mapping for the ART Kanban states, trainmaster's story workflow and common
    Jira / Azure DevOps status names. "Backlog" and "Reopened" are not started (a feature
    starts in Analyzing); cancelled or removed states are left unmapped."""
    return WorkflowMapping.from_names(DEFAULT_STATUSES)
