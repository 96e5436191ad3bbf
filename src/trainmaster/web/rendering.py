"""Jinja2 templates shared by every page route."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))


def render(request: Request, name: str, context: dict[str, Any] | None = None,
           *, status: int = 200) -> HTMLResponse:
    caller = getattr(request.state, "caller", None)
    ctx = {"caller": caller, "actor": caller.actor if caller else None,
           "csrf": caller.csrf if caller else ""}
    ctx.update(context or {})
    return templates.TemplateResponse(request, name, ctx, status_code=status)
