"""Import 100,000 Jira issues with their status histories from a local Jira, end to end.

A Jira Cloud imitation (tests/trackers.py, the one the tests use) runs in a child process on
127.0.0.1 and serves generated issues in the REST API v3 shapes: search pages of 100 with
the changelog expanded, and the changelog endpoint for the issues whose embedded changelog
is cut. The import is trainmaster's real path: HTTP client, parsing, mapping, one
transaction of bulk inserts.

Baseline, in the same run: the naive store, one ORM `add` + flush per row (item, its status
changes, its external record) on a sample of the same fetched issues, scaled to the full set.

    .venv/bin/python bench/bench_import.py [--issues 100000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import dataclasses
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.trackers import JiraServer, serve  # noqa: E402

from trainmaster.bootstrap import build  # noqa: E402
from trainmaster.config import Settings  # noqa: E402
from trainmaster.domain.access import SYSTEM  # noqa: E402
from trainmaster.domain.sync import ExternalItem, TeamRule  # noqa: E402
from trainmaster.domain.work_item import StatusChange, WorkItem  # noqa: E402
from trainmaster.integrations import jira  # noqa: E402
from trainmaster.integrations.mapping import load_mapping  # noqa: E402
from trainmaster.services import imports  # noqa: E402
from trainmaster.services.import_rows import external_values  # noqa: E402

TEAMS = ("OSP", "KES", "FAL", "HAW", "OWL", "EGL", "KIT", "ROB")
FLOW = ("To Do", "In Progress", "In Review", "Done")
NOW = datetime(2026, 11, 24, 9, tzinfo=UTC)


def generate(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """n issues in Jira's search shape: epics and features in PAY, stories in team projects."""
    rng = random.Random(seed)
    epics, features = max(1, n // 500), max(1, n // 50)
    out = []
    for i in range(n):
        if i < epics:
            key, kind, parent = f"PAY-{i + 1}", "Epic", None
        elif i < epics + features:
            key, kind, parent = f"PAY-{i + 1}", "Feature", f"PAY-{rng.randrange(epics) + 1}"
        else:
            key = f"{TEAMS[i % len(TEAMS)]}-{i + 1}"
            kind = rng.choice(("Story", "Story", "Story", "Bug", "Enabler"))
            parent = f"PAY-{epics + rng.randrange(features) + 1}"
        out.append(_issue(rng, i, key, kind, parent))
    for issue in rng.sample(out[epics + features:], k=max(1, n // 1000)):
        _long_history(issue)
    return out


def _issue(rng: random.Random, i: int, key: str, kind: str, parent: str | None
           ) -> dict[str, Any]:
    created = NOW - timedelta(days=rng.randrange(20, 400), minutes=rng.randrange(1440))
    steps = rng.randrange(0, len(FLOW))
    when, histories = created, []
    for s in range(steps):
        when += timedelta(hours=rng.randrange(2, 120))
        histories.append({"id": str(100000 + i * 10 + s), "created": _stamp(when), "items": [{
            "field": "status", "fieldtype": "jira", "fieldId": "status",
            "from": str(s), "fromString": FLOW[s], "to": str(s + 1), "toString": FLOW[s + 1]}]})
    fields: dict[str, Any] = {
        "summary": f"{kind} {key}: make payments faster", "issuetype": {"id": "1", "name": kind},
        "status": {"id": str(steps), "name": FLOW[steps]},
        "project": {"id": "1", "key": key.split("-")[0]}, "created": _stamp(created),
        "updated": _stamp(when), "components": [], "labels": ["bench"] if i % 7 == 0 else [],
        "fixVersions": [], "description": None,
        "customfield_10028": rng.choice((1, 2, 3, 5, 8)) if kind != "Epic" else None,
        "customfield_10016": None, "customfield_10014": None,
        "customfield_10020": [{"id": 1 + i % 26, "name": f"Sprint {1 + i % 26}", "state": "closed",
                               "boardId": 1, "startDate": _stamp(created),
                               "endDate": _stamp(created + timedelta(days=14))}],
        "issuelinks": [{"id": str(i), "type": {"id": "10000", "name": "Blocks",
                                               "inward": "is blocked by", "outward": "blocks"},
                        "outwardIssue": {"id": str(i + 1), "key": f"{key.split('-')[0]}-"
                                                                  f"{i + 1 + len(TEAMS)}"}}]
        if kind == "Story" and i % 10 == 0 else [],
    }
    if parent:
        fields["parent"] = {"id": "0", "key": parent}
    return {"id": str(10000 + i), "key": key, "fields": fields,
            "changelog": {"startAt": 0, "maxResults": len(histories), "total": len(histories),
                          "histories": histories}}


def _long_history(issue: dict[str, Any]) -> None:
    """An issue that went back and forth 150 times: its changelog needs paging."""
    start = datetime.fromisoformat(issue["fields"]["created"].replace("+0000", "+00:00"))
    histories, state = [], "To Do"
    for s in range(150):
        nxt = "In Progress" if state != "In Progress" else "In Review"
        histories.append({"id": str(9000000 + s), "created": _stamp(start + timedelta(hours=s)),
                          "items": [{"field": "status", "fieldId": "status", "fromString": state,
                                     "toString": nxt}]})
        state = nxt
    issue["fields"]["status"] = {"id": "9", "name": state}
    issue["changelog"] = {"startAt": 0, "maxResults": 150, "total": 150, "histories": histories}


def _stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.000+0000")


def _serve(n: int, port_out: Any, stop: Any) -> None:
    fake = JiraServer(generate(n), page_size=100, embedded_changelog=100, changelog_page=100,
                      cache_searches=True)
    with serve(fake) as url:
        port_out.put(url)
        stop.wait()


def mapping_for_bench():
    found = load_mapping(ROOT / "tests" / "fixtures" / "jira" / "mapping.toml")
    teams = tuple(TeamRule(name=f"Team {t}", projects=frozenset({t.casefold()}))
                  for t in TEAMS)
    return (dataclasses.replace(found.mapping, teams=teams),
            dataclasses.replace(found.jira, projects=("PAY", *TEAMS), boards=()))


def timed_import(url: str, database_url: str, tmp: Path
                 ) -> tuple[float, float, float, Any]:
    mapping, scope = mapping_for_bench()
    app = build(Settings(database_url=database_url, data_dir=tmp))
    source = jira.connect(dataclasses.replace(scope, url=url), mapping, "token")
    fetched: list[Any] = []
    fetch_time = [0.0]

    class Timed:
        kind, location, scope_text = source.kind, source.location, source.scope_text

        def fetch(self, since, progress=None):
            start = time.perf_counter()
            fetched.extend(source.fetch(since, progress))
            fetch_time[0] = time.perf_counter() - start
            return fetched

    start, cpu = time.perf_counter(), time.process_time()
    report = imports.run_import(app.uow(), SYSTEM, mapping, Timed(), at=NOW)
    total, cpu = time.perf_counter() - start, time.process_time() - cpu
    source.close()
    app.engine.dispose()
    return total, fetch_time[0], cpu, (report, fetched, mapping)


def naive_store(items: list[Any], mapping: Any, database_url: str, tmp: Path) -> float:
    """One ORM add + flush per row: the baseline a straightforward import would write."""
    app = build(Settings(database_url=database_url, data_dir=tmp))
    with app.uow() as uow:
        from trainmaster.domain.art import Art
        from trainmaster.domain.sync import SyncSource
        art = uow.arts.add(Art(name="Naive", key="NAIVE"))
        src = uow.sync_sources.add(SyncSource(art_id=art.id or 0, kind="jira", location="x",
                                              scope="naive", created_at=NOW))
        start = time.perf_counter()
        for item in items:
            level = mapping.level_of(item.issue_type)
            if level is None:
                continue
            obj = uow.items.add(WorkItem(art_id=art.id or 0, level=level, key=item.key,
                                         title=item.title, external_key=item.key,
                                         status=mapping.item_status(level, item.status),
                                         points=item.points, created_at=item.created,
                                         updated_at=item.updated))
            for step in item.history:
                uow.status_changes.add(StatusChange(item_id=obj.id or 0, at=step.at,
                                                    to_status=mapping.item_status(
                                                        level, step.to_status)))
            uow.external_items.add(ExternalItem(item_id=obj.id or 0, source_id=src.id or 0,
                                                **external_values(item)))
        uow.commit()
        elapsed = time.perf_counter() - start
    app.engine.dispose()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=5_000, help="baseline sample size")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    ctx = multiprocessing.get_context("spawn")
    port_out, stop = ctx.Queue(), ctx.Event()
    server = ctx.Process(target=_serve, args=(args.issues, port_out, stop), daemon=True)
    print(f"generating {args.issues:,} issues in the local Jira ...", flush=True)
    server.start()
    url = port_out.get(timeout=600)
    try:
        totals, fetches, cpus = [], [], []
        for run in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp:
                db = args.database_url or f"sqlite:///{tmp}/bench.db"
                _empty(db, Path(tmp))
                total, fetch, cpu, (report, fetched, mapping) = timed_import(url, db, Path(tmp))
                totals.append(total)
                fetches.append(fetch)
                cpus.append(cpu)
                print(f"run {run + 1}: {total:.2f} s (fetch {fetch:.2f} s, store "
                      f"{total - fetch:.2f} s; importing process CPU {cpu:.2f} s; load "
                      f"average {os.getloadavg()[0]:.1f}) - {report.created_total:,} items, "
                      f"{report.history_rows:,} status changes, "
                      f"{report.dependencies_created:,} dependencies", flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            db = args.database_url or f"sqlite:///{tmp}/naive.db"
            _empty(db, Path(tmp))
            sample = fetched[:args.sample]
            naive = naive_store(sample, mapping, db, Path(tmp)) * len(fetched) / len(sample)
    finally:
        stop.set()
        server.join(timeout=10)
    total, fetch = statistics.median(totals), statistics.median(fetches)
    cpu = statistics.median(cpus)
    store = total - fetch
    backend = "postgresql" if "postgres" in (args.database_url or "") else "sqlite"
    print(f"\nimport of {len(fetched):,} issues with histories ({backend}), median of "
          f"{args.runs}: {total:.2f} s ({len(fetched) / total:,.0f} issues/s; target < 20 s: "
          f"{'met' if total < 20 else 'MISSED'})")
    print(f"  fetch over HTTP + parse: {fetch:.2f} s; store (one transaction, bulk): "
          f"{store:.2f} s; CPU time of the importing process: {cpu:.2f} s (the local Jira "
          f"runs in its own process)")
    print(f"baseline, per-row ORM add+flush, sampled on {len(sample):,} issues and scaled: "
          f"store {naive:.1f} s -> whole import {fetch + naive:.1f} s")
    print(f"ratio: store {naive / store:.1f}x faster, whole import "
          f"{(fetch + naive) / total:.1f}x faster than the baseline")


def _empty(url: str, tmp: Path) -> None:
    """A migrated, empty database (PostgreSQL tables are emptied between runs)."""
    from sqlalchemy import text

    from trainmaster.storage.schema import all_metadata
    engine = build(Settings(database_url=url, data_dir=tmp)).engine
    if engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in all_metadata().sorted_tables)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


if __name__ == "__main__":
    main()
