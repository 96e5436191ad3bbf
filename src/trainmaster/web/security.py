"""Who is calling: bearer tokens for scripts, session cookies with CSRF for browsers."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from trainmaster.bootstrap import App
from trainmaster.domain.access import Actor
from trainmaster.domain.errors import Forbidden
from trainmaster.services import auth
from trainmaster.web.errors import LoginRequired

SESSION_COOKIE = "tm_session"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def tm(request: Request) -> App:
    app: App = request.app.state.tm
    return app


@dataclass(frozen=True)
class Caller:
    actor: Actor
    csrf: str | None  # None for token callers


def _session(request: Request) -> Caller | None:
    secret = request.cookies.get(SESSION_COOKIE)
    if not secret:
        return None
    app = tm(request)
    try:
        actor, csrf = auth.session_actor(app.uow(), secret, at=app.clock())
    except Forbidden:
        return None
    return Caller(actor, csrf)


async def _check_csrf(request: Request, caller: Caller) -> None:
    if request.method not in UNSAFE or caller.csrf is None:
        return
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        sent = str((await request.form()).get("csrf_token", ""))
    if not sent or not hmac.compare_digest(sent, caller.csrf):
        raise Forbidden("missing or wrong CSRF token: reload the page and try again")


async def api_caller(request: Request) -> Caller:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        app = tm(request)
        try:
            actor = auth.actor_for_token(app.uow(), header[7:].strip(), at=app.clock())
        except Forbidden as exc:
            raise HTTPException(401, str(exc), headers={"WWW-Authenticate": "Bearer"}) from exc
        return Caller(actor, None)
    caller = _session(request)
    if caller is None:
        raise HTTPException(401, "log in or send 'Authorization: Bearer <token>'",
                            headers={"WWW-Authenticate": "Bearer"})
    await _check_csrf(request, caller)
    return caller


async def page_caller(request: Request) -> Caller:
    caller = _session(request)
    if caller is None:
        raise LoginRequired()
    await _check_csrf(request, caller)
    request.state.caller = caller
    return caller


async def api_actor(caller: Annotated[Caller, Depends(api_caller)]) -> Actor:
    return caller.actor


ApiActor = Annotated[Actor, Depends(api_actor)]
PageCaller = Annotated[Caller, Depends(page_caller)]
Tm = Annotated[App, Depends(tm)]
