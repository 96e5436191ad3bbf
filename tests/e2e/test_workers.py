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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(url: str, port: int) -> subprocess.Popen[bytes]:
    exe = Path(sys.executable).with_name("trainmaster")
    env = {**os.environ, "TRAINMASTER_DATABASE_URL": url}
    return subprocess.Popen([str(exe), "serve", "--port", str(port), "--no-jobs"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait(base: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"{base} did not start")


@pytest.fixture
def two_workers(tm):
    seed_train(tm)
    ensure_user(tm, Role.PRODUCT_OWNER)
    ports = [_free_port(), _free_port()]
    procs = [_serve(tm.settings.database_url, p) for p in ports]
    try:
        bases = [f"http://127.0.0.1:{p}" for p in ports]
        for base in bases:
            _wait(base)
        yield bases
    finally:
        for p in procs:
            p.terminate()
            p.wait(timeout=20)


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
