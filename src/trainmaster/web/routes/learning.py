"""Backlog triage queue and the risk radar: pages and JSON API.

(No `from __future__ import annotations`: FastAPI reads the handlers' annotations.)
"""

from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from trainmaster.domain.access import Permission
from trainmaster.services import overview, risk_radar, triage
from trainmaster.web.rendering import render
from trainmaster.web.security import ApiActor, PageCaller, Tm

router = APIRouter()
SUBJECTS = ("objective", "feature", "iteration")


class DecisionIn(BaseModel):
    action: str
    value: str | None = None


class ScheduleIn(BaseModel):
    every_hours: int | None = None


class SuggestionOut(BaseModel):
    id: int
    item_id: int
    field: str
    value: str
    current: str | None
    kind: str
    confidence: float
    low: float | None
    high: float | None
    reasons: list[dict[str, Any]]
    status: str


def _suggestion(s: Any) -> SuggestionOut:
    return SuggestionOut(id=s.id, item_id=s.item_id, field=s.field, value=s.value,
                         current=s.current, kind=s.kind, confidence=s.confidence, low=s.low,
                         high=s.high, reasons=list(s.reasons), status=s.status.value)


def _radar_item(i: risk_radar.RadarItem) -> dict[str, Any]:
    f = i.forecast
    return {"id": f.id, "subject": f.subject.value, "subject_id": f.subject_id, "label": f.label,
            "team": i.team, "probability": f.probability, "base_rate": f.base_rate,
            "reasons": i.reasons, "factors": f.factors, "status": f.status.value,
            "risk_id": f.risk_id, "link": i.link}


