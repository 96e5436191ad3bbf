"""Pages for running the train: ART Sync, action items, impediments.

The pages only read; their forms and buttons call the JSON API (static/execution.js).
"""

from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from trainmaster.domain.access import Permission
from trainmaster.domain.action import ActionStatus
from trainmaster.domain.event import EventKind
from trainmaster.domain.meeting import OutcomeKind, ScopeChangeKind, TeamStatus
from trainmaster.services import actions, impediments, notes, overview, syncs
from trainmaster.web.rendering import render
from trainmaster.web.security import PageCaller, Tm

router = APIRouter(include_in_schema=False)
SYNC_KINDS = (EventKind.ART_SYNC, EventKind.COACH_SYNC, EventKind.PO_SYNC)


@router.get("/arts/{art}/sync", response_class=HTMLResponse)
def sync_home(request: Request, art: str, app: Tm, caller: PageCaller) -> Response:
    found = overview.find_art(app.uow(), caller.actor, art)
    facts = syncs.sync_facts(app.uow(), caller.actor, found.id or 0, at=app.clock())
    return render(request, "execution/sync_home.html", {
        "art": found, "facts": facts, "kinds": SYNC_KINDS,
        "syncs": syncs.list_syncs(app.uow(), caller.actor, found.id or 0),
        "can_run": caller.actor.can(Permission.RUN_EVENTS, found.id)})


@router.get("/syncs/{meeting_id}", response_class=HTMLResponse)
def sync_page(request: Request, meeting_id: int, app: Tm, caller: PageCaller) -> Response:
    record = syncs.sync_record(app.uow(), caller.actor, meeting_id, at=app.clock())
    return render(request, "execution/sync.html", {
        "art": record.art, "r": record, "facts": record.facts,
        "segments": notes.notes_segments(record.meeting), "statuses": list(TeamStatus),
        "scope_kinds": list(ScopeChangeKind), "outcome_kinds": list(OutcomeKind),
        "can_run": caller.actor.can(Permission.RUN_EVENTS, record.art.id)})


@router.get("/arts/{art}/actions", response_class=HTMLResponse)
def actions_page(request: Request, art: str, app: Tm, caller: PageCaller,
                 status: ActionStatus | None = ActionStatus.OPEN) -> Response:
    found = overview.find_art(app.uow(), caller.actor, art)
    views = actions.list_actions(app.uow(), caller.actor, found.id or 0, at=app.clock(),
                                 status=status)
    return render(request, "execution/actions.html", {
        "art": found, "views": views, "status": status, "statuses": list(ActionStatus),
        "people": syncs.list_people(app.uow(), caller.actor, found.id or 0),
        "can_run": caller.actor.can(Permission.RUN_EVENTS, found.id)})


@router.get("/me/actions", response_class=HTMLResponse)
def my_actions_page(request: Request, app: Tm, caller: PageCaller) -> Response:
    mine = actions.my_actions(app.uow(), caller.actor, at=app.clock())
    return render(request, "execution/person_actions.html", {"p": mine, "mine": True})


@router.get("/people/{person_id}/actions", response_class=HTMLResponse)
def person_actions_page(request: Request, person_id: int, app: Tm,
                        caller: PageCaller) -> Response:
    found = actions.person_actions(app.uow(), caller.actor, person_id, at=app.clock())
    return render(request, "execution/person_actions.html", {"p": found, "mine": False})


@router.get("/arts/{art}/impediments", response_class=HTMLResponse)
def impediments_page(request: Request, art: str, app: Tm, caller: PageCaller) -> Response:
    found = overview.find_art(app.uow(), caller.actor, art)
    views = impediments.list_impediments(app.uow(), caller.actor, found.id or 0,
                                         at=app.clock())
    report = impediments.impediment_report(app.uow(), caller.actor, found.id or 0,
                                           at=app.clock())
    zone = ZoneInfo(found.timezone)
    return render(request, "execution/impediments.html", {
        "art": found, "views": views, "report": report,
        "local": lambda moment: moment.astimezone(zone),
        "teams": overview.art_overview(app.uow(), caller.actor, found.id or 0,
                                       today=app.clock().date()).teams,
        "can_run": caller.actor.can(Permission.RUN_EVENTS, found.id)})
