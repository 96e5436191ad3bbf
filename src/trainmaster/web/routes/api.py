"""API routes beyond plain CRUD: who am I, health, work item history."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from trainmaster.services import overview
from trainmaster.web.security import ApiActor, Tm

router = APIRouter(prefix="/api/v1", tags=["train"])


@router.get("/health")
def health(app: Tm) -> dict[str, Any]:
    return {"status": "ok", "database": app.backend, "schema_current": app.database_is_current()}


@router.get("/me")
def me(actor: ApiActor) -> dict[str, Any]:
    return {"username": actor.username, "is_admin": actor.is_admin,
            "roles": {str(art): actor.role_names(art) for art in actor.roles}}


@router.get("/items/{item_id}/history")
def item_history(item_id: int, app: Tm, actor: ApiActor) -> list[dict[str, Any]]:
    detail = overview.item_detail(app.uow(), actor, item_id)
    return [{"from": c.from_status, "to": c.to_status, "at": c.at.isoformat()}
            for c in detail.history]
