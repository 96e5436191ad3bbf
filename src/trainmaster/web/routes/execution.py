"""JSON API for running the train: ART Sync records, meeting notes, action items, impediments.

`{art}` is an ART key or id. Writes need the run-events permission on the ART.
"""

from datetime import date
from typing import Any

from fastapi import APIRouter
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, ConfigDict, Field

from trainmaster.domain.action import ActionStatus
from trainmaster.domain.event import EventKind
from trainmaster.domain.impediment import Level
from trainmaster.domain.meeting import OutcomeKind, ScopeChangeKind, TeamStatus
from trainmaster.services import actions, impediments, notes, overview, syncs
from trainmaster.web.security import ApiActor, Tm

router = APIRouter(prefix="/api/v1", tags=["execution"])


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SyncIn(Body):
    kind: EventKind = EventKind.ART_SYNC
    held_on: date | None = None
    title: str = ""


class TeamReportIn(Body):
    status: TeamStatus | None = None
    progress: int | None = Field(default=None, ge=0, le=100)
    note: str | None = None
    needs: str | None = None


class ScopeChangeIn(Body):
    kind: ScopeChangeKind
    description: str
    item_id: int | None = None


class OutcomeIn(Body):
    kind: OutcomeKind
    text: str
    owner_id: int | None = None
    due: date | None = None
    team_id: int | None = None


class NotesIn(Body):
    text: str
    format: str | None = None


class ConfirmIn(Body):
    text: str | None = None
    owner_id: int | None = None
    due: date | None = None
    team_id: int | None = None


class ActionIn(Body):
    title: str
    owner_id: int | None = None
    due: date | None = None
    source: str = ""


class CloseIn(Body):
    status: ActionStatus = ActionStatus.DONE


class ImpedimentIn(Body):
    title: str
    description: str = ""
    team_id: int | None = None
    pi_id: int | None = None
    owner_id: int | None = None
    level: Level = Level.TEAM


def _art_id(app: Tm, actor: ApiActor, ref: str) -> int:
    return overview.find_art(app.uow(), actor, ref).id or 0


def encode(value: Any) -> Any:
    return jsonable_encoder(value)


@router.get("/arts/{art}/sync-facts", summary="What this week's ART Sync should look at")
def get_sync_facts(art: str, app: Tm, actor: ApiActor, on: date | None = None) -> Any:
    facts = syncs.sync_facts(app.uow(), actor, _art_id(app, actor, art), at=app.clock(), on=on)
    return encode(facts)


@router.get("/arts/{art}/syncs", summary="The ART's sync records, newest first")
def list_syncs(art: str, app: Tm, actor: ApiActor) -> Any:
    return encode(syncs.list_syncs(app.uow(), actor, _art_id(app, actor, art)))


@router.post("/arts/{art}/syncs", status_code=201, summary="Start (or reopen) a sync record")
def start_sync(art: str, body: SyncIn, app: Tm, actor: ApiActor) -> Any:
    meeting = syncs.start_sync(app.uow(), actor, _art_id(app, actor, art), at=app.clock(),
                               kind=body.kind, held_on=body.held_on, title=body.title)
    return encode(meeting)


@router.get("/syncs/{meeting_id}", summary="A sync record with its facts")
def get_sync(meeting_id: int, app: Tm, actor: ApiActor) -> Any:
    return encode(syncs.sync_record(app.uow(), actor, meeting_id, at=app.clock()))


@router.put("/syncs/{meeting_id}/teams/{team_id}", summary="One team's report in the sync")
def put_team_report(meeting_id: int, team_id: int, body: TeamReportIn, app: Tm,
                    actor: ApiActor) -> Any:
    return encode(syncs.update_team_report(app.uow(), actor, meeting_id, team_id,
                                           **body.model_dump()))


@router.post("/syncs/{meeting_id}/scope-changes", status_code=201,
             summary="A PO Sync change of scope or priority")
def add_scope_change(meeting_id: int, body: ScopeChangeIn, app: Tm, actor: ApiActor) -> Any:
    return encode(syncs.add_scope_change(app.uow(), actor, meeting_id, body.kind,
                                         body.description, item_id=body.item_id))


@router.post("/syncs/{meeting_id}/outcomes", status_code=201,
             summary="Record a decision, action item, risk or impediment of the sync")
def record_outcome(meeting_id: int, body: OutcomeIn, app: Tm, actor: ApiActor) -> Any:
    values = body.model_dump(exclude={"kind", "text"})
    return encode(syncs.record_outcome(app.uow(), actor, meeting_id, body.kind, body.text,
                                       at=app.clock(), **values))


