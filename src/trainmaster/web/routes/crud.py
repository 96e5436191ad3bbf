"""JSON create/read/update/delete for every entity under /api/v1, with OpenAPI models.

The request and response models are derived from the domain dataclasses, so the API can
never drift from the model. (No `from __future__ import annotations` here: FastAPI reads
the handlers' annotations, which name models built at import time.)
"""

import dataclasses
import typing
from datetime import date, datetime
from enum import Enum
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, create_model

from trainmaster.domain.errors import Invalid
from trainmaster.services import catalog
from trainmaster.web.security import ApiActor, Tm

router = APIRouter(prefix="/api/v1", tags=["entities"])


def _default(f: dataclasses.Field[Any]) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return ...


def build_models(cls: type) -> tuple[type[BaseModel], type[BaseModel], type[BaseModel]]:
    hints = typing.get_type_hints(cls)
    fields = dataclasses.fields(cls)
    writable = [f for f in fields if f.name not in catalog.READ_ONLY]
    create = create_model(  # type: ignore[call-overload]
        f"{cls.__name__}In", __config__=ConfigDict(extra="forbid"),
        **{f.name: (hints[f.name], _default(f)) for f in writable})
    patch = create_model(  # type: ignore[call-overload]
        f"{cls.__name__}Patch", __config__=ConfigDict(extra="forbid"),
        **{f.name: (hints[f.name] | None, None) for f in writable})
    out = create_model(  # type: ignore[call-overload]
        f"{cls.__name__}Out", __config__=ConfigDict(from_attributes=True),
        **{f.name: (hints[f.name], ...) for f in fields})
    return create, patch, out


def _filters(request: Request, cls: type) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    out: dict[str, Any] = {}
    for name, raw in request.query_params.items():
        if name not in hints:
            raise Invalid(f"cannot filter by {name!r}", field=name)
        out[name] = _coerce(name, raw, hints[name])
    return out


def _coerce(name: str, raw: str, hint: Any) -> Any:
    args = [a for a in typing.get_args(hint) if a is not type(None)] or [hint]
    target = args[0]
    try:
        if target is bool:
            return raw.lower() in ("1", "true", "yes")
        if target is int:
            return int(raw)
        if target is float:
            return float(raw)
        if target is date:
            return date.fromisoformat(raw)
        if target is datetime:
            return datetime.fromisoformat(raw)
        return target(raw)
    except ValueError as exc:
        raise Invalid(f"{raw!r} is not a valid value", field=name) from exc


def add_entity_routes(name: str) -> None:
    spec = catalog.spec(name)
    create_in, patch_in, out = build_models(spec.cls)
    label = spec.cls.__name__

    def list_(request: Request, app: Tm, actor: ApiActor) -> list[Any]:
        found = catalog.list_entities(app.uow(), actor, name, **_filters(request, spec.cls))
        return [out.model_validate(o) for o in found]

    def get(id: int, app: Tm, actor: ApiActor) -> Any:
        return out.model_validate(catalog.get_entity(app.uow(), actor, name, id))

    def create(body: create_in, app: Tm, actor: ApiActor) -> Any:  # type: ignore[valid-type]
        values = body.model_dump()  # type: ignore[attr-defined]
        obj = catalog.create_entity(app.uow(), actor, name, values, at=app.clock())
        return out.model_validate(obj)

    def update(id: int, body: patch_in, app: Tm, actor: ApiActor) -> Any:  # type: ignore[valid-type]
        values = body.model_dump(exclude_unset=True)  # type: ignore[attr-defined]
        obj = catalog.update_entity(app.uow(), actor, name, id, values, at=app.clock())
        return out.model_validate(obj)

    def delete(id: int, app: Tm, actor: ApiActor) -> Response:
        catalog.delete_entity(app.uow(), actor, name, id)
        return Response(status_code=204)

    tags: list[str | Enum] = [name]
    router.add_api_route(f"/{name}", list_, methods=["GET"], response_model=list[out],  # type: ignore[valid-type]
                         tags=tags, summary=f"List {name}", operation_id=f"list_{name}")
    router.add_api_route(f"/{name}/{{id}}", get, methods=["GET"], response_model=out,
                         tags=tags, summary=f"Get a {label}", operation_id=f"get_{name}")
    router.add_api_route(f"/{name}", create, methods=["POST"], response_model=out,
                         status_code=201, tags=tags, summary=f"Create a {label}",
                         operation_id=f"create_{name}")
    router.add_api_route(f"/{name}/{{id}}", update, methods=["PATCH"], response_model=out,
                         tags=tags, summary=f"Update a {label}", operation_id=f"update_{name}")
    router.add_api_route(f"/{name}/{{id}}", delete, methods=["DELETE"], status_code=204,
                         tags=tags, summary=f"Delete a {label}", operation_id=f"delete_{name}")


for _name in catalog.SPECS:
    add_entity_routes(_name)
