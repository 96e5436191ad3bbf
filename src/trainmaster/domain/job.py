"""Background jobs kept in the database so any worker can run or report them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass
class Job:
    kind: str
    created_at: datetime
    payload: dict[str, Any] = field(default_factory=dict)
    status: JobStatus = JobStatus.QUEUED
    progress: float = 0.0
    message: str = ""
    result: dict[str, Any] = field(default_factory=dict)
    worker: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    created_by: int | None = None
    id: int | None = None
