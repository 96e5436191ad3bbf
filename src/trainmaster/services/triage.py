"""Backlog triage on the train: suggested work type, team, estimate and WSJF hints for new or
changed backlog items, learned from the ART's finished items and from people's decisions.

A person accepts, edits or rejects each suggestion; accepting or editing writes the value to
the work item through the catalog (with that person's permissions). Every decision is kept
and the next training learns from it. Retraining runs on demand (`retrain_triage`) or on a
schedule (`set_retrain_schedule`; `enqueue_due_retrains` queues what is due, the worker runs
the `retrain_triage` / `retrain_risk` jobs).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from trainmaster.domain.access import SYSTEM, Actor, Permission
from trainmaster.domain.errors import Invalid, NotFound
from trainmaster.domain.job import Job
from trainmaster.domain.learning import (
    DecisionStatus,
    ModelKind,
    RetrainSchedule,
    StoredModel,
    TriageSuggestion,
)
from trainmaster.domain.work_item import FIBONACCI, WSJF_TERMS, ItemLevel, WorkItem, WorkType
from trainmaster.services import catalog, jobs
from trainmaster.services import risk_radar as risk_radar  # registers the retrain_risk job
from trainmaster.services.unit_of_work import UnitOfWork

RECENT = timedelta(days=14)
MAX_ITEMS = 150
CHECK_CONFIDENCE = 0.6   # a set value is questioned only when the model is this sure
JOB_KINDS = {ModelKind.TRIAGE: "retrain_triage", ModelKind.RISK: "retrain_risk"}
DONE = {"done"}


@dataclass(frozen=True)
class QueueEntry:
    item: WorkItem
    team: str
    suggestions: list[TriageSuggestion]


def _latest(uow: UnitOfWork, art_id: int) -> StoredModel | None:
    found = uow.stored_models.find(art_id=art_id, kind=ModelKind.TRIAGE.value, order_by="version")
    return found[-1] if found else None


def _triage_item(item: WorkItem, teams: dict[int, str], **override: Any) -> Any:
    from trainmaster.intelligence.triage import TriageItem

    values = {"key": item.key, "title": item.title, "description": item.description,
              "work_type": item.work_type.value, "team": teams.get(item.team_id or 0),
              "points": item.points, "finished": item.status in DONE,
              **{t: getattr(item, t) for t in WSJF_TERMS}}
    values.update(override)
    return TriageItem(**values)


def _decision(s: TriageSuggestion, item: WorkItem, teams: dict[int, str]) -> Any:
    from trainmaster.intelligence.triage import TriageDecision

    value = s.decided_value or s.value
    field = {"team_id": "team", "work_type": "work_type", "points": "points"}[s.field]
    override: dict[str, Any] = {
        "team": {"team": teams.get(int(value))},
        "work_type": {"work_type": value},
        "points": {"points": float(value), "finished": True},
    }[field]
    return TriageDecision(_triage_item(item, teams, **override), (field,),
                          edited=s.status is DecisionStatus.EDITED)


def retrain_triage(uow: UnitOfWork, actor: Actor, art_id: int, *, at: datetime) -> StoredModel:
    """Train triage on the ART's items (finished ones teach estimates) and on decisions."""
    actor.require(Permission.EDIT_BACKLOG, art_id)
    from trainmaster.intelligence.triage import train_triage

    with uow:
        uow.arts.get(art_id)
        teams = {t.id or 0: t.name for t in uow.teams.find(art_id=art_id)}
        items = uow.items.find(art_id=art_id, level=[ItemLevel.FEATURE.value,
                                                     ItemLevel.STORY.value])
        history = [_triage_item(i, teams) for i in items if i.team_id is not None]
        by_id = {i.id: i for i in items}
        decided = uow.triage_suggestions.find(
            art_id=art_id, status=[DecisionStatus.ACCEPTED.value, DecisionStatus.EDITED.value])
        decisions = [_decision(s, by_id[s.item_id], teams) for s in decided
                     if s.field in ("team_id", "work_type", "points") and s.item_id in by_id]
        if not history:
            raise Invalid("the ART has no item with a team to learn from", field="history")
        model = train_triage(history, decisions)
        previous = _latest(uow, art_id)
        estimator = model.estimator
        stored = uow.stored_models.add(StoredModel(
            art_id=art_id, kind=ModelKind.TRIAGE, version=(previous.version + 1) if previous else 1,
            trained_at=at, blob=model.to_bytes(), trained_on=model.trained_on,
            metrics={"items": len(history), "decisions": len(decisions),
                     "estimate_range_coverage": None if estimator is None
                     else round(estimator.interval_coverage, 4)},
            by_user_id=actor.user_id))
        uow.commit()
        return stored


