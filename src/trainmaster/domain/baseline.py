"""The PI's baseline: the plan frozen when the confidence vote commits, and what changed since.

A snapshot is plain JSON-ready data: features (with team and iteration), the iterations'
names, objectives and dependencies. `changes_since` compares two snapshots.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from trainmaster.domain.dependency import Dependency
from trainmaster.domain.objective import Objective
from trainmaster.domain.pi import Iteration
from trainmaster.domain.work_item import WorkItem


@dataclass
class Baseline:
    pi_id: int
    taken_at: datetime
    snapshot: dict[str, Any] = field(default_factory=dict)
    round_id: int | None = None
    by_user_id: int | None = None
    id: int | None = None


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    MOVED = "moved"
    CHANGED = "changed"


@dataclass(frozen=True)
class Change:
    """One difference from the baseline, e.g. feature PAY-7 moved from I2 to I3."""

    kind: ChangeKind
    subject: str           # feature, objective or dependency
    ref: int               # id of the feature, objective or dependency
    label: str
    before: str = ""
    after: str = ""


def snapshot_of(features: Iterable[WorkItem], iterations: Iterable[Iteration],
                objectives: Iterable[Objective], dependencies: Iterable[Dependency],
                team_names: Mapping[int, str]) -> dict[str, Any]:
    names = {i.id: i.name for i in iterations}
    keys = {}
    feature_rows = []
    for f in features:
        keys[f.id] = f.key
        feature_rows.append({
            "id": f.id, "key": f.key, "title": f.title, "points": f.points,
            "team_id": f.team_id, "team": team_names.get(f.team_id or 0, ""),
            "iteration_id": f.iteration_id, "iteration": names.get(f.iteration_id, "")})
    return {
        "features": feature_rows,
        "objectives": [{"id": o.id, "team_id": o.team_id, "team": team_names.get(o.team_id or 0,
                                                                                  "program"),
                        "text": o.text, "committed": o.committed, "planned_bv": o.planned_bv}
                       for o in objectives],
        "dependencies": [{"id": d.id, "consumer_id": d.consumer_id, "provider_id": d.provider_id,
                          "label": f"{keys.get(d.consumer_id, d.consumer_id)} needs "
                                   f"{keys.get(d.provider_id, d.provider_id)}",
                          "agreement": d.agreement.value} for d in dependencies],
    }


def _where(row: Mapping[str, Any]) -> str:
    return f"{row.get('team') or 'no team'} · {row.get('iteration') or 'unplanned'}"


def _feature_changes(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[Change]:
    old = {r["id"]: r for r in before}
    new = {r["id"]: r for r in after}
    out = [Change(ChangeKind.ADDED, "feature", i, f"{r['key']} {r['title']}", after=_where(r))
           for i, r in new.items() if i not in old]
    out += [Change(ChangeKind.REMOVED, "feature", i, f"{r['key']} {r['title']}",
                   before=_where(r)) for i, r in old.items() if i not in new]
    for i, r in new.items():
        was = old.get(i)
        if was and (was["iteration_id"], was["team_id"]) != (r["iteration_id"], r["team_id"]):
            out.append(Change(ChangeKind.MOVED, "feature", i, f"{r['key']} {r['title']}",
                              before=_where(was), after=_where(r)))
    return out


def _objective_text(row: Mapping[str, Any]) -> str:
    kind = "committed" if row["committed"] else "uncommitted"
    bv = row["planned_bv"]
    return f"{kind}, BV {bv if bv is not None else '–'}"


def _objective_changes(before: list[dict[str, Any]], after: list[dict[str, Any]]
                       ) -> list[Change]:
    old = {r["id"]: r for r in before}
    new = {r["id"]: r for r in after}
    out = [Change(ChangeKind.ADDED, "objective", i, f"{r['team']}: {r['text']}",
                  after=_objective_text(r)) for i, r in new.items() if i not in old]
    out += [Change(ChangeKind.REMOVED, "objective", i, f"{r['team']}: {r['text']}",
                   before=_objective_text(r)) for i, r in old.items() if i not in new]
    for i, r in new.items():
        was = old.get(i)
        if was and (was["text"], was["committed"], was["planned_bv"]) != (
                r["text"], r["committed"], r["planned_bv"]):
            out.append(Change(ChangeKind.CHANGED, "objective", i, f"{r['team']}: {r['text']}",
                              before=_objective_text(was), after=_objective_text(r)))
    return out


def _dependency_changes(before: list[dict[str, Any]], after: list[dict[str, Any]]
                        ) -> list[Change]:
    old = {r["id"]: r for r in before}
    new = {r["id"]: r for r in after}
    out = [Change(ChangeKind.ADDED, "dependency", i, r["label"], after=r["agreement"])
           for i, r in new.items() if i not in old]
    out += [Change(ChangeKind.REMOVED, "dependency", i, r["label"], before=r["agreement"])
            for i, r in old.items() if i not in new]
    out += [Change(ChangeKind.CHANGED, "dependency", i, r["label"],
                   before=old[i]["agreement"], after=r["agreement"])
            for i, r in new.items() if i in old and old[i]["agreement"] != r["agreement"]]
    return out


def changes_since(baseline: Mapping[str, Any], current: Mapping[str, Any]) -> list[Change]:
    """Scope added, removed, moved (features), changed (objectives, agreements)."""
    return (_feature_changes(baseline.get("features", []), current.get("features", []))
            + _objective_changes(baseline.get("objectives", []), current.get("objectives", []))
            + _dependency_changes(baseline.get("dependencies", []),
                                  current.get("dependencies", [])))
