"""Dependency analysis and suggestions: the JSON API and the pages.

(No `from __future__ import annotations`: FastAPI reads the handlers' annotations.)
"""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from trainmaster.domain.access import Permission
from trainmaster.domain.job import Job, JobStatus
from trainmaster.services import dependency_graph, suggestions
from trainmaster.services.dependency_layout import layout_graph
from trainmaster.services.suggestions import SuggestionRequest
from trainmaster.web.rendering import render
from trainmaster.web.security import ApiActor, PageCaller, Tm

router = APIRouter(tags=["dependencies"])
Teams = Annotated[list[int] | None, Query(description="Only what touches these teams.")]


class RunIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    top_k: int = Field(20, ge=1, le=200)
    levels: list[str] = Field(["feature", "story"],
                              description="Look at features, stories or both.")


def _job_json(job: Job) -> dict[str, Any]:
    return {"id": job.id, "kind": job.kind, "status": job.status.value,
            "progress": job.progress, "message": job.message, "url": f"/api/v1/jobs/{job.id}"}


def _started(request: SuggestionRequest) -> Response:
    if request.job is not None:
        return JSONResponse({"status": "queued", "job": _job_json(request.job)}, 202)
    assert request.result is not None
    return JSONResponse({"status": "done", **request.result.as_dict()})


# --- API ----------------------------------------------------------------------------------

@router.get("/api/v1/pis/{pi_id}/dependencies", summary="Dependency analysis of a PI")
def pi_dependencies(pi_id: int, app: Tm, actor: ApiActor, team: Teams = None) -> Any:
    return dependency_graph.analyse_dependencies(app.uow(), actor, pi_id=pi_id,
                                                 teams=set(team or ())).as_dict()


@router.get("/api/v1/arts/{art_id}/dependencies", summary="Dependency analysis of an ART")
def art_dependencies(art_id: int, app: Tm, actor: ApiActor, team: Teams = None) -> Any:
    return dependency_graph.analyse_dependencies(app.uow(), actor, art_id=art_id,
                                                 teams=set(team or ())).as_dict()


@router.get("/api/v1/portfolio/dependencies",
            summary="Dependency analysis of every ART the caller may see")
def portfolio_dependencies(app: Tm, actor: ApiActor) -> Any:
    return dependency_graph.analyse_dependencies(app.uow(), actor).as_dict()


@router.get("/api/v1/items/{item_id}/slip-preview",
            summary="What moving an item to an iteration would make late or at risk")
def slip_preview(item_id: int, app: Tm, actor: ApiActor,
                 iteration_id: Annotated[int | None, Query(
                     description="Target iteration; leave out to preview unplanning.")] = None
                 ) -> Any:
    return dependency_graph.preview_slip(app.uow(), actor, item_id, iteration_id).as_dict()


@router.get("/api/v1/pis/{pi_id}/dependencies/suggestions",
            summary="Suggested dependencies of a PI (last run)")
def pi_suggestions(pi_id: int, app: Tm, actor: ApiActor) -> Any:
    return suggestions.list_suggestions(app.uow(), actor, pi_id=pi_id).as_dict()


@router.post("/api/v1/pis/{pi_id}/dependencies/suggestions",
             summary="Find suggestions now, or queue a job for a big backlog (202)")
def run_pi_suggestions(pi_id: int, app: Tm, actor: ApiActor, body: RunIn | None = None
                       ) -> Response:
    body = body or RunIn.model_validate({})
    return _started(suggestions.request_suggestions(
        app.uow(), actor, pi_id=pi_id, cache_dir=app.settings.data_dir, at=app.clock(),
        top_k=body.top_k, levels=body.levels))


@router.get("/api/v1/arts/{art_id}/dependencies/suggestions",
            summary="Suggested dependencies of an ART's open backlog (last run)")
def art_suggestions(art_id: int, app: Tm, actor: ApiActor) -> Any:
    return suggestions.list_suggestions(app.uow(), actor, art_id=art_id).as_dict()


@router.post("/api/v1/arts/{art_id}/dependencies/suggestions",
             summary="Find suggestions in an ART's open backlog (202 when queued)")
def run_art_suggestions(art_id: int, app: Tm, actor: ApiActor, body: RunIn | None = None
                        ) -> Response:
    body = body or RunIn.model_validate({})
    return _started(suggestions.request_suggestions(
        app.uow(), actor, art_id=art_id, cache_dir=app.settings.data_dir, at=app.clock(),
        top_k=body.top_k, levels=body.levels))


