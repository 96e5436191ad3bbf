"""Background jobs kept in the database: any web worker or `trainmaster worker` runs them.

An area registers a handler for a job kind with `@handler("kind")`; the handler receives a
`JobContext` (unit-of-work factory, clock, progress callback) and the job's payload and
returns a JSON-ready result.
"""

from __future__ import annotations

import importlib
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from trainmaster.domain.access import Actor, Permission
from trainmaster.domain.errors import Invalid, TrainmasterError
from trainmaster.domain.job import Job, JobStatus
from trainmaster.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class JobContext:
    """What a handler gets besides the payload: who queued the job (never taken from the
    payload, which the caller controls) and the worker's data folder for caches."""

    uow: Callable[[], UnitOfWork]
    clock: Callable[[], datetime]
    progress: Callable[[float, str], None]
    user_id: int | None = None
    data_dir: Path | None = None


Handler = Callable[[JobContext, dict[str, Any]], dict[str, Any]]
HANDLERS: dict[str, tuple[Handler, Permission]] = {}
Periodic = Callable[[Callable[[], UnitOfWork], datetime], object]
PERIODIC: list[Periodic] = []

# the modules that register handlers and periodic checks, imported before any job runs
JOB_MODULES = (
    "trainmaster.services.triage",
    "trainmaster.services.risk_radar",
    "trainmaster.services.suggestions",
)


def load_handlers() -> None:
    for name in JOB_MODULES:
        importlib.import_module(name)


def periodic(fn: Periodic) -> Periodic:
    """Register a check the worker loop runs about once a minute (e.g. due retraining)."""
    if fn not in PERIODIC:
        PERIODIC.append(fn)
    return fn


def handler(kind: str, permission: Permission) -> Callable[[Handler], Handler]:
    """Register the function that runs jobs of `kind` (queued by actors with `permission`)."""
    def register(fn: Handler) -> Handler:
        HANDLERS[kind] = (fn, permission)
        return fn
    return register


def work(make_uow: Callable[[], UnitOfWork], clock: Callable[[], datetime], *,
         stop: Callable[[], bool], wait: Callable[[float], object], poll: float = 1.0,
         data_dir: Path | None = None) -> int:
    """Run jobs until `stop()` says so, waiting `poll` seconds when the queue is empty.

    About once a minute the registered periodic checks run first (they may queue jobs).
    """
    load_handlers()
    done, last_check = 0, None
    while not stop():
        now = clock()
        if last_check is None or (now - last_check).total_seconds() >= 60:
            for check in PERIODIC:
                check(make_uow, now)
            last_check = now
        if run_next_job(make_uow, clock, data_dir=data_dir) is None:
            wait(poll)
        else:
            done += 1
    return done


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def enqueue_job(uow: UnitOfWork, actor: Actor, kind: str, payload: dict[str, Any], *,
                art_id: int | None, at: datetime) -> Job:
    load_handlers()
    if kind not in HANDLERS:
        raise Invalid(f"unknown job kind {kind!r}", field="kind")
    actor.require(HANDLERS[kind][1], art_id)
    with uow:
        job = uow.jobs.add(Job(kind=kind, created_at=at, payload=dict(payload),
                               created_by=actor.user_id))
        uow.commit()
        return job


def get_job(uow: UnitOfWork, actor: Actor, job_id: int) -> Job:
    with uow:
        job = uow.jobs.get(job_id)
        if not actor.is_admin and job.created_by != actor.user_id:
            actor.require(Permission.MANAGE_TRAIN)
        return job


def run_next_job(make_uow: Callable[[], UnitOfWork], clock: Callable[[], datetime],
                 worker: str | None = None, data_dir: Path | None = None) -> Job | None:
    """Claim and run one queued job; returns it finished (or None when the queue is empty)."""
    worker = worker or worker_name()
    load_handlers()
    with make_uow() as uow:
        job = uow.jobs.claim_next(sorted(HANDLERS), worker, clock())
    if job is None:
        return None
    job_id = job.id or 0

    def progress(share: float, message: str) -> None:
        _update(make_uow, job_id, progress=max(0.0, min(1.0, share)), message=message)

    fn, _ = HANDLERS[job.kind]
    try:
        context = JobContext(make_uow, clock, progress, job.created_by, data_dir)
        result = fn(context, dict(job.payload))
    except TrainmasterError as exc:
        return _update(make_uow, job_id, status=JobStatus.FAILED, message=str(exc),
                       finished_at=clock())
    except Exception as exc:  # the failure is kept on the job for whoever queued it
        return _update(make_uow, job_id, status=JobStatus.FAILED,
                       message=f"{type(exc).__name__}: {exc}", finished_at=clock())
    return _update(make_uow, job_id, status=JobStatus.DONE, progress=1.0, result=result,
                   message="done", finished_at=clock())


def _update(make_uow: Callable[[], UnitOfWork], job_id: int, **values: Any) -> Job:
    with make_uow() as uow:
        job = uow.jobs.get(job_id)
        for name, value in values.items():
            setattr(job, name, value)
        uow.commit()
        return job
