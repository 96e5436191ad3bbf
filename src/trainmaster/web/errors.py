"""The one place that turns trainmaster errors into HTTP answers (JSON or an HTML page)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from trainmaster.domain.errors import Conflict, Forbidden, Invalid, NotFound, TrainmasterError

STATUS = {NotFound: 404, Invalid: 422, Conflict: 409, Forbidden: 403}


class LoginRequired(Exception):
    """A page needs a logged-in user: send the browser to the login page."""


def status_of(exc: TrainmasterError) -> int:
    for cls, code in STATUS.items():
        if isinstance(exc, cls):
            return code
    return 400


def wants_html(request: Request) -> bool:
    return (not request.url.path.startswith("/api/")
            and "text/html" in request.headers.get("accept", ""))


def install(app: FastAPI, templates: Jinja2Templates) -> None:
    async def on_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, TrainmasterError)
        code = status_of(exc)
        if wants_html(request):
            return templates.TemplateResponse(request, "error.html",
                                              {"code": code, "message": str(exc)},
                                              status_code=code)
        if isinstance(exc, Invalid):
            loc = ["body", exc.field] if exc.field else ["body"]
            detail = [{"loc": loc, "msg": exc.message, "type": "invalid"}]
            return JSONResponse({"detail": detail}, status_code=422)
        return JSONResponse({"detail": str(exc)}, status_code=code)

    async def on_login(request: Request, exc: Exception) -> Response:
        if request.headers.get("hx-request"):
            return HTMLResponse("", headers={"HX-Redirect": "/login"}, status_code=401)
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""),
                   "type": e.get("type", "")} for e in exc.errors()]
        if wants_html(request):
            message = "; ".join(f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg']}"
                                for e in errors)
            return templates.TemplateResponse(request, "error.html",
                                              {"code": 422, "message": message}, status_code=422)
        return JSONResponse({"detail": errors}, status_code=422)

    app.add_exception_handler(TrainmasterError, on_error)
    app.add_exception_handler(LoginRequired, on_login)
    app.add_exception_handler(RequestValidationError, on_validation)
