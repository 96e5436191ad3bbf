"""Program Board rendering: the demo train's current PI, and a 12-team PI of 300 features.

Each page is requested through the real web app (FastAPI + SQLite, logged in as the RTE)
several times and the median is printed, beside the same PI's plain features-by-iteration
page (/pis/{id}) as the baseline: the board page adds strings, states, cycles, capacity and
load, milestones, the baseline diff and the decisions panel to the same read.

    .venv/bin/python bench/bench_board.py [--repeat 15] [--features 300] [--teams 12]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from trainmaster.bootstrap import App, build
from trainmaster.config import Settings
from trainmaster.domain.access import SYSTEM, Role
from trainmaster.domain.art import Absence, Membership, Person, Team
from trainmaster.domain.dependency import Agreement, Dependency
from trainmaster.domain.event import Event, EventKind
from trainmaster.domain.pi import Iteration, Pi
from trainmaster.domain.work_item import FIBONACCI, ItemLevel, WorkItem, WorkType
from trainmaster.services import auth, catalog, demo, overview
from trainmaster.services.unit_of_work import UnitOfWork
from trainmaster.web.app import create_app

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
PASSWORD = "bench-password"
TYPES = (WorkType.BUSINESS, WorkType.BUSINESS, WorkType.BUSINESS, WorkType.ENABLER,
         WorkType.DEFECT, WorkType.TECH_DEBT)


def fresh_app(folder: Path, name: str) -> App:
    app = build(Settings(database_url=f"sqlite:///{folder / name}", data_dir=folder))
    app.clock = lambda: NOW
    return app


def _people(uow: UnitOfWork, rnd: random.Random, team_ids: list[int], pi: Pi) -> None:
    for team in team_ids:
        for n in range(8):
            person = uow.people.add(Person(name=f"P{team}-{n}"))
            role = "scrum_master" if n == 7 else "tester" if n > 4 else "developer"
            uow.memberships.add(Membership(team_id=team, person_id=person.id or 0, role=role,
                                           allocation=rnd.choice([1, 1, 0.5])))
            days = {pi.start_date + timedelta(days=rnd.randrange(56)) for _ in range(3)}
            uow.absences.add_all(Absence(person_id=person.id or 0, day=d)
                                 for d in sorted(days)[:rnd.randrange(4)])


def _features(uow: UnitOfWork, rnd: random.Random, art_id: int, pi: Pi, team_ids: list[int],
              dev: list[Iteration], count: int) -> list[WorkItem]:
    items = []
    for n in range(count):
        it = None if rnd.random() < 0.08 else rnd.choice(dev)
        f = uow.items.add(WorkItem(
            art_id=art_id, level=ItemLevel.FEATURE, key=f"BIG-{n + 1}",
            title=f"Feature {n + 1} of the bench train", work_type=rnd.choice(TYPES),
            team_id=team_ids[n % len(team_ids)], pi_id=pi.id,
            iteration_id=it.id if it else None, points=float(rnd.choice(FIBONACCI)),
            business_value=rnd.choice(FIBONACCI), time_criticality=rnd.choice(FIBONACCI),
            risk_reduction=rnd.choice(FIBONACCI), job_size=rnd.choice(FIBONACCI),
            status="implementing", created_at=NOW))
        items.append(f)
        home = it or rnd.choice(dev)
        for s in range(3):
            st = rnd.choice([i for i in dev if i.index <= home.index])
            uow.items.add(WorkItem(
                art_id=art_id, level=ItemLevel.STORY, key=f"BIG-{n + 1}-{s}", title="story",
                team_id=f.team_id, pi_id=pi.id, iteration_id=st.id, parent_id=f.id,
                points=float(rnd.choice((1, 2, 3, 5, 8))), created_at=NOW))
    return items


def _dependencies(uow: UnitOfWork, rnd: random.Random, items: list[WorkItem]) -> None:
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < len(items):
        a, b = rnd.sample(items, 2)
        if a.team_id != b.team_id:
            pairs.add((a.id or 0, b.id or 0))
    uow.dependencies.add_all(Dependency(consumer_id=c, provider_id=p, created_at=NOW,
                                        agreement=rnd.choice(list(Agreement)))
                             for c, p in sorted(pairs))


def big_pi(app: App, teams: int, features: int, seed: int = 11) -> int:
    """An ART of `teams` teams and one PI holding `features` features, 3 stories each,
    as many dependencies between features of different teams, absences and milestones."""
    rnd = random.Random(seed)
    art = catalog.create_entity(app.uow(), SYSTEM, "arts", {"name": "Bench ART", "key": "BIG",
                                                            "timezone": "Europe/Berlin"}, at=NOW)
    pi = catalog.create_entity(app.uow(), SYSTEM, "pis", {
        "art_id": art.id, "name": "PI 27.1", "start_date": date(2027, 1, 11)}, at=NOW)
    with app.uow() as uow:
        team_ids = [uow.teams.add(Team(art_id=art.id or 0, name=f"Team {n:02}")).id or 0
                    for n in range(teams)]
        dev = [i for i in uow.iterations.find(pi_id=pi.id, order_by="index") if not i.is_ip]
        _people(uow, rnd, team_ids, pi)
        _dependencies(uow, rnd, _features(uow, rnd, art.id or 0, pi, team_ids, dev, features))
        for it in dev:
            start = datetime.combine(it.end_date - timedelta(days=3), datetime.min.time(), UTC)
            uow.events.add(Event(art_id=art.id or 0, kind=EventKind.SYSTEM_DEMO, pi_id=pi.id,
                                 title=f"System Demo {it.name}", start=start,
                                 end=start + timedelta(hours=1)))
        uow.commit()
    auth.add_user(app.uow(), SYSTEM, "rte", PASSWORD, art_id=art.id, roles=(Role.RTE,), at=NOW)
    return pi.id or 0


def client_for(app: App, username: str, password: str) -> TestClient:
    client = TestClient(create_app(app))
    response = client.post("/login", data={"username": username, "password": password},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


def median_ms(client: TestClient, path: str, repeat: int) -> tuple[float, int]:
    response = client.get(path)  # warm-up: templates, mappers, caches
    assert response.status_code == 200, f"{path}: {response.status_code}"
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, len(response.content)


def report(label: str, client: TestClient, pi_id: int, repeat: int) -> None:
    base, _ = median_ms(client, f"/pis/{pi_id}", repeat)
    print(f"\n{label}")
    print(f"  {'/pis/{id} (features per iteration, baseline)':52} {base:8.1f} ms")
    for path, what in ((f"/pis/{pi_id}/board", "board page (HTML)"),
                       (f"/api/v1/pis/{pi_id}/board", "board JSON (API)"),
                       (f"/pis/{pi_id}/board.svg", "board SVG export"),
                       (f"/pis/{pi_id}/board.pdf", "board PDF export")):
        ms, size = median_ms(client, path, repeat)
        print(f"  {what:52} {ms:8.1f} ms  {ms / base:5.1f}x baseline  {size / 1024:7.0f} KiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--teams", type=int, default=12)
    parser.add_argument("--features", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        app = fresh_app(folder, "demo.db")
        demo.build_demo(app.uow(), SYSTEM, seed=7, arts=1, teams=8, pis=3, today=NOW.date(),
                        at=NOW)
        pis = overview.list_pis(app.uow(), SYSTEM, 1)
        current = overview.current_pi(pis, NOW.date())
        assert current is not None
        model_size = overview.pi_plan(app.uow(), SYSTEM, current.id or 0)
        features = sum(len(v) for v in model_size.cells.values())
        report(f"demo train, {current.name}: 8 teams, {features} features "
               f"(median of {args.repeat} requests)",
               client_for(app, "alice", demo.demo_password("alice")), current.id or 0,
               args.repeat)
        big = fresh_app(folder, "big.db")
        pi_id = big_pi(big, args.teams, args.features)
        report(f"bench PI: {args.teams} teams, {args.features} features, "
               f"{args.features * 3} stories, {args.features} dependencies "
               f"(median of {args.repeat} requests)",
               client_for(big, "rte", PASSWORD), pi_id, args.repeat)


if __name__ == "__main__":
    main()
