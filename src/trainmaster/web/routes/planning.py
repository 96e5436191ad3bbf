"""JSON API of PI Planning: readiness, WSJF, capacity, guardrails, agenda, objectives,
ROAM, confidence vote, baseline and the ART Kanban.

`{art}` is an ART key or id. (No `from __future__ import annotations`: FastAPI reads the
handlers' annotations.)
"""

from datetime import date, time
from typing import Any

from fastapi import APIRouter, Response
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, ConfigDict, Field

from trainmaster.services import (
    agenda,
    baseline,
    kanban,
    objectives,
    overview,
    planning,
    risks,
    votes,
)
from trainmaster.services.planning_json import (
    capacity_json,
    guardrails_json,
    kanban_json,
    ranked_json,
    readiness_json,
    roam_json,
    rollup_json,
    vote_json,
)
from trainmaster.web.security import ApiActor, Tm

router = APIRouter(prefix="/api/v1", tags=["planning"])
ICS = "text/calendar; charset=utf-8"


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AgendaIn(Body):
    day_one: date | None = None


class TimeboxIn(Body):
    start: time
    end: time
    title: str | None = None


class ObjectiveIn(Body):
    text: str
    team_id: int | None = None
    committed: bool = True
    feature_ids: list[int] = []


class BusinessValueIn(Body):
    planned: int | None = None
    actual: int | None = None


class RoamIn(Body):
    to: str
    owner_id: int | None = None
    note: str = ""


class VoteIn(Body):
    scope: str = Field(description="'art' or 'team:<id>'")
    value: int
    reason: str = ""
    voter_id: int | None = None


class MoveIn(Body):
    to: str
    override: bool = False
    reason: str = ""


def _art_id(app: Tm, actor: ApiActor, ref: str) -> int:
    return overview.find_art(app.uow(), actor, ref).id or 0


@router.get("/pis/{pi_id}/readiness", summary="Readiness score and what to fix")
def get_readiness(pi_id: int, app: Tm, actor: ApiActor, limit: int = 20) -> Any:
    return readiness_json(planning.check_readiness(app.uow(), actor, pi_id, limit=limit))


@router.get("/arts/{art}/wsjf", summary="The ART backlog ranked by WSJF")
def get_wsjf(art: str, app: Tm, actor: ApiActor, pi_id: int | None = None) -> Any:
    ranked = planning.rank_backlog(app.uow(), actor, _art_id(app, actor, art), pi_id=pi_id)
    return [ranked_json(r) for r in ranked]


@router.get("/arts/{art}/epics", summary="Epic roll-up: estimate and progress")
def get_epics(art: str, app: Tm, actor: ApiActor) -> Any:
    return [rollup_json(r) for r in
            planning.roll_up_epics(app.uow(), actor, _art_id(app, actor, art))]


@router.get("/pis/{pi_id}/capacity", summary="Capacity vs load per team and iteration")
def get_capacity(pi_id: int, app: Tm, actor: ApiActor, team_id: int | None = None) -> Any:
    return capacity_json(planning.plan_capacity(app.uow(), actor, pi_id, team_id=team_id))


@router.get("/pis/{pi_id}/guardrails", summary="Capacity allocation against the guardrails")
def get_guardrails(pi_id: int, app: Tm, actor: ApiActor) -> Any:
    return guardrails_json(planning.check_guardrails(app.uow(), actor, pi_id))


@router.get("/pis/{pi_id}/agenda", summary="The PI Planning agenda")
def get_agenda(pi_id: int, app: Tm, actor: ApiActor) -> Any:
    return jsonable_encoder(agenda.show_agenda(app.uow(), actor, pi_id).items)


@router.post("/pis/{pi_id}/agenda", status_code=201, summary="Generate the default agenda")
def generate_agenda(pi_id: int, body: AgendaIn, app: Tm, actor: ApiActor) -> Any:
    view = agenda.generate_agenda(app.uow(), actor, pi_id, day_one=body.day_one,
                                  at=app.clock())
    return jsonable_encoder(view.items)


@router.patch("/agenda/{item_id}", summary="Retime a timebox (local times in the ART's zone)")
def retime_timebox(item_id: int, body: TimeboxIn, app: Tm, actor: ApiActor) -> Any:
    return jsonable_encoder(agenda.retime_timebox(app.uow(), actor, item_id, start=body.start,
                                                  end=body.end, title=body.title,
                                                  at=app.clock()))


@router.get("/pis/{pi_id}/agenda.ics", summary="The agenda as iCalendar")
def export_agenda(pi_id: int, app: Tm, actor: ApiActor) -> Response:
    data = agenda.export_agenda(app.uow(), actor, pi_id, at=app.clock())
    return Response(data, media_type=ICS)


