"""Export a PI — features, stories, dependencies, objectives, risks — as CSV or JSON.

Every table is rows of plain values keyed by column name; CSV writes one file per table
(into a folder, or a .zip), JSON one document holding all tables. References are written as
people read them (keys, team and iteration names), not as database ids.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from trainmaster.domain.access import Actor, Permission
from trainmaster.domain.dependency import dependency_state
from trainmaster.domain.errors import Invalid
from trainmaster.domain.work_item import ItemLevel, WorkItem
from trainmaster.services.unit_of_work import UnitOfWork

Row = dict[str, Any]
TABLES = ("features", "stories", "dependencies", "objectives", "risks")
FORMATS = ("csv", "json")


@dataclass(frozen=True)
class PiExport:
    art: Row
    pi: Row
    iterations: list[Row]
    tables: dict[str, list[Row]]

    def document(self) -> dict[str, Any]:
        return {"format": "trainmaster-pi-export", "version": 1, "art": self.art, "pi": self.pi,
                "iterations": self.iterations, **self.tables}


def export_pi(uow: UnitOfWork, actor: Actor, pi_id: int) -> PiExport:
    """The PI's plan and results as tables of plain values."""
    with uow:
        pi = uow.pis.get(pi_id)
        actor.require(Permission.VIEW, pi.art_id)
        art = uow.arts.get(pi.art_id)
        features = uow.items.find(pi_id=pi_id, level=ItemLevel.FEATURE.value, order_by="key")
        stories = {s.id: s for s in uow.items.find(pi_id=pi_id, level=ItemLevel.STORY.value)}
        stories.update({s.id: s for s in uow.items.find(parent_id=[f.id for f in features],
                                                        level=ItemLevel.STORY.value)})
        items = {i.id: i for i in [*features, *stories.values()]}
        deps = _dependencies(uow, list(items))
        others = [d.provider_id for d in deps] + [d.consumer_id for d in deps]
        items.update({i.id: i for i in uow.items.find(id=[o for o in others if o not in items])})
        parents = [i.parent_id for i in items.values() if i.parent_id and i.parent_id not in items]
        items.update({i.id: i for i in uow.items.find(id=parents)})
        names = _Names(uow, pi.art_id, items)
        tables = {
            "features": [names.feature(f, stories.values()) for f in features],
            "stories": [names.story(s) for s in sorted(stories.values(), key=lambda s: s.key)],
            "dependencies": [names.dependency(d) for d in deps],
            "objectives": [names.objective(o) for o in uow.objectives.find(pi_id=pi_id)],
            "risks": [names.risk(r) for r in uow.risks.find(pi_id=pi_id)],
        }
        return PiExport(
            art={"key": art.key, "name": art.name, "timezone": art.timezone},
            pi={"name": pi.name, "start_date": pi.start_date, "end_date": pi.end_date,
                "state": pi.state.value},
            iterations=[{"index": i.index, "name": i.name, "start_date": i.start_date,
                         "end_date": i.end_date, "is_ip": i.is_ip}
                        for i in uow.iterations.find(pi_id=pi_id, order_by="index")],
            tables=tables)


def _dependencies(uow: UnitOfWork, item_ids: list[Any]) -> list[Any]:
    found = {}
    for start in range(0, len(item_ids), 500):
        part = item_ids[start:start + 500]
        for d in uow.dependencies.find(consumer_id=part) + uow.dependencies.find(provider_id=part):
            found[d.id] = d
    return sorted(found.values(), key=lambda d: d.id)


