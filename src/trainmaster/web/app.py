"""The FastAPI application: JSON API under /api/v1 and server-rendered pages."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from trainmaster import bootstrap
from trainmaster.bootstrap import App
from trainmaster.web import errors
from trainmaster.web.rendering import HERE, templates
from trainmaster.web.routes import (
    api,
    board,
    crud,
    dependencies,
    execution,
    execution_calendar,
    execution_pages,
    inspect_adapt,
    jobs,
    learning,
    metrics,
    pages,
    planning,
    planning_pages,
)


def create_app(tm: App | None = None) -> FastAPI:
    app = FastAPI(title="trainmaster", version="0.1.0",
                  description="The Release Train Engineer's workbench: JSON API.",
                  docs_url="/api/docs", openapi_url="/api/v1/openapi.json")
    app.state.tm = tm or bootstrap.default_app()
    errors.install(app, templates)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    for router in (api.router, crud.router, jobs.router, pages.router,
                   execution.router, execution_calendar.router, execution_pages.router,
                   inspect_adapt.router, planning.router, board.router, planning_pages.router,
                   dependencies.router, learning.router, metrics.router):
        app.include_router(router)
    return app
