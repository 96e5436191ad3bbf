"""The risk radar: which team PI objectives and features will miss, which iterations will
under-deliver, with each prediction's top factors, learned from the ART's finished PIs.

The models (one per subject, `services.risk_features`) are retrained on demand or on a
schedule and stored; a radar snapshot is stored per PI and refreshed when it is a day old or
a newer model exists. Confident predictions are suggested as ROAM risks; a person confirms
one (it becomes an ART risk) or dismisses it.
"""

from __future__ import annotations

import math
import pickle
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from trainmaster.domain.access import SYSTEM, Actor, Permission
from trainmaster.domain.errors import Invalid, NotFound
from trainmaster.domain.learning import (
    ForecastStatus,
    ModelKind,
    RiskForecast,
    RiskSubject,
    StoredModel,
)
from trainmaster.domain.pi import Pi
from trainmaster.domain.risk import Risk
from trainmaster.domain.work_item import KanbanState, StoryStatus
from trainmaster.services import catalog, jobs
from trainmaster.services.risk_features import (
    DESCRIPTIONS,
    FEATURE_NAMES,
    History,
    snapshot_rows,
    training_rows,
)
from trainmaster.services.unit_of_work import UnitOfWork

SUGGEST_AT = 0.6          # predictions at or above this are suggested for the ROAM board
STALE_AFTER = timedelta(days=1)
TRIALS = 4000


@dataclass(frozen=True)
class RadarItem:
    forecast: RiskForecast
    team: str
    reasons: list[str]
    link: str


@dataclass(frozen=True)
class PredictabilityForecast:
    """The ART's predictability measure simulated from the objectives' miss probabilities."""

    median: float | None
    low: float | None       # 10th percentile
    high: float | None      # 90th percentile
    objectives: int
    trials: int


@dataclass(frozen=True)
class Radar:
    pi: Pi
    items: list[RadarItem]
    suggested: list[RadarItem]
    forecast: PredictabilityForecast
    model: StoredModel | None
    teams: dict[int, str]
    note: str = ""


def load_history(uow: UnitOfWork, art_id: int) -> History:
    """Everything the features read about one ART (call inside `with uow:`)."""
    pis = uow.pis.find(art_id=art_id)
    iterations = uow.iterations.find(pi_id=[p.id for p in pis]) if pis else []
    teams = uow.teams.find(art_id=art_id, order_by="name")
    items = uow.items.find(art_id=art_id)
    done = {StoryStatus.DONE.value, KanbanState.DONE.value}
    done_at: dict[int, datetime] = {}
    for item_id, _, to, at in uow.status_changes.history([i.id for i in items]):
        if to in done and item_id not in done_at:
            done_at[item_id] = at
    members = uow.memberships.find(team_id=[t.id for t in teams]) if teams else []
    absences: dict[int, set] = defaultdict(set)
    for a in uow.absences.find(person_id=sorted({m.person_id for m in members})) \
            if members else []:
        absences[a.person_id].add(a.day)
    return History(
        pis=pis, iterations=iterations, teams=teams, items=items, done_at=done_at,
        dependencies=uow.dependencies.find(consumer_id=[i.id for i in items]) if items else [],
        objectives=uow.objectives.find(pi_id=[p.id for p in pis]) if pis else [],
        impediments=uow.impediments.find(art_id=art_id), memberships=members,
        absences=dict(absences), holidays=[h.day for h in uow.holidays.find(art_id=art_id)])


def latest_model(uow: UnitOfWork, art_id: int, kind: ModelKind) -> StoredModel | None:
    found = uow.stored_models.find(art_id=art_id, kind=kind.value, order_by="version")
    return found[-1] if found else None


def retrain_risk(uow: UnitOfWork, actor: Actor, art_id: int, *, at: datetime) -> StoredModel:
    """Train the three risk models on the ART's finished PIs and store them as a new version."""
    actor.require(Permission.MANAGE_RISKS, art_id)
    from trainmaster.intelligence.calibration import brier_score, roc_auc
    from trainmaster.intelligence.risk import train_risk_model

    with uow:
        uow.arts.get(art_id)
        history = load_history(uow, art_id)
        finished = [p for p in history.pis if p.end_date < at.date()]
        data = training_rows(history, finished)
        models: dict[str, bytes] = {}
        metrics: dict[str, Any] = {"pis": len(finished)}
        for subject, (rows, ys) in data.items():
            if len(set(ys)) < 2:
                metrics[subject.value] = {"rows": len(ys), "skipped": "needs both outcomes"}
                continue
            model = train_risk_model(rows, ys, feature_names=FEATURE_NAMES[subject])
            p = model.predict_proba(rows)
            models[subject.value] = model.to_bytes()
            metrics[subject.value] = {"rows": len(ys), "base_rate": round(model.base_rate, 4),
                                      "train_auc": round(roc_auc(ys, p), 4),
                                      "train_brier": round(brier_score(ys, p), 4)}
        if not models:
            raise Invalid(f"the ART has no finished PI with both hits and misses to learn from "
                          f"({len(finished)} finished PIs)", field="history")
        previous = latest_model(uow, art_id, ModelKind.RISK)
        stored = uow.stored_models.add(StoredModel(
            art_id=art_id, kind=ModelKind.RISK, version=(previous.version + 1) if previous else 1,
            trained_at=at, blob=pickle.dumps(models), metrics=metrics,
            trained_on=sum(len(ys) for _, ys in data.values()), by_user_id=actor.user_id))
        uow.commit()
        return stored


