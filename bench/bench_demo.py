"""How long `trainmaster demo` takes to build its train, against storing the same rows
through the ORM one object at a time (the baseline, run in the same process).

    .venv/bin/python bench/bench_demo.py [--arts 1 10] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from trainmaster.bootstrap import App, build
from trainmaster.config import Settings
from trainmaster.domain.access import SYSTEM
from trainmaster.services import demo
from trainmaster.services.demo import LOAD_ORDER
from trainmaster.simulation import generate

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def _fresh_app(folder: Path, name: str) -> App:
    return build(Settings(database_url=f"sqlite:///{folder / name}", data_dir=folder))


def time_demo(arts: int, folder: Path, run: int) -> float:
    app = _fresh_app(folder, f"demo-{arts}-{run}.db")
    start = time.perf_counter()
    demo.build_demo(app.uow(), SYSTEM, seed=7, arts=arts, teams=8, pis=3,
                    today=NOW.date(), at=NOW)
    elapsed = time.perf_counter() - start
    app.engine.dispose()
    return elapsed


def time_orm_baseline(arts: int, folder: Path, run: int) -> float:
    """Generate the same train and add every row as an ORM object, flushing per table."""
    app = _fresh_app(folder, f"orm-{arts}-{run}.db")
    start = time.perf_counter()
    data = generate(7, arts=arts, teams=8, pis=3, today=NOW.date())
    with app.uow() as uow:
        for name in LOAD_ORDER:
            uow.repo(name).add_all(getattr(data, name))
        uow.commit()
    elapsed = time.perf_counter() - start
    app.engine.dispose()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--arts", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for arts in args.arts:
            ours = statistics.median(time_demo(arts, folder, r) for r in range(args.repeat))
            base = statistics.median(time_orm_baseline(arts, folder, r)
                                     for r in range(args.repeat))
            print(f"{arts:>3} ART(s) x 8 teams x 3 PIs: demo {ours:6.2f} s "
                  f"(includes 7 users' password hashes), ORM baseline {base:6.2f} s, "
                  f"ratio {base / ours:4.1f}x")


if __name__ == "__main__":
    main()
