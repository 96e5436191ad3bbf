"""The Program Board in the browser and the API: show, preview a move, plan, export;
dependency requests and answers; a team's planning view.

(No `from __future__ import annotations`: FastAPI reads the handlers' annotations.)
"""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict

from trainmaster.domain.access import Permission
from trainmaster.services import agreements, board, board_export
from trainmaster.services.board import MovePreview
from trainmaster.services.board_model import BoardModel
from trainmaster.services.planning_json import load_json
from trainmaster.web.rendering import render
from trainmaster.web.security import ApiActor, PageCaller, Tm

router = APIRouter(tags=["board"])
SVG, PDF = "image/svg+xml", "application/pdf"


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PlanIn(Body):
    iteration_id: int | None


class RequestIn(Body):
    consumer_id: int
    provider_id: int
    needed_by_iteration_id: int | None = None
    description: str = ""
    note: str = ""


class AnswerIn(Body):
    answer: str
    iteration_id: int | None = None
    note: str = ""


def _filters(team: list[int] | None, state: list[str] | None) -> dict[str, Any]:
    return {"teams": set(team or ()) or None, "states": set(state or ()) or None}


def preview_json(p: MovePreview) -> dict[str, Any]:
    return {"item": {"id": p.item.id, "key": p.item.key}, "from": p.from_iteration,
            "to": p.to_iteration, "changes_anything": p.changes_anything,
            "strings": [{"id": s.id, "label": s.label, "before": s.before.value,
                         "after": s.after.value} for s in p.strings],
            "affected": [{"id": a.id, "key": a.key, "title": a.title, "planned": a.planned,
                          "earliest": a.earliest, "before": a.before.value,
                          "after": a.after.value} for a in p.affected],
            "objectives": [{"id": o.objective.id, "text": o.objective.text, "team": o.team,
                            "reason": o.reason} for o in p.objectives]}


def moved_json(model: BoardModel, item_id: int) -> dict[str, Any]:
    data = model.as_dict()
    return {"item_id": item_id, "strings": data["strings"], "cards": data["cards"],
            "state_counts": data["state_counts"], "cycles": data["cycles"]}


# --- API ----------------------------------------------------------------------------------

@router.get("/api/v1/pis/{pi_id}/board", summary="The Program Board as JSON")
def get_board(pi_id: int, app: Tm, actor: ApiActor, team: Annotated[list[int] | None, Query()]
              = None, state: Annotated[list[str] | None, Query()] = None) -> Any:
    return board.show_board(app.uow(), actor, pi_id, **_filters(team, state)).as_dict()


@router.get("/api/v1/pis/{pi_id}/board.svg", summary="The Program Board as SVG")
def get_board_svg(pi_id: int, app: Tm, actor: ApiActor) -> Response:
    return Response(board_export.board_svg(board.show_board(app.uow(), actor, pi_id)),
                    media_type=SVG)


@router.get("/api/v1/pis/{pi_id}/board.pdf", summary="The Program Board as PDF")
def get_board_pdf(pi_id: int, app: Tm, actor: ApiActor) -> Response:
    return Response(board_export.board_pdf(board.show_board(app.uow(), actor, pi_id)),
                    media_type=PDF)


@router.post("/api/v1/items/{item_id}/preview", summary="What a move would change")
def preview_move(item_id: int, body: PlanIn, app: Tm, actor: ApiActor) -> Any:
    return preview_json(board.preview_move(app.uow(), actor, item_id, body.iteration_id))


@router.post("/api/v1/items/{item_id}/plan", summary="Plan an item into an iteration")
def plan_item(item_id: int, body: PlanIn, app: Tm, actor: ApiActor) -> Any:
    result = board.plan_item(app.uow(), actor, item_id, body.iteration_id, at=app.clock())
    return moved_json(result.board, item_id)


@router.get("/api/v1/pis/{pi_id}/teams/{team_id}/plan", summary="A team's planning view")
def get_team_plan(pi_id: int, team_id: int, app: Tm, actor: ApiActor) -> Any:
    plan = board.plan_team(app.uow(), actor, pi_id, team_id)
    return {"team": plan.team.name, "iterations": [load_json(x) for x in plan.loads],
            "stories": {str(k): jsonable_encoder(v) for k, v in plan.stories.items()}}


@router.post("/api/v1/dependencies/request", status_code=201,
             summary="The consuming team requests a dependency")
def request_dependency(body: RequestIn, app: Tm, actor: ApiActor) -> Any:
    return jsonable_encoder(agreements.request_dependency(
        app.uow(), actor, body.consumer_id, body.provider_id,
        needed_by_iteration_id=body.needed_by_iteration_id, description=body.description,
        note=body.note, at=app.clock()))


