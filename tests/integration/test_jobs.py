import threading

import pytest

from tests.factories import AT
from trainmaster.domain.access import SYSTEM, Permission
from trainmaster.domain.errors import Invalid
from trainmaster.domain.job import JobStatus
from trainmaster.services import jobs


@jobs.handler("test.sum", Permission.VIEW)
def _sum(ctx: jobs.JobContext, payload: dict) -> dict:
    ctx.progress(0.5, "half way")
    return {"total": sum(payload["numbers"])}


@jobs.handler("test.fail", Permission.VIEW)
def _fail(ctx: jobs.JobContext, payload: dict) -> dict:
    raise Invalid("the numbers are wrong", field="numbers")


def test_a_queued_job_runs_once_and_keeps_its_result(tm):
    job = jobs.enqueue_job(tm.uow(), SYSTEM, "test.sum", {"numbers": [1, 2, 3]}, art_id=None,
                           at=AT)
    assert job.status is JobStatus.QUEUED
    done = jobs.run_next_job(tm.uow, tm.clock, worker="w1")
    assert (done.id, done.status, done.result, done.progress) == (job.id, JobStatus.DONE,
                                                                  {"total": 6}, 1.0)
    assert jobs.run_next_job(tm.uow, tm.clock) is None


def test_a_failing_job_records_the_reason(tm):
    jobs.enqueue_job(tm.uow(), SYSTEM, "test.fail", {}, art_id=None, at=AT)
    failed = jobs.run_next_job(tm.uow, tm.clock)
    assert failed.status is JobStatus.FAILED and "numbers are wrong" in failed.message


def test_unknown_job_kinds_are_refused(tm):
    with pytest.raises(Invalid, match="unknown job kind"):
        jobs.enqueue_job(tm.uow(), SYSTEM, "nope", {}, art_id=None, at=AT)


def test_concurrent_workers_never_take_the_same_job(tm):
    for n in range(12):
        jobs.enqueue_job(tm.uow(), SYSTEM, "test.sum", {"numbers": [n]}, art_id=None, at=AT)
    taken: list[int] = []
    lock = threading.Lock()

    def worker(name: str) -> None:
        while (job := jobs.run_next_job(tm.uow, tm.clock, worker=name)) is not None:
            with lock:
                taken.append(job.id)

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(taken) == sorted(set(taken)) and len(taken) == 12


def test_the_worker_loop_runs_periodic_checks_before_the_queue(tm, monkeypatch):
    calls: list[object] = []
    monkeypatch.setattr(jobs, "PERIODIC", [])
    jobs.periodic(lambda make_uow, at: calls.append(at))
    jobs.enqueue_job(tm.uow(), SYSTEM, "test.sum", {"numbers": [4]}, art_id=None, at=AT)
    loops = iter([False, False, True])
    done = jobs.work(tm.uow, tm.clock, stop=lambda: next(loops), wait=lambda s: None)
    assert done == 1 and calls == [tm.clock()]


def test_a_handler_runs_with_the_queueing_user_not_the_payload(tm):
    seen: list[object] = []

    @jobs.handler("test.who", Permission.VIEW)
    def _who(ctx: jobs.JobContext, payload: dict) -> dict:
        seen.append((ctx.user_id, ctx.data_dir))
        return {}

    jobs.enqueue_job(tm.uow(), SYSTEM, "test.who", {"user_id": 42}, art_id=None, at=AT)
    jobs.run_next_job(tm.uow, tm.clock, data_dir=tm.settings.data_dir)
    assert seen == [(None, tm.settings.data_dir)]
