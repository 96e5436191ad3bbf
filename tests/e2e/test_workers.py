"""Several `trainmaster serve` processes over one database behave as one."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import PASSWORD, ROLE_USERS, ensure_user, seed_train
from trainmaster.domain.access import Role

STARTUP_DEADLINE_S = 120     # generous: a machine busy with other jobs starts slowly


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Worker:
    """One `trainmaster serve` process whose log is kept for when it fails to start."""

    def __init__(self, url: str, port: int, log: Path) -> None:
        exe = Path(sys.executable).with_name("trainmaster")
        env = {**os.environ, "TRAINMASTER_DATABASE_URL": url}
        self.base = f"http://127.0.0.1:{port}"
        self.log = log
        with log.open("wb") as sink:
            self.proc = subprocess.Popen([str(exe), "serve", "--port", str(port), "--no-jobs"],
                                         env=env, stdout=sink, stderr=subprocess.STDOUT)

    def wait_ready(self, deadline_s: float = STARTUP_DEADLINE_S) -> None:
        """Poll the health check until it answers; a busy machine may take a while."""
        deadline = time.monotonic() + deadline_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self._fail(f"exited with code {self.proc.returncode}")
            try:
                if httpx.get(f"{self.base}/api/v1/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self._fail(f"did not answer within {deadline_s:.0f} s")

    def _fail(self, why: str) -> None:
        tail = self.log.read_text(errors="replace").splitlines()[-30:]
        raise AssertionError(f"{self.base} {why}; its log ends:\n" + "\n".join(tail))

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def two_workers(tm, tmp_path):
    seed_train(tm)
    ensure_user(tm, Role.PRODUCT_OWNER)
    workers = [Worker(tm.settings.database_url, _free_port(), tmp_path / f"serve-{n}.log")
               for n in (1, 2)]
    try:
        for worker in workers:
            worker.wait_ready()
        yield [worker.base for worker in workers]
    finally:
        for worker in workers:
            worker.stop()


def test_a_login_on_one_worker_is_honoured_by_another(two_workers):
    a, b = two_workers
    with httpx.Client(base_url=a) as client_a:
        response = client_a.post("/login", data={"username": ROLE_USERS[Role.PRODUCT_OWNER],
                                                 "password": PASSWORD})
        assert response.status_code == 303
        cookie = client_a.cookies["tm_session"]
        page = client_a.get("/arts/PAY").text
        csrf = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    with httpx.Client(base_url=b, cookies={"tm_session": cookie}) as client_b:
        assert client_b.get("/arts/PAY").status_code == 200
        changed = client_b.patch("/api/v1/items/1", json={"title": "Pay by link v2"},
                                 headers={"X-CSRF-Token": csrf})
        assert changed.status_code == 200
    with httpx.Client(base_url=a, cookies={"tm_session": cookie}) as client_a:
        assert client_a.get("/api/v1/items/1").json()["title"] == "Pay by link v2"