@router.post("/api/v1/dependencies/{dependency_id}/answer",
             summary="The providing team accepts, declines or counters")
def answer_dependency(dependency_id: int, body: AnswerIn, app: Tm, actor: ApiActor) -> Any:
    return jsonable_encoder(agreements.answer_dependency(
        app.uow(), actor, dependency_id, body.answer, iteration_id=body.iteration_id,
        note=body.note, at=app.clock()))


@router.get("/api/v1/dependencies/{dependency_id}/agreement",
            summary="A dependency with its agreement history")
def get_agreement(dependency_id: int, app: Tm, actor: ApiActor) -> Any:
    return jsonable_encoder(agreements.show_dependency(app.uow(), actor, dependency_id))


# --- pages --------------------------------------------------------------------------------

@router.get("/pis/{pi_id}/board", response_class=HTMLResponse, include_in_schema=False)
def board_page(request: Request, pi_id: int, app: Tm, caller: PageCaller,
               team: Annotated[list[int] | None, Query()] = None,
               state: Annotated[list[str] | None, Query()] = None) -> Response:
    model = board.show_board(app.uow(), caller.actor, pi_id, **_filters(team, state))
    full = board.show_board(app.uow(), caller.actor, pi_id) if team or state else model
    return render(request, "planning/board.html", {
        "b": model, "art": model.art, "pi": model.pi, "all_teams": full.teams,
        "data": model.as_dict(),
        "can_edit": caller.actor.can(Permission.EDIT_BACKLOG, model.art.id),
        "can_answer": caller.actor.can(Permission.ANSWER_DEPENDENCY, model.art.id)})


@router.get("/pis/{pi_id}/board.svg", include_in_schema=False)
def board_svg_page(pi_id: int, app: Tm, caller: PageCaller) -> Response:
    return Response(board_export.board_svg(board.show_board(app.uow(), caller.actor, pi_id)),
                    media_type=SVG,
                    headers={"Content-Disposition": f'inline; filename="board-{pi_id}.svg"'})


@router.get("/pis/{pi_id}/board.pdf", include_in_schema=False)
def board_pdf_page(pi_id: int, app: Tm, caller: PageCaller) -> Response:
    data = board_export.board_pdf(board.show_board(app.uow(), caller.actor, pi_id))
    return Response(data, media_type=PDF, headers={
        "Content-Disposition": f'attachment; filename="board-{pi_id}.pdf"'})


@router.get("/pis/{pi_id}/teams/{team_id}/plan", response_class=HTMLResponse,
            include_in_schema=False)
def team_plan_page(request: Request, pi_id: int, team_id: int, app: Tm,
                   caller: PageCaller) -> Response:
    plan = board.plan_team(app.uow(), caller.actor, pi_id, team_id)
    model = board.show_board(app.uow(), caller.actor, pi_id, teams={team_id})
    return render(request, "planning/team_plan.html", {
        "plan": plan, "pi": plan.pi, "art": model.art, "b": model,
        "can_edit": caller.actor.can(Permission.EDIT_BACKLOG, model.art.id)})


@router.post("/pis/{pi_id}/dependencies/request", include_in_schema=False)
def request_dependency_form(pi_id: int, app: Tm, caller: PageCaller,
                            consumer_id: Annotated[int, Form()],
                            provider_id: Annotated[int, Form()],
                            needed_by_iteration_id: Annotated[str, Form()] = "",
                            description: Annotated[str, Form()] = "") -> Response:
    agreements.request_dependency(
        app.uow(), caller.actor, consumer_id, provider_id,
        needed_by_iteration_id=int(needed_by_iteration_id) if needed_by_iteration_id else None,
        description=description, at=app.clock())
    return RedirectResponse(f"/pis/{pi_id}/board#decisions", status_code=303)


@router.post("/pis/{pi_id}/dependencies/{dependency_id}/answer", include_in_schema=False)
def answer_dependency_form(pi_id: int, dependency_id: int, app: Tm, caller: PageCaller,
                           answer: Annotated[str, Form()],
                           iteration_id: Annotated[str, Form()] = "",
                           note: Annotated[str, Form()] = "") -> Response:
    agreements.answer_dependency(app.uow(), caller.actor, dependency_id, answer,
                                 iteration_id=int(iteration_id) if iteration_id else None,
                                 note=note, at=app.clock())
    return RedirectResponse(f"/pis/{pi_id}/board#decisions", status_code=303)
