"""JSON-ready views of the planning read models, shared by the API and `--json` commands."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from trainmaster.analytics.capacity import IterationLoad
from trainmaster.analytics.wsjf import EpicRollup, RankedFeature
from trainmaster.domain.vote import ART_SCOPE
from trainmaster.services.kanban import KanbanBoard
from trainmaster.services.planning import CapacityView, GuardrailView, ReadinessView
from trainmaster.services.risks import RoamBoard
from trainmaster.services.votes import RoundResult, VoteStatus


def ranked_json(r: RankedFeature) -> dict[str, Any]:
    f = r.item
    return {"rank": r.rank, "wsjf": r.wsjf, "cost_of_delay": r.cost_of_delay, "id": f.id,
            "key": f.key, "title": f.title, "status": f.status, "work_type": f.work_type.value,
            "business_value": f.business_value, "time_criticality": f.time_criticality,
            "risk_reduction": f.risk_reduction, "job_size": f.job_size, "points": f.points,
            "team_id": f.team_id, "pi_id": f.pi_id}


def rollup_json(r: EpicRollup) -> dict[str, Any]:
    return {"id": r.epic.id, "key": r.epic.key, "title": r.epic.title, "features": r.features,
            "estimate": r.estimate, "unestimated": r.unestimated, "accepted": r.accepted,
            "progress": r.progress}


def readiness_json(view: ReadinessView) -> dict[str, Any]:
    r = view.readiness
    return {"pi": view.pi.name, "score": r.score, "level": r.level, "ready": r.ready,
            "features_examined": r.features_examined, "teams_examined": r.teams_examined,
            "findings": [f.__dict__ for f in r.findings],
            "team_capacity": view.team_capacity,
            "examined": [ranked_json(x) for x in view.examined]}


def load_json(x: IterationLoad) -> dict[str, Any]:
    return {"iteration_id": x.iteration_id, "iteration": x.name, "is_ip": x.is_ip,
            "capacity": x.capacity, "load": x.load, "free": x.free,
            "overloaded": x.overloaded}


def capacity_json(view: CapacityView) -> dict[str, Any]:
    return {"pi": view.pi.name, "teams": [
        {"team_id": t.team.id, "team": t.team.name, "capacity": t.capacity, "load": t.load,
         "iterations": [load_json(x) for x in t.iterations]} for t in view.teams]}


def guardrails_json(view: GuardrailView) -> dict[str, Any]:
    return {"pi": view.pi.name, "tolerance": view.tolerance,
            "rows": [r.__dict__ for r in view.rows],
            "flagged": [r.work_type for r in view.flagged]}


def roam_json(board: RoamBoard) -> dict[str, Any]:
    return {"art": board.art.key, "columns": {
        roam.value: [{"id": c.risk.id, "title": c.risk.title, "owner": c.owner.name
                      if c.owner else None, "due": c.risk.due.isoformat() if c.risk.due
                      else None, "overdue": c.overdue,
                      "history": [{"from": h.from_roam.value, "to": h.to_roam.value,
                                   "at": h.at.isoformat(), "by_user_id": h.by_user_id,
                                   "note": h.note} for h in c.history]}
                     for c in cards] for roam, cards in board.columns.items()}}


def _round_json(r: RoundResult) -> dict[str, Any]:
    def scope(t: Any) -> dict[str, Any]:
        return {"count": t.count, "mean": t.mean, "histogram": list(t.histogram),
                "heard": [{"voter_id": v, "value": x, "reason": why} for v, x, why in t.heard]}
    return {"number": r.round.number, "status": r.round.status.value,
            "opened_at": r.round.opened_at.isoformat(),
            "closed_at": r.round.closed_at.isoformat() if r.round.closed_at else None,
            "art": scope(r.outcome.art), "commits": r.outcome.commits,
            "reasons": list(r.outcome.reasons),
            "teams": {str(t): scope(s) for t, s in r.outcome.teams.items()}}


def vote_json(status: VoteStatus) -> dict[str, Any]:
    return {"pi": status.pi.name, "committed": status.committed, "scopes": [ART_SCOPE] + [
        f"team:{t.id}" for t in status.teams], "teams": {str(t.id): t.name for t in status.teams},
        "rounds": [_round_json(r) for r in status.rounds]}


def kanban_json(board: KanbanBoard) -> dict[str, Any]:
    return {"art": board.art.key, "columns": [
        {"state": c.state.value, "limit": c.limit, "count": len(c.items),
         "over_limit": c.over_limit,
         "items": [{"id": i.id, "key": i.key, "title": i.title} for i in c.items]}
        for c in board.columns],
        "overrides": [{f.name: getattr(o, f.name) for f in fields(o)} | {"at": o.at.isoformat()}
                      for o in board.overrides]}
