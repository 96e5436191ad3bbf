"""Queue background jobs and follow their progress."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from trainmaster.domain.job import JobStatus
from trainmaster.services import jobs
from trainmaster.web.security import ApiActor, Tm

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"])


class JobIn(BaseModel):
    kind: str
    payload: dict[str, Any] = {}
    art_id: int | None = None


class JobOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    kind: str
    status: JobStatus
    progress: float
    message: str
    result: dict[str, Any]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


@router.post("", status_code=202, response_model=JobOut)
def enqueue_job(body: JobIn, app: Tm, actor: ApiActor) -> Any:
    return jobs.enqueue_job(app.uow(), actor, body.kind, body.payload, art_id=body.art_id,
                            at=app.clock())


@router.get("/{job_id}", response_model=JobOut)
def get_job(job_id: int, app: Tm, actor: ApiActor) -> Any:
    return jobs.get_job(app.uow(), actor, job_id)
