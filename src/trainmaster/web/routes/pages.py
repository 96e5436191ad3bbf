"""Server-rendered pages: login, ART overview, PI page, work item page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from trainmaster.domain.errors import Forbidden
from trainmaster.services import auth, overview
from trainmaster.web.rendering import render
from trainmaster.web.security import SESSION_COOKIE, PageCaller, Tm

router = APIRouter(include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", {"next": next, "error": None})


@router.post("/login")
def login(request: Request, app: Tm, username: Annotated[str, Form()],
          password: Annotated[str, Form()], next: Annotated[str, Form()] = "/") -> Response:
    try:
        actor = auth.authenticate(app.uow(), username, password)
    except Forbidden as exc:
        return render(request, "login.html", {"next": next, "error": str(exc)}, status=401)
    secret, _ = auth.start_session(app.uow(), actor, at=app.clock(),
                                   hours=app.settings.session_hours)
    target = next if next.startswith("/") and not next.startswith("//") else "/"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, secret, httponly=True, samesite="lax",
                        secure=app.settings.secure_cookies,
                        max_age=app.settings.session_hours * 3600)
    return response


@router.post("/logout")
def logout(request: Request, app: Tm, caller: PageCaller) -> Response:
    auth.end_session(app.uow(), request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/", response_class=HTMLResponse)
def home(request: Request, app: Tm, caller: PageCaller) -> Response:
    arts = overview.list_arts(app.uow(), caller.actor)
    if len(arts) == 1:
        return RedirectResponse(f"/arts/{arts[0].key}", status_code=303)
    return render(request, "home.html", {"arts": arts})


@router.get("/arts/{ref}", response_class=HTMLResponse)
def art_page(request: Request, ref: str, app: Tm, caller: PageCaller) -> Response:
    art = overview.find_art(app.uow(), caller.actor, ref)
    view = overview.art_overview(app.uow(), caller.actor, art.id or 0,
                                 today=app.clock().date())
    return render(request, "art.html", {"view": view, "art": art})


@router.get("/pis/{pi_id}", response_class=HTMLResponse)
def pi_page(request: Request, pi_id: int, app: Tm, caller: PageCaller) -> Response:
    plan = overview.pi_plan(app.uow(), caller.actor, pi_id)
    return render(request, "pi.html", {"plan": plan, "art": plan.art})


@router.get("/items/{item_id}", response_class=HTMLResponse)
def item_page(request: Request, item_id: int, app: Tm, caller: PageCaller) -> Response:
    detail = overview.item_detail(app.uow(), caller.actor, item_id)
    return render(request, "item.html", {"d": detail})