def _candidates(items: list[WorkItem], at: datetime) -> list[WorkItem]:
    def wants(i: WorkItem) -> bool:
        if i.status in DONE:
            return False
        missing = i.team_id is None or (i.level is ItemLevel.STORY and i.points is None) or (
            i.level is ItemLevel.FEATURE and any(getattr(i, t) is None for t in WSJF_TERMS))
        changed = (i.updated_at or i.created_at or at) >= at - RECENT
        return missing or changed
    chosen = [i for i in items if i.level in (ItemLevel.FEATURE, ItemLevel.STORY) and wants(i)]
    chosen.sort(key=lambda i: (i.updated_at or i.created_at or at), reverse=True)
    return chosen[:MAX_ITEMS]


def _reasons(reasons: Any) -> list[dict[str, Any]]:
    return [{"kind": r.kind, "text": r.text, "weight": r.weight, "key": r.key} for r in reasons]


def _suggestions_for(item: WorkItem, s: Any, teams: dict[int, str], version: int,
                     at: datetime) -> list[TriageSuggestion]:
    ids = {name: tid for tid, name in teams.items()}
    out = []

    def add(field: str, value: str, confidence: float, reasons: Any, current: str | None,
            kind: str, **extra: Any) -> None:
        out.append(TriageSuggestion(
            art_id=item.art_id, item_id=item.id or 0, field=field, value=value,
            confidence=round(float(confidence), 4), reasons=_reasons(reasons), current=current,
            kind=kind, model_version=version, created_at=at, **extra))

    if s.work_type and s.work_type.value != item.work_type.value \
            and s.work_type.confidence >= CHECK_CONFIDENCE:
        add("work_type", s.work_type.value, s.work_type.confidence, s.work_type.reasons,
            item.work_type.value, "inconsistent")
    if s.team and s.team.value in ids:
        if item.team_id is None:
            add("team_id", str(ids[s.team.value]), s.team.confidence, s.team.reasons, None,
                "missing")
        elif ids[s.team.value] != item.team_id and s.team.confidence >= CHECK_CONFIDENCE:
            add("team_id", str(ids[s.team.value]), s.team.confidence, s.team.reasons,
                str(item.team_id), "inconsistent")
    if item.level is ItemLevel.STORY and item.points is None and s.estimate:
        e = s.estimate
        add("points", f"{_fibonacci(e.points):g}", e.confidence, e.reasons, None, "missing",
            low=e.low, high=e.high)
    if item.level is ItemLevel.FEATURE:
        for h in s.priority_hints:
            add(h.term, str(h.suggested), h.confidence, h.reasons,
                None if h.current is None else str(h.current), h.kind)
    return out


def _fibonacci(points: float) -> float:
    return float(min(FIBONACCI, key=lambda f: abs(f - points)))