def _back(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# ---- JSON API -------------------------------------------------------------------------

@router.get("/api/v1/arts/{art_id}/triage", tags=["learning"], summary="The triage queue")
def api_triage_queue(art_id: int, app: Tm, actor: ApiActor) -> list[dict[str, Any]]:
    return [{"item_id": e.item.id, "key": e.item.key, "title": e.item.title, "team": e.team,
             "suggestions": [_suggestion(s) for s in e.suggestions]}
            for e in triage.triage_queue(app.uow(), actor, art_id)]


@router.post("/api/v1/arts/{art_id}/triage/refresh", tags=["learning"],
             summary="Suggest values for new, changed or incomplete backlog items")
def api_refresh_triage(art_id: int, app: Tm, actor: ApiActor) -> dict[str, int]:
    return {"suggestions": triage.refresh_triage(app.uow(), actor, art_id, at=app.clock())}


@router.post("/api/v1/triage-suggestions/{suggestion_id}/decide", tags=["learning"],
             summary="Accept, edit or reject a triage suggestion")
def api_decide(suggestion_id: int, body: DecisionIn, app: Tm, actor: ApiActor) -> SuggestionOut:
    return _suggestion(triage.decide_suggestion(app.uow(), actor, suggestion_id, body.action,
                                                value=body.value, at=app.clock()))


@router.post("/api/v1/arts/{art_id}/retrain/{kind}", tags=["learning"],
             summary="Retrain the triage or risk models now")
def api_retrain(art_id: int, kind: str, app: Tm, actor: ApiActor) -> dict[str, Any]:
    stored = triage.retrain(app.uow(), actor, art_id, kind, at=app.clock())
    return {"kind": kind, "version": stored.version, "metrics": stored.metrics}


@router.put("/api/v1/arts/{art_id}/retrain-schedules/{kind}", tags=["learning"],
            summary="Retrain every N hours (null switches it off)")
def api_schedule(art_id: int, kind: str, body: ScheduleIn, app: Tm,
                 actor: ApiActor) -> dict[str, Any]:
    s = triage.set_retrain_schedule(app.uow(), actor, art_id, kind, body.every_hours)
    return {"kind": kind, "every_hours": s.every_hours if s else None,
            "enabled": bool(s and s.enabled)}


@router.get("/api/v1/pis/{pi_id}/risk-radar", tags=["learning"],
            summary="Predicted misses of objectives, features and iterations, with reasons")
def api_radar(pi_id: int, app: Tm, actor: ApiActor, team_id: int | None = None,
              subject: str | None = None) -> dict[str, Any]:
    r = risk_radar.risk_radar(app.uow(), actor, pi_id, at=app.clock(), team_id=team_id,
                              subject=subject)
    return {"pi_id": pi_id, "model_version": r.model.version if r.model else None,
            "predictability": r.forecast.__dict__, "note": r.note,
            "items": [_radar_item(i) for i in r.items],
            "suggested_risks": [_radar_item(i) for i in r.suggested]}


@router.post("/api/v1/risk-forecasts/{forecast_id}/confirm", status_code=201,
             tags=["learning"], summary="Put a predicted miss on the ROAM board")
def api_confirm(forecast_id: int, app: Tm, actor: ApiActor) -> dict[str, Any]:
    risk = risk_radar.confirm_risk(app.uow(), actor, forecast_id, at=app.clock())
    return {"risk_id": risk.id, "title": risk.title, "roam": risk.roam.value}


@router.post("/api/v1/risk-forecasts/{forecast_id}/dismiss", tags=["learning"],
             summary="Keep a prediction off the ROAM suggestions")
def api_dismiss(forecast_id: int, app: Tm, actor: ApiActor) -> dict[str, Any]:
    f = risk_radar.dismiss_forecast(app.uow(), actor, forecast_id)
    return {"id": f.id, "status": f.status.value}


# ---- pages ----------------------------------------------------------------------------

@router.get("/arts/{art}/triage", response_class=HTMLResponse, include_in_schema=False)
def triage_page(request: Request, art: str, app: Tm, caller: PageCaller) -> Response:
    found = overview.find_art(app.uow(), caller.actor, art)
    art_id = found.id or 0
    triage.enqueue_due_retrains(app.uow(), at=app.clock(), art_id=art_id)
    models = triage.model_status(app.uow(), caller.actor, art_id)
    if models["triage"] is None:
        triage.refresh_triage(app.uow(), caller.actor, art_id, at=app.clock())
        models = triage.model_status(app.uow(), caller.actor, art_id)
    return render(request, "learning/triage.html", {
        "art": found, "queue": triage.triage_queue(app.uow(), caller.actor, art_id),
        "teams": triage.team_names(app.uow(), caller.actor, art_id),
        "models": models, "schedules": triage.list_schedules(app.uow(), caller.actor, art_id),
        "can_edit": caller.actor.can(Permission.EDIT_BACKLOG, art_id)})


@router.get("/arts/{art}/triage/items/{key}", include_in_schema=False)
def triage_item(art: str, key: str, app: Tm, caller: PageCaller) -> Response:
    found = overview.find_art(app.uow(), caller.actor, art)
    return _back(f"/items/{triage.find_item(app.uow(), caller.actor, found.id or 0, key).id}")


@router.post("/arts/{art}/triage/refresh", include_in_schema=False)
def triage_refresh(art: str, app: Tm, caller: PageCaller) -> Response:
    found = overview.find_art(app.uow(), caller.actor, art)
    triage.refresh_triage(app.uow(), caller.actor, found.id or 0, at=app.clock())
    return _back(f"/arts/{art}/triage")


@router.post("/arts/{art}/triage/{suggestion_id}", include_in_schema=False)
def triage_decide(art: str, suggestion_id: int, app: Tm, caller: PageCaller,
                  action: str = Form(...), value: str = Form("")) -> Response:
    triage.decide_suggestion(app.uow(), caller.actor, suggestion_id, action,
                             value=value or None, at=app.clock())
    return _back(f"/arts/{art}/triage#decided-{suggestion_id}")


@router.post("/arts/{art}/learning/schedule", include_in_schema=False)
def schedule_form(art: str, app: Tm, caller: PageCaller, kind: str = Form(...),
                  every_hours: str = Form("")) -> Response:
    found = overview.find_art(app.uow(), caller.actor, art)
    hours = int(every_hours) if every_hours.strip().isdigit() else None
    triage.set_retrain_schedule(app.uow(), caller.actor, found.id or 0, kind, hours)
    return _back(f"/arts/{art}/{'triage' if kind == 'triage' else 'risk-radar'}")


@router.get("/arts/{art}/risk-radar", response_class=HTMLResponse, include_in_schema=False)
def radar_page(request: Request, art: str, app: Tm, caller: PageCaller,
               pi_id: int | None = None, team_id: int | None = None,
               subject: str | None = None) -> Response:
    found = overview.find_art(app.uow(), caller.actor, art)
    art_id = found.id or 0
    triage.enqueue_due_retrains(app.uow(), at=app.clock(), art_id=art_id)
    pis = overview.list_pis(app.uow(), caller.actor, art_id)
    pi = next((p for p in pis if p.id == pi_id), None) or overview.current_pi(
        pis, app.clock().date())
    radar = risk_radar.risk_radar(app.uow(), caller.actor, pi.id or 0, at=app.clock(),
                                  team_id=team_id, subject=subject or None) if pi else None
    return render(request, "learning/radar.html", {
        "art": found, "pi": pi, "pis": pis, "radar": radar, "team_id": team_id,
        "subject": subject, "subjects": SUBJECTS, "now": app.clock(),
        "schedules": triage.list_schedules(app.uow(), caller.actor, art_id),
        "can_confirm": caller.actor.can(Permission.MANAGE_RISKS, art_id)})


@router.post("/arts/{art}/risk-radar/{forecast_id}/{action}", include_in_schema=False)
def radar_decide(art: str, forecast_id: int, action: str, app: Tm, caller: PageCaller,
                 pi_id: int = Form(...)) -> Response:
    if action == "confirm":
        risk_radar.confirm_risk(app.uow(), caller.actor, forecast_id, at=app.clock())
    else:
        risk_radar.dismiss_forecast(app.uow(), caller.actor, forecast_id)
    return _back(f"/arts/{art}/risk-radar?pi_id={pi_id}")