@router.get("/pis/{pi_id}/objectives", summary="Team and program PI objectives")
def get_objectives(pi_id: int, app: Tm, actor: ApiActor) -> Any:
    view = objectives.program_objectives(app.uow(), actor, pi_id)
    return jsonable_encoder({
        "teams": [{"team": t.team.name if t.team else None, "committed": t.committed,
                   "uncommitted": t.uncommitted, "planned_bv": t.planned_bv}
                  for t in view.teams],
        "committed": view.committed, "uncommitted": view.uncommitted,
        "planned_bv": view.planned_bv, "publications": view.publications})


@router.post("/pis/{pi_id}/objectives", status_code=201, summary="Write a team PI objective")
def write_objective(pi_id: int, body: ObjectiveIn, app: Tm, actor: ApiActor) -> Any:
    return jsonable_encoder(objectives.write_objective(
        app.uow(), actor, pi_id, body.text, team_id=body.team_id, committed=body.committed,
        feature_ids=body.feature_ids, at=app.clock()))


@router.post("/objectives/{objective_id}/business-value",
             summary="Business Owners: planned (1–10) or actual (0–10) business value")
def set_business_value(objective_id: int, body: BusinessValueIn, app: Tm,
                       actor: ApiActor) -> Any:
    return jsonable_encoder(objectives.set_business_value(
        app.uow(), actor, objective_id, planned=body.planned, actual=body.actual))


@router.post("/pis/{pi_id}/objectives/publish", status_code=201,
             summary="Publish the program PI objectives (RTE)")
def publish_objectives(pi_id: int, app: Tm, actor: ApiActor) -> Any:
    return jsonable_encoder(objectives.publish_objectives(app.uow(), actor, pi_id,
                                                          at=app.clock()))


@router.get("/arts/{art}/roam", summary="The ROAM board")
def get_roam(art: str, app: Tm, actor: ApiActor, pi_id: int | None = None) -> Any:
    return roam_json(risks.roam_board(app.uow(), actor, _art_id(app, actor, art), pi_id=pi_id,
                                      today=app.clock().date()))


@router.post("/risks/{risk_id}/roam", summary="Move a risk on the ROAM board")
def roam_risk(risk_id: int, body: RoamIn, app: Tm, actor: ApiActor) -> Any:
    return jsonable_encoder(risks.roam_risk(app.uow(), actor, risk_id, body.to,
                                            owner_id=body.owner_id, note=body.note,
                                            at=app.clock()))


@router.get("/pis/{pi_id}/vote", summary="The confidence vote: every round and its tally")
def get_vote(pi_id: int, app: Tm, actor: ApiActor) -> Any:
    return vote_json(votes.vote_status(app.uow(), actor, pi_id))


@router.post("/pis/{pi_id}/vote/open", status_code=201, summary="Open the vote (RTE)")
def open_vote(pi_id: int, app: Tm, actor: ApiActor) -> Any:
    return jsonable_encoder(votes.open_vote(app.uow(), actor, pi_id, at=app.clock()))


@router.post("/pis/{pi_id}/vote/cast", summary="Vote 1–5 for the ART or a team")
def cast_vote(pi_id: int, body: VoteIn, app: Tm, actor: ApiActor) -> Any:
    return jsonable_encoder(votes.cast_vote(app.uow(), actor, pi_id, body.scope, body.value,
                                            reason=body.reason, voter_id=body.voter_id,
                                            at=app.clock()))


@router.post("/pis/{pi_id}/vote/close", summary="Close the round: commit or rework (RTE)")
def close_vote(pi_id: int, app: Tm, actor: ApiActor) -> Any:
    result = votes.close_vote(app.uow(), actor, pi_id, at=app.clock())
    return jsonable_encoder({"round": result.round, "commits": result.outcome.commits,
                             "reasons": result.outcome.reasons})


@router.get("/pis/{pi_id}/baseline", summary="What changed since the PI's baseline")
def get_baseline(pi_id: int, app: Tm, actor: ApiActor) -> Any:
    view = baseline.baseline_changes(app.uow(), actor, pi_id)
    return jsonable_encoder({"taken_at": view.baseline.taken_at if view.baseline else None,
                             "changes": view.changes})


@router.get("/arts/{art}/kanban", summary="The ART Kanban with WIP limits")
def get_kanban(art: str, app: Tm, actor: ApiActor, pi_id: int | None = None) -> Any:
    return kanban_json(kanban.kanban_board(app.uow(), actor, _art_id(app, actor, art),
                                           pi_id=pi_id))


@router.post("/items/{item_id}/move", summary="Move a feature on the ART Kanban")
def move_feature(item_id: int, body: MoveIn, app: Tm, actor: ApiActor) -> Any:
    result = kanban.move_feature(app.uow(), actor, item_id, body.to, override=body.override,
                                 reason=body.reason, at=app.clock())
    return jsonable_encoder({"item": result.item, "change": result.change,
                             "override": result.override})
