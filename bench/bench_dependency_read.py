"""Dependency analysis read from the database: the whole use case against an object read.

A demo portfolio (`--arts` trains of 8 teams with their history, about 2,000 items each)
gets `--extra` more random dependencies (a fifth across ARTs). Timed, median of `--repeat`:

- `analyse_dependencies` for one PI, one ART and the whole portfolio: columnar read of every
  table involved, graph analysis (states, cycles, critical path, team matrix, hot spots) and
  the read model the page and the API render;
- the baseline: only reading the same items and dependencies as domain objects through the
  repositories' `find` (what a straightforward implementation would start with).

    .venv/bin/python bench/bench_dependency_read.py [--arts 10] [--extra 50000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from trainmaster.bootstrap import App, build
from trainmaster.config import Settings
from trainmaster.domain.access import SYSTEM
from trainmaster.domain.dependency import Agreement
from trainmaster.services import demo
from trainmaster.services.dependency_graph import analyse_dependencies

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def build_portfolio(folder: Path, arts: int, extra: int, seed: int) -> App:
    app = build(Settings(database_url=f"sqlite:///{folder / 'bench.db'}", data_dir=folder))
    app.clock = lambda: NOW
    demo.build_demo(app.uow(), SYSTEM, seed=seed, arts=arts, teams=8, pis=3, today=NOW.date(),
                    at=NOW)
    rnd = random.Random(seed)
    with app.uow() as uow:
        cols = uow.items.columns(("id", "art_id"), level=["feature", "story"])
        taken = set(zip(*uow.dependencies.columns(("consumer_id", "provider_id")).values(),
                        strict=True))
        by_art: dict[int, list[int]] = {}
        for item_id, art_id in zip(cols["id"], cols["art_id"], strict=True):
            by_art.setdefault(art_id, []).append(item_id)
        rows, next_id = [], uow.dependencies.max_id() + 1
        while len(rows) < extra:
            a = rnd.choice(list(by_art))
            b = a if rnd.random() < 0.8 else rnd.choice(list(by_art))
            pair = (rnd.choice(by_art[a]), rnd.choice(by_art[b]))
            if pair[0] == pair[1] or pair in taken:
                continue
            taken.add(pair)
            rows.append({"id": next_id, "consumer_id": pair[0], "provider_id": pair[1],
                         "description": "", "needed_by_iteration_id": None,
                         "agreement": Agreement.ACCEPTED, "offered_iteration_id": None,
                         "created_at": NOW})
            next_id += 1
        uow.dependencies.bulk_insert_rows(rows)
        uow.commit()
    return app


def object_read(app: App, **where: object) -> Callable[[], object]:
    def read() -> object:
        with app.uow() as uow:
            items = uow.items.find(level=["feature", "story"], **where)
            ids = [i.id for i in items]
            deps = (uow.dependencies.find() if not where else
                    uow.dependencies.find(consumer_id=ids) + uow.dependencies.find(provider_id=ids))
            return len(items), len(deps)
    return read


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm the caches once
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arts", type=int, default=10)
    parser.add_argument("--extra", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = build_portfolio(Path(folder), args.arts, args.extra, args.seed)
        with app.uow() as uow:
            pi = next(p for p in uow.pis.find(art_id=1) if p.state.value == "executing")
            n_items, n_deps = uow.items.count(), uow.dependencies.count()
        print(f"{args.arts} ARTs · {n_items} items · {n_deps} dependencies (SQLite)")
        print(f"{'scope':<12}{'dependencies':>14}{'analysis':>12}{'object read':>14}{'ratio':>8}")
        for label, scope, where in (("one PI", {"pi_id": pi.id}, {"pi_id": pi.id}),
                                    ("one ART", {"art_id": 1}, {"art_id": 1}),
                                    ("portfolio", {}, {})):
            found = analyse_dependencies(app.uow(), SYSTEM, **scope)  # type: ignore[arg-type]
            ours = median_ms(lambda s=scope: analyse_dependencies(  # type: ignore[misc]
                app.uow(), SYSTEM, **s), args.repeat)
            base = median_ms(object_read(app, **where), args.repeat)
            print(f"{label:<12}{len(found.dependencies):>14}{ours:>10.0f} ms{base:>11.0f} ms"
                  f"{base / ours:>7.1f}×")
        app.engine.dispose()


if __name__ == "__main__":
    main()