def refresh_triage(uow: UnitOfWork, actor: Actor, art_id: int, *, at: datetime) -> int:
    """Suggest values for the ART's new, changed or incomplete items; returns how many.

    Trains a first model when the ART has none. Proposed suggestions nobody decided are
    replaced; decided ones are kept (a rejected value is not proposed again).
    """
    actor.require(Permission.VIEW, art_id)
    from trainmaster.intelligence.triage import triage_model_from_bytes

    with uow:
        stored = _latest(uow, art_id)
    if stored is None:
        stored = retrain_triage(uow, SYSTEM, art_id, at=at)  # the first model is a cache
    model = triage_model_from_bytes(stored.blob)
    with uow:
        teams = {t.id or 0: t.name for t in uow.teams.find(art_id=art_id, order_by="name")}
        items = _candidates(uow.items.find(art_id=art_id), at)
        old = uow.triage_suggestions.find(art_id=art_id)
        rejected = {(s.item_id, s.field, s.value) for s in old
                    if s.status is DecisionStatus.REJECTED}
        decided = {(s.item_id, s.field) for s in old if s.status in (
            DecisionStatus.ACCEPTED, DecisionStatus.EDITED)}
        for s in old:
            if s.status is DecisionStatus.PROPOSED:
                s.status = DecisionStatus.SUPERSEDED
        made = 0
        for item, sug in zip(items, model.suggest_many([_triage_item(i, teams) for i in items]),
                             strict=True):
            for new in _suggestions_for(item, sug, teams, stored.version, at):
                if (new.item_id, new.field, new.value) in rejected \
                        or (new.item_id, new.field) in decided:
                    continue
                uow.triage_suggestions.add(new)
                made += 1
        uow.commit()
        return made


def triage_queue(uow: UnitOfWork, actor: Actor, art_id: int) -> list[QueueEntry]:
    """Proposed suggestions grouped by item, newest items first."""
    actor.require(Permission.VIEW, art_id)
    with uow:
        teams = {t.id or 0: t.name for t in uow.teams.find(art_id=art_id)}
        proposed = uow.triage_suggestions.find(art_id=art_id,
                                               status=DecisionStatus.PROPOSED.value)
        grouped: dict[int, list[TriageSuggestion]] = defaultdict(list)
        for s in proposed:
            grouped[s.item_id].append(s)
        items = uow.items.find(id=sorted(grouped)) if grouped else []
    items.sort(key=lambda i: (i.updated_at or i.created_at or datetime.min), reverse=True)
    return [QueueEntry(i, teams.get(i.team_id or 0, ""), grouped[i.id or 0]) for i in items]


def _converted(field: str, value: str) -> Any:
    try:
        if field == "work_type":
            return WorkType(value).value
        if field == "team_id":
            return int(value)
        if field == "points":
            return float(value)
        return int(value)
    except ValueError:
        raise Invalid(f"{value!r} is not a valid {field.replace('_', ' ')}",
                      field="value") from None


def decide_suggestion(uow: UnitOfWork, actor: Actor, suggestion_id: int, action: str, *,
                      value: str | None = None, at: datetime) -> TriageSuggestion:
    """Accept, edit (with `value`) or reject a suggestion; accept and edit update the item."""
    statuses = {"accept": DecisionStatus.ACCEPTED, "edit": DecisionStatus.EDITED,
                "reject": DecisionStatus.REJECTED}
    if action not in statuses:
        raise Invalid(f"{action!r} is not accept, edit or reject", field="action")
    if action == "edit" and not (value or "").strip():
        raise Invalid("an edit needs the value to keep", field="value")
    with uow:
        s = uow.lock(TriageSuggestion, suggestion_id)
        actor.require(Permission.EDIT_BACKLOG, s.art_id)
        kept = s.value if action == "accept" else (value or "").strip() or None
        if action != "reject":
            catalog.update_entity(uow, actor, "items", s.item_id,
                                  {s.field: _converted(s.field, kept or "")}, at=at)
        s.decide(statuses[action], kept, at=at, by_user_id=actor.user_id)
        uow.commit()
        return s


