"""Inspect & Adapt: the workshop of a PI and its problem-solving workshops (API and pages)."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import Field

from trainmaster.domain.access import Permission
from trainmaster.domain.work_item import WorkType
from trainmaster.domain.workshop import STAGES, CauseCategory, ProblemStage
from trainmaster.services import inspect_adapt
from trainmaster.web.rendering import render
from trainmaster.web.routes.execution import Body, encode
from trainmaster.web.security import ApiActor, PageCaller, Tm

router = APIRouter(tags=["inspect & adapt"])


class DemoIn(Body):
    notes: str = ""
    feature_ids: list[int] = Field(default_factory=list)


class RetroIn(Body):
    column: str
    text: str


class TextIn(Body):
    text: str


class StageIn(Body):
    stage: ProblemStage


class CauseIn(Body):
    category: CauseCategory
    text: str


class VotesIn(Body):
    votes: dict[int, int]


class SolutionIn(Body):
    text: str
    work_type: WorkType = WorkType.ENABLER


def _workshop_json(view: inspect_adapt.WorkshopView) -> Any:
    return encode({"pi": view.pi, "next_pi": view.next_pi, "workshop": view.workshop,
                   "problems": view.problems, "review": {
                       "art": view.review.art.as_dict(),
                       "teams": [t.as_dict() for t in view.review.teams],
                       "history": [{"pi": p.name, **r.as_dict()}
                                   for p, r in view.review.history]}})


@router.get("/api/v1/pis/{pi_id}/inspect-adapt", summary="The PI's Inspect & Adapt workshop")
def get_workshop(pi_id: int, app: Tm, actor: ApiActor) -> Any:
    return _workshop_json(inspect_adapt.workshop_view(app.uow(), actor, pi_id,
                                                       at=app.clock()))


@router.post("/api/v1/pis/{pi_id}/inspect-adapt", status_code=201,
             summary="Open the PI's Inspect & Adapt workshop")
def open_workshop(pi_id: int, app: Tm, actor: ApiActor) -> Any:
    return encode(inspect_adapt.open_workshop(app.uow(), actor, pi_id, at=app.clock()))


@router.put("/api/v1/workshops/{workshop_id}/demo", summary="Record the PI System Demo")
def record_demo(workshop_id: int, body: DemoIn, app: Tm, actor: ApiActor) -> Any:
    return encode(inspect_adapt.record_demo(app.uow(), actor, workshop_id, notes=body.notes,
                                            feature_ids=body.feature_ids))


@router.post("/api/v1/workshops/{workshop_id}/review", summary="Keep the quantitative review")
def record_review(workshop_id: int, app: Tm, actor: ApiActor) -> Any:
    return encode(inspect_adapt.record_review(app.uow(), actor, workshop_id, at=app.clock()))


@router.post("/api/v1/workshops/{workshop_id}/retro", summary="Add a retrospective note")
def add_retro_note(workshop_id: int, body: RetroIn, app: Tm, actor: ApiActor) -> Any:
    return encode(inspect_adapt.add_retro_note(app.uow(), actor, workshop_id, body.column,
                                               body.text))


@router.post("/api/v1/workshops/{workshop_id}/problems", status_code=201,
             summary="Agree a problem to solve")
def add_problem(workshop_id: int, body: TextIn, app: Tm, actor: ApiActor) -> Any:
    return encode(inspect_adapt.add_problem(app.uow(), actor, workshop_id, body.text))


@router.get("/api/v1/problems/{problem_id}", summary="A problem with causes, vote, solutions")
def get_problem(problem_id: int, app: Tm, actor: ApiActor) -> Any:
    view = inspect_adapt.problem_view(app.uow(), actor, problem_id)
    return encode({"problem": view.problem, "causes": view.causes, "missing": view.missing,
                   "pareto": [{"cause_id": b.cause.id, "text": b.cause.text, "votes": b.votes,
                               "cumulative": b.cumulative, "vital": b.vital}
                              for b in view.pareto],
                   "solutions": [{"solution": s, "item": i} for s, i in view.solutions]})


@router.post("/api/v1/problems/{problem_id}/stage", summary="Go to another step")
def move_problem(problem_id: int, body: StageIn, app: Tm, actor: ApiActor) -> Any:
    return encode(inspect_adapt.move_problem(app.uow(), actor, problem_id, body.stage))


@router.post("/api/v1/problems/{problem_id}/causes", status_code=201,
             summary="Add a cause to the fishbone")
def add_cause(problem_id: int, body: CauseIn, app: Tm, actor: ApiActor) -> Any:
    return encode(inspect_adapt.add_cause(app.uow(), actor, problem_id, body.category,
                                          body.text))


@router.post("/api/v1/causes/{cause_id}/whys", summary="Answer the next why")
def ask_why(cause_id: int, body: TextIn, app: Tm, actor: ApiActor) -> Any:
    return encode(inspect_adapt.ask_why(app.uow(), actor, cause_id, body.text))


@router.put("/api/v1/problems/{problem_id}/votes", summary="Record the Pareto vote")
def record_votes(problem_id: int, body: VotesIn, app: Tm, actor: ApiActor) -> Any:
    bars = inspect_adapt.record_votes(app.uow(), actor, problem_id, body.votes)
    return encode([{"cause_id": b.cause.id, "votes": b.votes, "cumulative": b.cumulative,
                    "vital": b.vital} for b in bars])


@router.put("/api/v1/problems/{problem_id}/restated", summary="Restate the problem")
def restate_problem(problem_id: int, body: TextIn, app: Tm, actor: ApiActor) -> Any:
    return encode(inspect_adapt.restate_problem(app.uow(), actor, problem_id, body.text))


@router.post("/api/v1/problems/{problem_id}/solutions", status_code=201,
             summary="Add a solution")
def add_solution(problem_id: int, body: SolutionIn, app: Tm, actor: ApiActor) -> Any:
    return encode(inspect_adapt.add_solution(app.uow(), actor, problem_id, body.text,
                                             work_type=body.work_type))


@router.post("/api/v1/problems/{problem_id}/improvements", status_code=201,
             summary="Create the improvement items in the next PI's backlog")
def create_improvements(problem_id: int, app: Tm, actor: ApiActor) -> Any:
    return encode(inspect_adapt.create_improvements(app.uow(), actor, problem_id,
                                                    at=app.clock()))


@router.get("/pis/{pi_id}/inspect-adapt", response_class=HTMLResponse, include_in_schema=False)
def workshop_page(request: Request, pi_id: int, app: Tm, caller: PageCaller) -> Response:
    view = inspect_adapt.workshop_view(app.uow(), caller.actor, pi_id, at=app.clock())
    return render(request, "execution/workshop.html", {
        "art": view.art, "v": view, "can_run": caller.actor.can(Permission.RUN_EVENTS,
                                                                view.art.id)})


@router.get("/arts/{art}/inspect-adapt", response_class=HTMLResponse, include_in_schema=False)
def current_workshop_page(request: Request, art: str, app: Tm, caller: PageCaller) -> Response:
    pi = inspect_adapt.workshop_pi(app.uow(), caller.actor, art, today=app.clock().date())
    return workshop_page(request, pi.id or 0, app, caller)


@router.get("/problems/{problem_id}", response_class=HTMLResponse, include_in_schema=False)
def problem_page(request: Request, problem_id: int, app: Tm, caller: PageCaller) -> Response:
    view = inspect_adapt.problem_view(app.uow(), caller.actor, problem_id)
    return render(request, "execution/problem.html", {
        "art": view.art, "v": view, "stages": STAGES, "categories": list(CauseCategory),
        "work_types": [WorkType.ENABLER, WorkType.TECH_DEBT],
        "can_run": caller.actor.can(Permission.RUN_EVENTS, view.art.id)})