def _reasons(factors: list[dict[str, Any]]) -> list[str]:
    out = []
    for f in factors:
        name = DESCRIPTIONS.get(f["name"], f["name"].replace("_", " "))
        value = "unknown" if f["value"] is None else f"{f['value']:.2f}".rstrip("0").rstrip(".")
        way = "raises" if f["contribution"] > 0 else "lowers"
        out.append(f"{name} = {value} ({way} the risk)")
    return out


def _predict(stored: StoredModel, history: History, pi: Pi, at: datetime) -> list[RiskForecast]:
    from trainmaster.intelligence.risk import risk_model_from_bytes

    blobs: dict[str, bytes] = pickle.loads(stored.blob)
    rows = snapshot_rows(history, pi, at)
    out: list[RiskForecast] = []
    for subject in RiskSubject:
        mine = [r for r in rows if r.subject is subject]
        if not mine or subject.value not in blobs:
            continue
        model = risk_model_from_bytes(blobs[subject.value])
        for row, pred in zip(mine, model.explain([r.features for r in mine], top=3),
                             strict=True):
            factors = [{"name": f.name, "value": None if math.isnan(f.value) else f.value,
                        "contribution": f.contribution} for f in pred.factors]
            out.append(RiskForecast(
                art_id=pi.art_id, pi_id=pi.id or 0, subject=subject, subject_id=row.subject_id,
                label=row.label, probability=round(float(pred.probability), 4),
                base_rate=round(pred.base_rate, 4), factors=factors, team_id=row.team_id,
                model_version=stored.version, taken_at=at))
    return out


def _refresh(uow: UnitOfWork, pi: Pi, stored: StoredModel, at: datetime) -> None:
    old = uow.risk_forecasts.find(pi_id=pi.id)
    settled = {(f.subject, f.subject_id): f for f in old if f.status is not ForecastStatus.OPEN}
    for f in old:
        if f.status is ForecastStatus.OPEN:
            uow.risk_forecasts.remove(f)
    for f in _predict(stored, load_history(uow, pi.art_id), pi, at):
        kept = settled.get((f.subject, f.subject_id))
        if kept is not None:
            kept.probability, kept.factors, kept.taken_at = f.probability, f.factors, at
            kept.model_version = f.model_version
        else:
            uow.risk_forecasts.add(f)


def _needs_refresh(forecasts: list[RiskForecast], stored: StoredModel, at: datetime) -> bool:
    if not forecasts:
        return True
    newest = max((f.taken_at for f in forecasts if f.taken_at), default=None)
    return (newest is None or at - newest >= STALE_AFTER
            or any(f.model_version < stored.version for f in forecasts))


def ensure_forecasts(uow: UnitOfWork, actor: Actor, pi_id: int, *, at: datetime,
                     refresh: bool = False) -> StoredModel | None:
    """Train a first model if none exists, and refresh the PI's snapshot when stale."""
    with uow:
        pi = uow.pis.get(pi_id)
        actor.require(Permission.VIEW, pi.art_id)
        stored = latest_model(uow, pi.art_id, ModelKind.RISK)
    if stored is None:
        try:
            stored = retrain_risk(uow, SYSTEM, pi.art_id, at=at)
        except Invalid:
            return None
    with uow:
        if refresh or _needs_refresh(uow.risk_forecasts.find(pi_id=pi_id), stored, at):
            _refresh(uow, uow.pis.get(pi_id), stored, at)
            uow.commit()
    return stored


def _item(f: RiskForecast, teams: dict[int, str], art_key: str) -> RadarItem:
    links = {RiskSubject.OBJECTIVE: f"/pis/{f.pi_id}/objectives",
             RiskSubject.FEATURE: f"/items/{f.subject_id}",
             RiskSubject.ITERATION: f"/pis/{f.pi_id}/capacity"}
    return RadarItem(f, teams.get(f.team_id or 0, ""), _reasons(f.factors),
                     links[f.subject])