@router.post("/syncs/{meeting_id}/notes", summary="Analyse meeting notes into proposals")
def analyse_notes(meeting_id: int, body: NotesIn, app: Tm, actor: ApiActor) -> Any:
    notes.analyse_notes(app.uow(), actor, meeting_id, body.text, fmt=body.format,
                        at=app.clock())
    record = syncs.sync_record(app.uow(), actor, meeting_id, at=app.clock(), with_facts=False)
    return encode({"analysis": record.meeting.analysis, "proposals": record.proposals})


@router.post("/outcomes/{outcome_id}/confirm", summary="Confirm a proposal, possibly edited")
def confirm_outcome(outcome_id: int, body: ConfirmIn, app: Tm, actor: ApiActor) -> Any:
    return encode(notes.confirm_outcome(app.uow(), actor, outcome_id, at=app.clock(),
                                        **body.model_dump(exclude_unset=True)))


@router.post("/outcomes/{outcome_id}/reject", summary="Reject a proposal")
def reject_outcome(outcome_id: int, app: Tm, actor: ApiActor) -> Any:
    return encode(notes.reject_outcome(app.uow(), actor, outcome_id))


@router.get("/arts/{art}/actions", summary="Action items of the ART")
def list_actions(art: str, app: Tm, actor: ApiActor, status: ActionStatus | None = None,
                 owner_id: int | None = None, overdue: bool = False) -> Any:
    return encode(actions.list_actions(app.uow(), actor, _art_id(app, actor, art),
                                       at=app.clock(), status=status, owner_id=owner_id,
                                       overdue_only=overdue))


@router.post("/arts/{art}/actions", status_code=201, summary="Add an action item")
def add_action(art: str, body: ActionIn, app: Tm, actor: ApiActor) -> Any:
    return encode(actions.add_action(app.uow(), actor, _art_id(app, actor, art), body.title,
                                     owner_id=body.owner_id, due=body.due, source=body.source,
                                     at=app.clock()))


@router.post("/actions/{action_id}/close", summary="Mark an action item done or cancelled")
def close_action(action_id: int, body: CloseIn, app: Tm, actor: ApiActor) -> Any:
    return encode(actions.close_action(app.uow(), actor, action_id, status=body.status))


@router.get("/me/actions", summary="The caller's own action items")
def my_actions(app: Tm, actor: ApiActor) -> Any:
    return encode(actions.my_actions(app.uow(), actor, at=app.clock()))


@router.get("/people/{person_id}/actions", summary="One person's action items")
def person_actions(person_id: int, app: Tm, actor: ApiActor) -> Any:
    return encode(actions.person_actions(app.uow(), actor, person_id, at=app.clock()))


@router.get("/arts/{art}/impediments", summary="Impediments with their escalation steps")
def list_impediments(art: str, app: Tm, actor: ApiActor, open: bool = False,
                     pi_id: int | None = None) -> Any:
    return encode(impediments.list_impediments(app.uow(), actor, _art_id(app, actor, art),
                                               at=app.clock(), open_only=open, pi_id=pi_id))


@router.post("/arts/{art}/impediments", status_code=201, summary="Raise an impediment")
def raise_impediment(art: str, body: ImpedimentIn, app: Tm, actor: ApiActor) -> Any:
    values = body.model_dump(exclude={"title"})
    return encode(impediments.raise_impediment(app.uow(), actor, _art_id(app, actor, art),
                                               body.title, at=app.clock(), **values))


@router.get("/arts/{art}/impediments/report", summary="Time to resolve per level")
def impediment_report(art: str, app: Tm, actor: ApiActor, pi_id: int | None = None) -> Any:
    return encode(impediments.impediment_report(app.uow(), actor, _art_id(app, actor, art),
                                                at=app.clock(), pi_id=pi_id))


@router.get("/impediments/{impediment_id}/steps", summary="An impediment and its steps")
def impediment_steps(impediment_id: int, app: Tm, actor: ApiActor) -> Any:
    return encode(impediments.impediment_detail(app.uow(), actor, impediment_id,
                                                at=app.clock()))


@router.post("/impediments/{impediment_id}/escalate", summary="Escalate one level up")
def escalate_impediment(impediment_id: int, app: Tm, actor: ApiActor) -> Any:
    return encode(impediments.escalate_impediment(app.uow(), actor, impediment_id,
                                                  at=app.clock()))


@router.post("/impediments/{impediment_id}/resolve", summary="Resolve at the current level")
def resolve_impediment(impediment_id: int, app: Tm, actor: ApiActor) -> Any:
    return encode(impediments.resolve_impediment(app.uow(), actor, impediment_id,
                                                 at=app.clock()))
