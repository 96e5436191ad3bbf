"""PI Planning pages: hub, readiness, WSJF, capacity, agenda, objectives, ROAM, vote,
baseline and the ART Kanban. Forms post here and come back to the page they came from.

(No `from __future__ import annotations`: FastAPI reads the handlers' annotations.)
"""

from datetime import time
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from trainmaster.domain.access import Permission
from trainmaster.domain.errors import NotFound
from trainmaster.services import (
    agenda,
    baseline,
    board,
    kanban,
    objectives,
    overview,
    planning,
    risks,
    votes,
)
from trainmaster.web.rendering import render
from trainmaster.web.security import PageCaller, Tm

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form()]


def _back(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


def _optional_int(value: str) -> int | None:
    return int(value) if value.strip() else None


@router.get("/arts/{ref}/planning")
def planning_redirect(ref: str, app: Tm, caller: PageCaller) -> Response:
    art = overview.find_art(app.uow(), caller.actor, ref)
    pi = planning.planning_pi(app.uow(), caller.actor, art.id or 0, today=app.clock().date())
    if pi is None:
        raise NotFound(f"{art.name} has no PI to plan yet")
    return _back(f"/pis/{pi.id}/planning")


@router.get("/pis/{pi_id}/planning", response_class=HTMLResponse)
def hub_page(request: Request, pi_id: int, app: Tm, caller: PageCaller) -> Response:
    actor = caller.actor
    ready = planning.check_readiness(app.uow(), actor, pi_id)
    return render(request, "planning/hub.html", {
        "pi": ready.pi, "art": ready.art, "ready": ready,
        "b": board.show_board(app.uow(), actor, pi_id),
        "vote": votes.vote_status(app.uow(), actor, pi_id),
        "objectives": objectives.program_objectives(app.uow(), actor, pi_id),
        "since": baseline.baseline_changes(app.uow(), actor, pi_id)})


@router.get("/pis/{pi_id}/readiness", response_class=HTMLResponse)
def readiness_page(request: Request, pi_id: int, app: Tm, caller: PageCaller) -> Response:
    view = planning.check_readiness(app.uow(), caller.actor, pi_id)
    return render(request, "planning/readiness.html", {
        "v": view, "pi": view.pi, "art": view.art,
        "fixable": {r.item.id: r.item for r in view.examined},
        "can_edit_backlog": caller.actor.can(Permission.EDIT_BACKLOG, view.art.id),
        "can_manage_train": caller.actor.can(Permission.MANAGE_TRAIN, view.art.id)})


@router.get("/arts/{ref}/wsjf", response_class=HTMLResponse)
def wsjf_page(request: Request, ref: str, app: Tm, caller: PageCaller) -> Response:
    art = overview.find_art(app.uow(), caller.actor, ref)
    return render(request, "planning/wsjf.html", {
        "art": art, "ranked": planning.rank_backlog(app.uow(), caller.actor, art.id or 0),
        "epics": planning.roll_up_epics(app.uow(), caller.actor, art.id or 0)})


@router.get("/pis/{pi_id}/capacity", response_class=HTMLResponse)
def capacity_page(request: Request, pi_id: int, app: Tm, caller: PageCaller) -> Response:
    view = planning.plan_capacity(app.uow(), caller.actor, pi_id)
    rails = planning.check_guardrails(app.uow(), caller.actor, pi_id)
    return render(request, "planning/capacity.html",
                  {"v": view, "g": rails, "pi": view.pi, "art": view.art})


@router.get("/pis/{pi_id}/agenda", response_class=HTMLResponse)
def agenda_page(request: Request, pi_id: int, app: Tm, caller: PageCaller) -> Response:
    view = agenda.show_agenda(app.uow(), caller.actor, pi_id)
    return render(request, "planning/agenda.html", {
        "v": view, "pi": view.pi, "art": view.art,
        "can_edit": caller.actor.can(Permission.MANAGE_TRAIN, view.art.id)})


@router.post("/pis/{pi_id}/agenda/generate")
def agenda_generate(pi_id: int, app: Tm, caller: PageCaller) -> Response:
    agenda.generate_agenda(app.uow(), caller.actor, pi_id, at=app.clock())
    return _back(f"/pis/{pi_id}/agenda")


@router.post("/pis/{pi_id}/agenda/{item_id}")
def agenda_retime(pi_id: int, item_id: int, app: Tm, caller: PageCaller,
                  start: Annotated[time, Form()], end: Annotated[time, Form()],
                  title: Text = "") -> Response:
    agenda.retime_timebox(app.uow(), caller.actor, item_id, start=start, end=end,
                          title=title or None, at=app.clock())
    return _back(f"/pis/{pi_id}/agenda")


@router.get("/pis/{pi_id}/agenda.ics")
def agenda_download(pi_id: int, app: Tm, caller: PageCaller) -> Response:
    data = agenda.export_agenda(app.uow(), caller.actor, pi_id, at=app.clock())
    return Response(data, media_type="text/calendar; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="pi-planning-{pi_id}.ics"'})


@router.get("/pis/{pi_id}/objectives", response_class=HTMLResponse)
def objectives_page(request: Request, pi_id: int, app: Tm, caller: PageCaller) -> Response:
    view = objectives.program_objectives(app.uow(), caller.actor, pi_id)
    art = overview.find_art(app.uow(), caller.actor, str(view.pi.art_id))
    can = {p.value: caller.actor.can(p, art.id) for p in (
        Permission.WRITE_OBJECTIVES, Permission.SET_BUSINESS_VALUE, Permission.MANAGE_TRAIN)}
    teams = overview.art_overview(app.uow(), caller.actor, art.id or 0,
                                  today=app.clock().date()).teams
    return render(request, "planning/objectives.html", {
        "v": view, "pi": view.pi, "art": art, "can": can, "teams": [r.team for r in teams]})


@router.post("/pis/{pi_id}/objectives")
def objective_write(pi_id: int, app: Tm, caller: PageCaller, text: Text,
                    team_id: Text = "", committed: Text = "") -> Response:
    objectives.write_objective(app.uow(), caller.actor, pi_id, text,
                               team_id=_optional_int(team_id), committed=committed == "on",
                               at=app.clock())
    return _back(f"/pis/{pi_id}/objectives")


@router.post("/pis/{pi_id}/objectives/{objective_id}/business-value")
def objective_value(pi_id: int, objective_id: int, app: Tm, caller: PageCaller,
                    planned: Text = "", actual: Text = "") -> Response:
    objectives.set_business_value(app.uow(), caller.actor, objective_id,
                                  planned=_optional_int(planned), actual=_optional_int(actual))
    return _back(f"/pis/{pi_id}/objectives")


@router.post("/pis/{pi_id}/objectives/publish")
def objectives_publish(pi_id: int, app: Tm, caller: PageCaller) -> Response:
    objectives.publish_objectives(app.uow(), caller.actor, pi_id, at=app.clock())
    return _back(f"/pis/{pi_id}/objectives")


@router.get("/arts/{ref}/roam", response_class=HTMLResponse)
def roam_page(request: Request, ref: str, app: Tm, caller: PageCaller,
              pi_id: int | None = None) -> Response:
    art = overview.find_art(app.uow(), caller.actor, ref)
    view = risks.roam_board(app.uow(), caller.actor, art.id or 0, pi_id=pi_id,
                            today=app.clock().date())
    train = overview.art_overview(app.uow(), caller.actor, art.id or 0,
                                  today=app.clock().date())
    pi = overview.find_pi(app.uow(), caller.actor, str(pi_id)) if pi_id else None
    return render(request, "planning/roam.html", {
        "v": view, "art": art, "pi": pi, "pis": train.pis,
        "people": sorted({p.id: p for r in train.teams for p, _ in r.members}.values(),
                         key=lambda p: p.name),
        "can_roam": caller.actor.can(Permission.MANAGE_RISKS, art.id)})


@router.post("/arts/{ref}/roam/{risk_id}")
def roam_move(ref: str, risk_id: int, app: Tm, caller: PageCaller, to: Text,
              owner_id: Text = "", note: Text = "", pi_id: Text = "") -> Response:
    risks.roam_risk(app.uow(), caller.actor, risk_id, to, owner_id=_optional_int(owner_id),
                    note=note, at=app.clock())
    return _back(f"/arts/{ref}/roam" + (f"?pi_id={pi_id}" if pi_id else ""))


@router.get("/pis/{pi_id}/vote", response_class=HTMLResponse)
def vote_page(request: Request, pi_id: int, app: Tm, caller: PageCaller) -> Response:
    status = votes.vote_status(app.uow(), caller.actor, pi_id)
    art = overview.find_art(app.uow(), caller.actor, str(status.pi.art_id))
    return render(request, "planning/vote.html", {
        "s": status, "pi": status.pi, "art": art,
        "can_run": caller.actor.can(Permission.RUN_VOTE, art.id),
        "can_vote": caller.actor.can(Permission.CAST_VOTE, art.id) and
        caller.actor.user_id is not None})


@router.post("/pis/{pi_id}/vote/{action}")
def vote_action(pi_id: int, action: str, app: Tm, caller: PageCaller, scope: Text = "art",
                value: Text = "", reason: Text = "") -> Response:
    if action == "open":
        votes.open_vote(app.uow(), caller.actor, pi_id, at=app.clock())
    elif action == "close":
        votes.close_vote(app.uow(), caller.actor, pi_id, at=app.clock())
    elif action == "cast":
        votes.cast_vote(app.uow(), caller.actor, pi_id, scope, _optional_int(value) or 0,
                        reason=reason, at=app.clock())
    else:
        raise NotFound(f"no vote action {action!r}")
    return _back(f"/pis/{pi_id}/vote")


@router.get("/pis/{pi_id}/baseline", response_class=HTMLResponse)
def baseline_page(request: Request, pi_id: int, app: Tm, caller: PageCaller) -> Response:
    view = baseline.baseline_changes(app.uow(), caller.actor, pi_id)
    art = overview.find_art(app.uow(), caller.actor, str(view.pi.art_id))
    return render(request, "planning/baseline.html", {"v": view, "pi": view.pi, "art": art})


@router.get("/arts/{ref}/kanban", response_class=HTMLResponse)
def kanban_page(request: Request, ref: str, app: Tm, caller: PageCaller) -> Response:
    art = overview.find_art(app.uow(), caller.actor, ref)
    view = kanban.kanban_board(app.uow(), caller.actor, art.id or 0)
    return render(request, "planning/kanban.html", {
        "v": view, "art": art, "can_move": caller.actor.can(Permission.EDIT_BACKLOG, art.id),
        "can_override": caller.actor.can(Permission.OVERRIDE_WIP, art.id)})


@router.post("/arts/{ref}/kanban/{item_id}")
def kanban_move(ref: str, item_id: int, app: Tm, caller: PageCaller, to: Text,
                override: Text = "", reason: Text = "") -> Response:
    kanban.move_feature(app.uow(), caller.actor, item_id, to, override=override == "on",
                        reason=reason, at=app.clock())
    return _back(f"/arts/{ref}/kanban")