def risk_radar(uow: UnitOfWork, actor: Actor, pi_id: int, *, at: datetime,
               team_id: int | None = None, subject: str | None = None,
               refresh: bool = False) -> Radar:
    """The PI's predictions, most likely misses first, each with its reasons."""
    stored = ensure_forecasts(uow, actor, pi_id, at=at, refresh=refresh)
    with uow:
        pi = uow.pis.get(pi_id)
        art = uow.arts.get(pi.art_id)
        teams = {t.id or 0: t.name for t in uow.teams.find(art_id=pi.art_id, order_by="name")}
        forecasts = sorted(uow.risk_forecasts.find(pi_id=pi_id),
                           key=lambda f: (-f.probability, f.label))
        objectives = {o.id: o for o in uow.objectives.find(pi_id=pi_id)}
    chosen = [f for f in forecasts if (team_id is None or f.team_id == team_id)
              and (subject is None or f.subject.value == subject)]
    items = [_item(f, teams, art.key) for f in chosen]
    suggested = [i for i in items if i.forecast.status is ForecastStatus.OPEN
                 and i.forecast.probability >= SUGGEST_AT
                 and i.forecast.subject is not RiskSubject.ITERATION]
    note = "" if stored else "no finished PI with both hits and misses yet: nothing to learn from"
    return Radar(pi, items, suggested[:10], predictability_forecast(forecasts, objectives),
                 stored, teams, note)


def top_risks(uow: UnitOfWork, actor: Actor, pi_id: int, limit: int = 5, *,
              at: datetime | None = None) -> list[RadarItem]:
    """The radar's most likely misses for the ART Sync page (stored snapshot; no training
    unless `at` is given and the snapshot is missing or stale)."""
    if at is not None:
        return risk_radar(uow, actor, pi_id, at=at).items[:limit]
    with uow:
        pi = uow.pis.get(pi_id)
        actor.require(Permission.VIEW, pi.art_id)
        teams = {t.id or 0: t.name for t in uow.teams.find(art_id=pi.art_id)}
        art = uow.arts.get(pi.art_id)
        found = sorted(uow.risk_forecasts.find(pi_id=pi_id), key=lambda f: -f.probability)
    return [_item(f, teams, art.key) for f in found[:limit]]


def predictability_forecast(forecasts: list[RiskForecast], objectives: dict[int | None, Any],
                            *, seed: int = 0, trials: int = TRIALS) -> PredictabilityForecast:
    """Simulate each team objective hitting (actual = planned) or missing (actual = half of
    planned) with its predicted probability; percentiles of the ART's measure."""
    probs = {f.subject_id: f.probability for f in forecasts
             if f.subject is RiskSubject.OBJECTIVE}
    team_objectives = [o for o in objectives.values() if o.team_id is not None and o.planned_bv]
    planned = sum(o.planned_bv for o in team_objectives if o.committed)
    if not team_objectives or not planned:
        return PredictabilityForecast(None, None, None, 0, 0)
    rng = np.random.default_rng(seed)
    total = np.zeros(trials)
    for o in team_objectives:
        if o.actual_bv is not None:
            total += o.actual_bv
            continue
        miss = rng.random(trials) < probs.get(o.id, 0.5)
        total += np.where(miss, 0.5 * o.planned_bv, float(o.planned_bv))
    pct = total / planned * 100
    low, median, high = (round(float(v), 1) for v in np.percentile(pct, [10, 50, 90]))
    return PredictabilityForecast(median, low, high, len(team_objectives), trials)


def confirm_risk(uow: UnitOfWork, actor: Actor, forecast_id: int, *, at: datetime,
                 title: str | None = None) -> Risk:
    """Put a predicted miss on the ROAM board as an (unroamed) ART risk."""
    with uow:
        forecast = uow.lock(RiskForecast, forecast_id)
        actor.require(Permission.MANAGE_RISKS, forecast.art_id)
        reasons = "; ".join(_reasons(forecast.factors))
        risk = catalog.create_entity(uow, actor, "risks", {
            "art_id": forecast.art_id, "pi_id": forecast.pi_id,
            "title": title or f"May miss: {forecast.label}"[:200],
            "description": f"Risk radar: {forecast.probability:.0%} likely to miss "
                           f"(base rate {forecast.base_rate:.0%}). Why: {reasons}."}, at=at)
        forecast.settle(ForecastStatus.CONFIRMED, by_user_id=actor.user_id, risk_id=risk.id)
        uow.commit()
        return risk


def dismiss_forecast(uow: UnitOfWork, actor: Actor, forecast_id: int) -> RiskForecast:
    """Keep a prediction off the ROAM suggestions."""
    with uow:
        forecast = uow.lock(RiskForecast, forecast_id)
        actor.require(Permission.MANAGE_RISKS, forecast.art_id)
        forecast.settle(ForecastStatus.DISMISSED, by_user_id=actor.user_id)
        uow.commit()
        return forecast


@jobs.handler("retrain_risk", Permission.MANAGE_RISKS)
def run_retrain_risk(ctx: jobs.JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    art_id = payload.get("art_id")
    if not isinstance(art_id, int):
        raise NotFound("the job names no ART (payload art_id)")
    ctx.progress(0.1, "training the risk models")
    stored = retrain_risk(ctx.uow(), SYSTEM, art_id, at=ctx.clock())
    return {"version": stored.version, "metrics": stored.metrics}
