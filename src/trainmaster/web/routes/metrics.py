"""The flow dashboard (page and JSON), forecasts and the PI status report download.

Charts are drawn in the browser by Plotly, served from the installed plotly package.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from trainmaster.services import dashboard, forecasts, reports
from trainmaster.web.rendering import render
from trainmaster.web.security import ApiActor, PageCaller, Tm

router = APIRouter(tags=["metrics"])


def plotly_js() -> Path:
    """plotly.min.js inside the installed plotly package (found without importing it)."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or spec.origin is None:
        raise RuntimeError("the plotly package is not installed")
    return Path(spec.origin).parent / "package_data" / "plotly.min.js"


@router.get("/vendor/plotly.min.js", include_in_schema=False)
def plotly_script() -> FileResponse:
    return FileResponse(plotly_js(), media_type="text/javascript",
                        headers={"Cache-Control": "public, max-age=86400"})


@router.get("/arts/{art}/dashboard", response_class=HTMLResponse, include_in_schema=False)
def dashboard_page(request: Request, art: str, app: Tm, caller: PageCaller,
                   team: str | None = None, pi: str | None = None,
                   level: str = "story") -> Response:
    view = dashboard.dashboard_view(app.uow(), caller.actor, art, team=team or None,
                                    pi=pi or None, level=level, at=app.clock())
    return render(request, "metrics/dashboard.html", {
        "art": view.art, "view": view, "data": view.as_dict(), "level": level,
        "team": view.dashboard.scope.team, "pi": view.dashboard.scope.pi})


@router.get("/api/v1/arts/{art}/metrics", summary="Flow metrics and chart data")
def get_metrics(art: str, app: Tm, actor: ApiActor, team: str | None = None,
                pi: str | None = None, level: str = "story") -> Any:
    """Flow metrics, CFD, flow-time scatter, aging WIP, burn-up, throughput histogram and
    predictability; `pi` is an id or name, "current" (default) or "none" (last 90 days)."""
    return dashboard.dashboard_view(app.uow(), actor, art, team=team, pi=pi, level=level,
                                    at=app.clock(), forecast=False).as_dict()


@router.get("/api/v1/arts/{art}/forecast", summary="Monte Carlo forecast of remaining work")
def get_forecast(art: str, app: Tm, actor: ApiActor, pi: str | None = None,
                 team: str | None = None, item: str | None = None, seed: int = 0,
                 trials: int = forecasts.DEFAULT_TRIALS) -> Any:
    """The rest of a PI's scope (default: the current PI) or of a feature or epic (`item`
    key or id): when, how likely by the PI's end, how many by then, and the back-tested
    hit rate of the method on the train's own throughput."""
    found = dashboard.forecast_for(app.uow(), actor, art, pi=pi, team=team, item=item,
                                   at=app.clock(), seed=seed, trials=trials)
    return forecasts.forecast_dict(found)


@router.get("/api/v1/pis/{pi_id}/report", summary="The PI's stakeholder status report")
def get_report(pi_id: int, app: Tm, actor: ApiActor, format: str = "html") -> Response:
    report = reports.pi_report(app.uow(), actor, pi_id, at=app.clock())
    body = reports.render_report(report, format)
    kind = reports.ReportFormat(format)
    return Response(body, media_type=reports.MEDIA_TYPES[kind], headers={
        "Content-Disposition": f'attachment; filename="{report.filename_stem}.{kind.value}"'})