def set_retrain_schedule(uow: UnitOfWork, actor: Actor, art_id: int, kind: str,
                         every_hours: int | None) -> RetrainSchedule | None:
    """Retrain `kind` every N hours (None switches the schedule off)."""
    try:
        model_kind = ModelKind(kind)
    except ValueError:
        raise Invalid(f"{kind!r} is not triage or risk", field="kind") from None
    actor.require(jobs.HANDLERS[JOB_KINDS[model_kind]][1], art_id)
    with uow:
        uow.arts.get(art_id)
        found = uow.retrain_schedules.first(art_id=art_id, kind=model_kind.value)
        if every_hours is None:
            if found is not None:
                found.enabled = False
            uow.commit()
            return found
        if found is None:
            found = uow.retrain_schedules.add(RetrainSchedule(art_id, model_kind, every_hours))
        else:
            found.every_hours = RetrainSchedule(art_id, model_kind, every_hours).every_hours
            found.enabled = True
        uow.commit()
        return found


def list_schedules(uow: UnitOfWork, actor: Actor, art_id: int) -> list[RetrainSchedule]:
    actor.require(Permission.VIEW, art_id)
    with uow:
        return uow.retrain_schedules.find(art_id=art_id)


def enqueue_due_retrains(uow: UnitOfWork, *, at: datetime, art_id: int | None = None
                         ) -> list[Job]:
    """Queue a retraining job for every schedule that is due (stateless: any worker or page
    view may call it; the schedule row remembers when it last queued)."""
    filters: dict[str, Any] = {"enabled": True}
    if art_id is not None:
        filters["art_id"] = art_id
    queued = []
    with uow:
        for schedule in uow.retrain_schedules.find(**filters):
            if not schedule.due(at):
                continue
            locked = uow.lock(RetrainSchedule, schedule.id or 0)
            if not locked.due(at):
                continue
            locked.last_queued_at = at
            queued.append(jobs.enqueue_job(uow, SYSTEM, JOB_KINDS[locked.kind],
                                           {"art_id": locked.art_id}, art_id=locked.art_id,
                                           at=at))
        uow.commit()
    return queued


def retrain(uow: UnitOfWork, actor: Actor, art_id: int, kind: str, *,
            at: datetime) -> StoredModel:
    """Retrain `kind` (triage or risk) now."""
    if kind == ModelKind.TRIAGE.value:
        return retrain_triage(uow, actor, art_id, at=at)
    if kind == ModelKind.RISK.value:
        return risk_radar.retrain_risk(uow, actor, art_id, at=at)
    raise Invalid(f"{kind!r} is not triage or risk", field="kind")


def find_item(uow: UnitOfWork, actor: Actor, art_id: int, key: str) -> WorkItem:
    """A work item of the ART by its key (reasons name past items by key)."""
    actor.require(Permission.VIEW, art_id)
    with uow:
        found = uow.items.first(art_id=art_id, key=key)
    if found is None:
        raise NotFound(f"no item {key!r} on this train")
    return found


def team_names(uow: UnitOfWork, actor: Actor, art_id: int) -> dict[int, str]:
    actor.require(Permission.VIEW, art_id)
    with uow:
        return {t.id or 0: t.name for t in uow.teams.find(art_id=art_id, order_by="name")}


def model_status(uow: UnitOfWork, actor: Actor, art_id: int) -> dict[str, StoredModel | None]:
    actor.require(Permission.VIEW, art_id)
    with uow:
        return {k.value: (found[-1] if (found := uow.stored_models.find(
            art_id=art_id, kind=k.value, order_by="version")) else None) for k in ModelKind}


@jobs.handler("retrain_triage", Permission.EDIT_BACKLOG)
def run_retrain_triage(ctx: jobs.JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    art_id = payload.get("art_id")
    if not isinstance(art_id, int):
        raise NotFound("the job names no ART (payload art_id)")
    ctx.progress(0.1, "training triage")
    stored = retrain_triage(ctx.uow(), SYSTEM, art_id, at=ctx.clock())
    made = refresh_triage(ctx.uow(), SYSTEM, art_id, at=ctx.clock())
    return {"version": stored.version, "metrics": stored.metrics, "suggestions": made}


@jobs.periodic
def _queue_due_retrains(make_uow: Callable[[], UnitOfWork], at: datetime) -> None:
    """The worker loop's minute check: queue the retraining whose schedule is due."""
    enqueue_due_retrains(make_uow(), at=at)
