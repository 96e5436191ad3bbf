"""The ART calendar: generate from the cadence, edit, export, subscribe.

Calendar clients send no cookies: `/calendar/<ART>.ics?token=<feed secret>` serves the
feed with the ART's secret (shown on the calendar page and by
`GET /api/v1/arts/<ART>/calendar-feed`); without `token` the feed needs a session or an
`Authorization: Bearer <API token>` header.
"""

from datetime import date, time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from trainmaster.domain.access import Permission
from trainmaster.services import calendar, overview
from trainmaster.web.rendering import render
from trainmaster.web.routes.execution import Body, encode
from trainmaster.web.security import ApiActor, Caller, PageCaller, Tm, api_caller

router = APIRouter(tags=["calendar"])
ICS = "text/calendar; charset=utf-8"


class EventScheduleIn(Body):
    title: str | None = None
    day: date | None = None
    start: time | None = None
    end: time | None = None
    location: str | None = None


async def feed_caller(request: Request, token: str | None = None) -> Caller | None:
    """No caller when the feed secret is given; otherwise a session or a Bearer token."""
    return None if token else await api_caller(request)


def _ics(data: bytes, filename: str, *, download: bool) -> Response:
    disposition = "attachment" if download else "inline"
    return Response(data, media_type=ICS, headers={
        "Content-Disposition": f'{disposition}; filename="{filename}"',
        "Cache-Control": "private, max-age=300"})


def feed_url(request: Request, art_key: str, token: str) -> str:
    return f"{str(request.base_url).rstrip('/')}/calendar/{art_key}.ics?token={token}"


@router.api_route("/calendar/{art}.ics", methods=["GET", "HEAD"],
                  summary="Subscribable iCalendar feed of an ART")
def calendar_feed(art: str, app: Tm, caller: Annotated[Caller | None, Depends(feed_caller)],
                  token: str | None = None) -> Response:
    if caller is None:
        data = calendar.feed_calendar(app.uow(), art, token or "", at=app.clock())
    else:
        found = overview.find_art(app.uow(), caller.actor, art)
        data = calendar.export_calendar(app.uow(), caller.actor, found.id or 0, at=app.clock())
    return _ics(data, f"{art.lower()}.ics", download=False)


@router.post("/api/v1/pis/{pi_id}/calendar", summary="Generate the PI's events from its cadence")
def generate_calendar(pi_id: int, app: Tm, actor: ApiActor) -> Any:
    result = calendar.generate_calendar(app.uow(), actor, pi_id)
    return encode({"pi": result.pi, "created": result.created, "kept": result.kept})


@router.get("/api/v1/arts/{art}/calendar", summary="Event occurrences of one PI")
def get_calendar(art: str, app: Tm, actor: ApiActor, pi_id: int | None = None) -> Any:
    found = overview.find_art(app.uow(), actor, art)
    view = calendar.calendar_view(app.uow(), actor, found.id or 0, pi_id=pi_id,
                                  today=app.clock().date())
    return encode({"pi": view.pi, "timezone": view.art.timezone, "occurrences": [
        {"event_id": o.event.id, "kind": o.event.kind, "title": o.event.title,
         "start": o.start, "end": o.end, "recurring": bool(o.event.recurrence)}
        for o in view.occurrences]})


@router.get("/api/v1/arts/{art}/calendar.ics", summary="Download the ART's calendar")
def download_calendar(art: str, app: Tm, actor: ApiActor, pi_id: int | None = None
                      ) -> Response:
    found = overview.find_art(app.uow(), actor, art)
    data = calendar.export_calendar(app.uow(), actor, found.id or 0, at=app.clock(),
                                    pi_id=pi_id)
    return _ics(data, f"{found.key.lower()}{f'-pi-{pi_id}' if pi_id else ''}.ics",
                download=True)


@router.put("/api/v1/events/{event_id}/schedule", summary="Edit an event in local time")
def schedule_event(event_id: int, body: EventScheduleIn, app: Tm, actor: ApiActor) -> Any:
    return encode(calendar.update_event(app.uow(), actor, event_id, **body.model_dump()))


@router.get("/api/v1/arts/{art}/calendar-feed", summary="The feed address with its secret")
def get_feed(art: str, request: Request, app: Tm, actor: ApiActor) -> Any:
    found = overview.find_art(app.uow(), actor, art)
    token = calendar.feed_token(app.uow(), actor, found.id or 0, at=app.clock())
    return {"url": feed_url(request, found.key, token), "token": token}


@router.post("/api/v1/arts/{art}/calendar-feed/rotate", summary="Replace the feed secret")
def rotate_feed(art: str, request: Request, app: Tm, actor: ApiActor) -> Any:
    found = overview.find_art(app.uow(), actor, art)
    token = calendar.rotate_feed_token(app.uow(), actor, found.id or 0, at=app.clock())
    return {"url": feed_url(request, found.key, token), "token": token}


@router.get("/arts/{art}/calendar", response_class=HTMLResponse, include_in_schema=False)
def calendar_page(request: Request, art: str, app: Tm, caller: PageCaller,
                  pi_id: int | None = None) -> Response:
    found = overview.find_art(app.uow(), caller.actor, art)
    view = calendar.calendar_view(app.uow(), caller.actor, found.id or 0, pi_id=pi_id,
                                  today=app.clock().date())
    token = calendar.feed_token(app.uow(), caller.actor, found.id or 0, at=app.clock())
    return render(request, "execution/calendar.html", {
        "art": found, "view": view, "feed": feed_url(request, found.key, token),
        "can_manage": caller.actor.can(Permission.MANAGE_TRAIN, found.id)})
