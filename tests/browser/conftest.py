"""Real-browser fixtures: the demo train served on localhost, Debian's Chromium via Playwright."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn

from tests.conftest import NOW
from trainmaster.bootstrap import App, build
from trainmaster.config import Settings
from trainmaster.domain.access import SYSTEM
from trainmaster.services import demo
from trainmaster.web.app import create_app

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default demo train, built once per run on SQLite."""
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "demo.db"
    app = build(Settings(database_url=f"sqlite:///{path}", data_dir=folder))
    demo.build_demo(app.uow(), SYSTEM, seed=7, arts=1, teams=8, pis=3, today=NOW.date(), at=NOW)
    app.engine.dispose()
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    def __init__(self, app: App) -> None:
        self.tm = app
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(app), host="127.0.0.1", port=self.port,
                                log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 60     # a busy machine may take a while
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError(f"the test server on {self.url} did not start within 60 s")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def live(demo_template: Path, tmp_path: Path) -> Iterator[LiveServer]:
    """A fresh copy of the demo train served on a free localhost port."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    app = build(Settings(database_url=f"sqlite:///{path}", data_dir=tmp_path))
    app.clock = lambda: NOW
    with LiveServer(app) as server:
        yield server
    app.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page_as(browser: object, live: LiveServer) -> Iterator[Callable[[str], object]]:
    """Open a page logged in as one of the demo users (alice, bob, jon, sam, pat, tess, vic)."""
    contexts = []

    def login(username: str) -> object:
        context = browser.new_context(viewport={"width": 1600, "height": 1000})  # type: ignore[attr-defined]
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live.url}/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", demo.demo_password(username))
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        return page

    yield login
    for context in contexts:
        context.close()


def screenshot(page: object, name: str) -> Path:
    """Keep a screenshot as a test artefact under test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path