class _Names:
    """Turns ids into the names people read."""

    def __init__(self, uow: UnitOfWork, art_id: int, items: dict[Any, WorkItem]) -> None:
        self.items = items
        self.teams = {t.id: t.name for t in uow.teams.find(art_id=art_id)}
        wanted = {i.iteration_id for i in items.values() if i.iteration_id}
        self.iterations = {i.id: i for i in uow.iterations.find(id=list(wanted))} if wanted else {}
        self.uow = uow

    def _iteration(self, iteration_id: int | None) -> str:
        found = self.iterations.get(iteration_id)
        if found is None and iteration_id is not None:
            found = self.iterations.setdefault(iteration_id, self.uow.iterations.get(iteration_id))
        return found.name if found else ""

    def _key(self, item_id: int | None) -> str:
        return self.items[item_id].key if item_id in self.items else ""

    def _item(self, i: WorkItem) -> Row:
        return {"key": i.key, "title": i.title, "team": self.teams.get(i.team_id, ""),
                "iteration": self._iteration(i.iteration_id), "status": i.status,
                "work_type": i.work_type.value, "points": i.points,
                "parent": self._key(i.parent_id), "external_key": i.external_key or ""}

    def feature(self, f: WorkItem, stories: Any) -> Row:
        return {**self._item(f), "business_value": f.business_value,
                "time_criticality": f.time_criticality, "risk_reduction": f.risk_reduction,
                "job_size": f.job_size, "wsjf": None if f.wsjf is None else round(f.wsjf, 2),
                "story_points": sum(s.points or 0 for s in stories if s.parent_id == f.id),
                "acceptance_criteria": f.acceptance_criteria}

    def story(self, s: WorkItem) -> Row:
        return self._item(s)

    def dependency(self, d: Any) -> Row:
        consumer, provider = self.items[d.consumer_id], self.items[d.provider_id]
        return {"consumer": consumer.key, "consumer_team": self.teams.get(consumer.team_id, ""),
                "provider": provider.key, "provider_team": self.teams.get(provider.team_id, ""),
                "state": dependency_state(self._order(provider), self._order(consumer)).value,
                "agreement": d.agreement.value,
                "needed_by": self._iteration(d.needed_by_iteration_id),
                "offered": self._iteration(d.offered_iteration_id), "description": d.description}

    def _order(self, item: WorkItem) -> int | None:
        """Iterations compare by start date, so items of other PIs compare too."""
        if item.iteration_id is None:
            return None
        self._iteration(item.iteration_id)
        return self.iterations[item.iteration_id].start_date.toordinal()

    def objective(self, o: Any) -> Row:
        return {"team": self.teams.get(o.team_id, "") if o.team_id else "(program)",
                "text": o.text, "committed": o.committed, "planned_bv": o.planned_bv,
                "actual_bv": o.actual_bv,
                "features": " ".join(self._key(f) or str(f) for f in o.feature_ids)}

    def risk(self, r: Any) -> Row:
        owner = self.uow.people.get(r.owner_id).name if r.owner_id else ""
        return {"title": r.title, "description": r.description, "roam": r.roam.value,
                "owner": owner, "due": r.due, "created_at": r.created_at}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def render_json(export: PiExport) -> str:
    return json.dumps(export.document(), indent=2, ensure_ascii=False, default=_plain) + "\n"


def render_csv(rows: list[Row], columns: list[str]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else _plain(row.get(c)) for c in columns])
    return out.getvalue()


COLUMNS = {
    "features": ["key", "title", "team", "iteration", "status", "work_type", "points",
                 "story_points", "business_value", "time_criticality", "risk_reduction",
                 "job_size", "wsjf", "parent", "external_key", "acceptance_criteria"],
    "stories": ["key", "title", "parent", "team", "iteration", "status", "work_type", "points",
                "external_key"],
    "dependencies": ["consumer", "consumer_team", "provider", "provider_team", "state",
                     "agreement", "needed_by", "offered", "description"],
    "objectives": ["team", "text", "committed", "planned_bv", "actual_bv", "features"],
    "risks": ["title", "description", "roam", "owner", "due", "created_at"],
}


def write_export(export: PiExport, path: str | Path, fmt: str) -> list[Path]:
    """Write the export: JSON to `path`; CSV to a folder `path`, or a zip when it ends .zip."""
    path = Path(path)
    if fmt not in FORMATS:
        raise Invalid(f"{fmt!r} is not an export format ({', '.join(FORMATS)})", field="format")
    if fmt == "json":
        path.write_text(render_json(export), encoding="utf-8")
        return [path]
    files = {f"{name}.csv": render_csv(export.tables[name], COLUMNS[name]) for name in TABLES}
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in files.items():
                archive.writestr(name, text.encode("utf-8"))
        return [path]
    path.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (path / name).write_text(text, encoding="utf-8", newline="")
    return [path / name for name in files]