@router.post("/api/v1/dependency-suggestions/{suggestion_id}/accept",
             summary="Accept a suggestion: it becomes a dependency request")
def accept_suggestion(suggestion_id: int, app: Tm, actor: ApiActor) -> Any:
    return suggestions.view_dict(suggestions.accept_suggestion(app.uow(), actor, suggestion_id,
                                                               at=app.clock()))


@router.post("/api/v1/dependency-suggestions/{suggestion_id}/reject",
             summary="Reject a suggestion: the pair is never proposed again")
def reject_suggestion(suggestion_id: int, app: Tm, actor: ApiActor) -> Any:
    return suggestions.view_dict(suggestions.reject_suggestion(app.uow(), actor, suggestion_id,
                                                               at=app.clock()))


# --- pages --------------------------------------------------------------------------------

@router.get("/arts/{ref}/dependencies", include_in_schema=False)
def art_dependencies_page(ref: str, app: Tm, caller: PageCaller) -> Response:
    pi = dependency_graph.dependency_pi(app.uow(), caller.actor, ref, today=app.clock().date())
    return RedirectResponse(f"/pis/{pi.id}/dependencies", status_code=303)


@router.get("/pis/{pi_id}/dependencies", response_class=HTMLResponse, include_in_schema=False)
def dependencies_page(request: Request, pi_id: int, app: Tm, caller: PageCaller,
                      team: Teams = None) -> Response:
    a = dependency_graph.analyse_dependencies(app.uow(), caller.actor, pi_id=pi_id,
                                              teams=set(team or ()))
    return render(request, "dependencies/page.html", {
        "a": a, "g": layout_graph(a), "pi": a.scope.pi, "art": a.scope.arts[0]})


@router.get("/pis/{pi_id}/dependencies/suggestions", response_class=HTMLResponse,
            include_in_schema=False)
def suggestions_page(request: Request, pi_id: int, app: Tm, caller: PageCaller) -> Response:
    found = suggestions.list_suggestions(app.uow(), caller.actor, pi_id=pi_id)
    return render(request, "dependencies/suggestions.html", {
        "s": found, "pi": found.pi, "art": found.art,
        "can_edit": caller.actor.can(Permission.EDIT_BACKLOG, found.art.id)})


def _list_fragment(request: Request, found: suggestions.SuggestionList) -> Response:
    return render(request, "dependencies/_suggestions.html", {
        "s": found, "pi": found.pi, "can_edit": True})


@router.post("/pis/{pi_id}/dependencies/suggestions/run", include_in_schema=False)
def run_suggestions_page(request: Request, pi_id: int, app: Tm, caller: PageCaller,
                         levels: Annotated[str, Form()] = "feature,story") -> Response:
    started = suggestions.request_suggestions(
        app.uow(), caller.actor, pi_id=pi_id, cache_dir=app.settings.data_dir, at=app.clock(),
        levels=[lvl for lvl in levels.split(",") if lvl])
    if not request.headers.get("hx-request"):
        return RedirectResponse(f"/pis/{pi_id}/dependencies/suggestions", status_code=303)
    if started.job is not None:
        return render(request, "dependencies/_job.html", {"job": started.job, "pi_id": pi_id})
    assert started.result is not None
    return _list_fragment(request, started.result)


@router.get("/pis/{pi_id}/dependencies/suggestions/jobs/{job_id}", include_in_schema=False)
def suggestion_job_page(request: Request, pi_id: int, job_id: int, app: Tm,
                        caller: PageCaller) -> Response:
    job = suggestions.suggestion_job(app.uow(), caller.actor, job_id)
    if job.status is JobStatus.DONE:
        return _list_fragment(request, suggestions.list_suggestions(
            app.uow(), caller.actor, pi_id=pi_id))
    return render(request, "dependencies/_job.html", {"job": job, "pi_id": pi_id})


@router.post("/dependency-suggestions/{suggestion_id}/{decision}", include_in_schema=False)
def decide_suggestion_page(request: Request, suggestion_id: int, decision: str, app: Tm,
                           caller: PageCaller) -> Response:
    decide = {"accept": suggestions.accept_suggestion,
              "reject": suggestions.reject_suggestion}.get(decision)
    if decide is None:
        return Response(status_code=404)
    done = decide(app.uow(), caller.actor, suggestion_id, at=app.clock())
    if not request.headers.get("hx-request"):
        pi_id = done.suggestion.pi_id
        back = f"/pis/{pi_id}/dependencies/suggestions" if pi_id else "/"
        return RedirectResponse(back, status_code=303)
    return render(request, "dependencies/_decided.html", {"d": done})
