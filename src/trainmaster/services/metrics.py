"""The flow dashboard of a team, an ART or a portfolio (DOMAIN.md, Flow metrics).

Status histories are read columnar from the database and handed to analytics.flow and
analytics.cfd with the default workflow mapping. The flow unit is the story (team work)
or the feature (ART Kanban). With a PI the window is the PI up to today and the cumulative
flow and burn-up cover the PI's own items; without one it is the last 90 days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np

from trainmaster.analytics import cfd
from trainmaster.analytics.cfd import (
    AgingWip,
    BurnUp,
    CumulativeFlow,
    FlowTimeScatter,
    ThroughputHistogram,
)
from trainmaster.analytics.flow import FlowMetrics, Window, metrics_for
from trainmaster.analytics.flow_history import StatusHistory, to_dates, zone
from trainmaster.analytics.flow_timeline import ItemTimeline, build_timeline
from trainmaster.analytics.flow_workflow import Category, WorkflowMapping, default_mapping
from trainmaster.analytics.forecast import ThroughputHistory
from trainmaster.domain.access import Actor, Permission
from trainmaster.domain.art import Art, Team
from trainmaster.domain.errors import Invalid, NotFound
from trainmaster.domain.pi import Pi
from trainmaster.domain.work_item import ItemLevel
from trainmaster.services import review
from trainmaster.services.overview import current_pi
from trainmaster.services.unit_of_work import UnitOfWork

DEFAULT_DAYS = 90
LEVELS = (ItemLevel.STORY.value, ItemLevel.FEATURE.value)


@dataclass(frozen=True)
class Scope:
    """Whose items, which PI, which window (local days, both ends inclusive)."""

    arts: list[Art]
    team: Team | None
    pi: Pi | None
    level: str
    start: date
    end: date
    tz: str
    today: date

    @property
    def label(self) -> str:
        name = self.team.name if self.team else ", ".join(a.name for a in self.arts)
        return f"{name} · {self.pi.name}" if self.pi else name


@dataclass(frozen=True)
class ItemColumns:
    """The scope's items as parallel lists (id order) and a key lookup."""

    ids: list[int]
    keys: dict[int, str]
    teams: dict[int, int | None]
    pis: dict[int, int | None]
    titles: dict[int, str]


@dataclass(frozen=True)
class FlowData:
    """Everything read from storage for one scope: items, their timeline, team names."""

    scope: Scope
    items: ItemColumns
    timeline: ItemTimeline | None
    team_names: dict[int, str]


@dataclass(frozen=True)
class PredictabilityRow:
    """The ART's and each team's predictability in one PI."""

    pi: Pi
    art: review.Predictability
    teams: list[review.Predictability]


@dataclass(frozen=True)
class Dashboard:
    """The dashboard's numbers: flow metrics and the data of every chart."""

    scope: Scope
    metrics: FlowMetrics | None
    teams: dict[str, FlowMetrics]
    cfd: CumulativeFlow | None
    scatter: FlowTimeScatter | None
    aging: AgingWip | None
    burn_up: BurnUp | None
    histogram: ThroughputHistogram | None
    predictability: list[PredictabilityRow]
    keys: dict[int, str] = field(default_factory=dict)


def workflow_mapping(art: Art | None = None) -> WorkflowMapping:
    """The workflow mapping of an ART (the default mapping: no ART overrides it yet)."""
    return default_mapping()


def resolve_scope(uow: UnitOfWork, actor: Actor, *, art_id: int | None = None,
                  portfolio_id: int | None = None, team_id: int | None = None,
                  pi_id: int | None = None, level: str = "story", today: date,
                  days: int = DEFAULT_DAYS) -> Scope:
    """Call inside `with uow:`. A PI given (or the ART's running PI when `pi_id` is 0)
    sets the window to the PI up to today; otherwise the last `days` days."""
    if level not in LEVELS:
        raise Invalid(f"unknown level {level!r} ({', '.join(LEVELS)})", field="level")
    arts = _arts(uow, actor, art_id, portfolio_id)
    team = uow.teams.get(team_id) if team_id else None
    if team is not None and team.art_id not in {a.id for a in arts}:
        raise NotFound(f"team {team_id} is not on {arts[0].key}")
    pi = _pi(uow, arts, pi_id, today)
    if pi is not None and pi.start_date <= today:
        start, end = pi.start_date, min(pi.end_date, today)
    else:
        start, end = today - timedelta(days=days - 1), today
    return Scope(arts, team, pi, level, start, end, arts[0].timezone, today)


def _arts(uow: UnitOfWork, actor: Actor, art_id: int | None, portfolio_id: int | None
          ) -> list[Art]:
    if art_id is not None:
        arts = [uow.arts.get(art_id)]
    elif portfolio_id is not None:
        arts = uow.arts.find(portfolio_id=portfolio_id, order_by="name")
        if not arts:
            raise NotFound(f"portfolio {portfolio_id} holds no ART")
    else:
        raise Invalid("name an ART or a portfolio", field="art")
    for art in arts:
        actor.require(Permission.VIEW, art.id)
    return arts


def _pi(uow: UnitOfWork, arts: list[Art], pi_id: int | None, today: date) -> Pi | None:
    if pi_id is None or len(arts) > 1:
        return None
    if pi_id == 0:
        return current_pi(uow.pis.find(art_id=arts[0].id, order_by="start_date"), today)
    pi = uow.pis.get(pi_id)
    if pi.art_id != arts[0].id:
        raise NotFound(f"{pi.name} is not a PI of {arts[0].key}")
    return pi


def load_flow(uow: UnitOfWork, scope: Scope) -> FlowData:
    """Call inside `with uow:`: the scope's items and their status histories, grouped by
    team (one group per team id, -1 for items without a team)."""
    filters: dict[str, Any] = {"art_id": [a.id for a in scope.arts], "level": scope.level}
    if scope.team is not None:
        filters["team_id"] = scope.team.id
    cols = uow.items.columns(["id", "key", "title", "team_id", "pi_id", "work_type"], **filters)
    items = ItemColumns(cols["id"], dict(zip(cols["id"], cols["key"], strict=True)),
                        dict(zip(cols["id"], cols["team_id"], strict=True)),
                        dict(zip(cols["id"], cols["pi_id"], strict=True)),
                        dict(zip(cols["id"], cols["title"], strict=True)))
    teams = {t.id or 0: t.name for t in uow.teams.find(art_id=[a.id for a in scope.arts])}
    rows = uow.status_changes.history(cols["id"]) if cols["id"] else []
    if not rows:
        return FlowData(scope, items, None, teams)
    types = dict(zip(cols["id"], (str(getattr(t, "value", t)) for t in cols["work_type"]),
                     strict=True))
    ids = [r[0] for r in rows]
    history = StatusHistory.from_changes(ids, [r[2] for r in rows], [r[3] for r in rows],
                                         [types[i] for i in ids])
    group = np.array([items.teams[i] or -1 for i in ids], dtype=np.int64)
    timeline = build_timeline(history, workflow_mapping(scope.arts[0]), group)
    return FlowData(scope, items, timeline, teams)


def window_of(scope: Scope) -> Window:
    return Window.of(scope.start, scope.end, scope.tz)


def pi_items(data: FlowData) -> ItemTimeline | None:
    """The timeline restricted to the scope's PI (all items without a PI)."""
    timeline, pi = data.timeline, data.scope.pi
    if timeline is None or pi is None:
        return timeline
    keep = np.array([data.items.pis.get(int(i)) == pi.id for i in timeline.items], dtype=bool)
    return timeline.subset(keep) if keep.any() else None


def flow_dashboard(uow: UnitOfWork, actor: Actor, *, art_id: int | None = None,
                   portfolio_id: int | None = None, team_id: int | None = None,
                   pi_id: int | None = None, level: str = "story", at: datetime,
                   today: date | None = None) -> Dashboard:
    """Flow metrics, cumulative flow, flow-time scatter, aging WIP, burn-up, throughput
    histogram and predictability across PIs for a team, an ART or a portfolio."""
    with uow:
        art_tz = _first_tz(uow, art_id, portfolio_id)
        day = today or _local_day(at, art_tz)
        scope = resolve_scope(uow, actor, art_id=art_id, portfolio_id=portfolio_id,
                              team_id=team_id, pi_id=pi_id, level=level, today=day)
        data = load_flow(uow, scope)
        predictability = predictability_history(uow, scope)
    return build_dashboard(data, predictability, at)


def _first_tz(uow: UnitOfWork, art_id: int | None, portfolio_id: int | None) -> str:
    if art_id is not None:
        return uow.arts.get(art_id).timezone
    arts = uow.arts.find(portfolio_id=portfolio_id) if portfolio_id is not None else []
    return arts[0].timezone if arts else "UTC"


def _local_day(at: datetime, tz: str) -> date:
    return at.astimezone(zone(tz)).date()


def build_dashboard(data: FlowData, predictability: list[PredictabilityRow],
                    at: datetime) -> Dashboard:
    """The dashboard of loaded data (pure: no storage)."""
    scope, timeline = data.scope, data.timeline
    if timeline is None:
        return Dashboard(scope, None, {}, None, None, None, None, None, predictability,
                         data.items.keys)
    window = window_of(scope)
    metrics = metrics_for(timeline, window, "week")
    teams = {}
    if scope.team is None and timeline.group is not None:
        for key in np.unique(timeline.group):
            name = data.team_names.get(int(key), "no team")
            teams[name] = metrics_for(timeline.subset(timeline.group == key), window)
    planned = pi_items(data)
    now = min(at, datetime.combine(scope.end + timedelta(days=1), datetime.min.time(),
                                   tzinfo=at.tzinfo))
    return Dashboard(
        scope, metrics, dict(sorted(teams.items())),
        cfd.cumulative_flow(planned, window) if planned is not None else None,
        cfd.flow_time_scatter(timeline, window),
        cfd.aging_wip(timeline, now, scope.tz),
        cfd.burn_up(planned, window) if planned is not None else None,
        cfd.throughput_histogram(timeline, window), predictability, data.items.keys)


def predictability_history(uow: UnitOfWork, scope: Scope) -> list[PredictabilityRow]:
    """Call inside `with uow:`: predictability per team and ART in every PI with scored
    objectives, oldest first; one team's rows with a team scope."""
    out = []
    for art in scope.arts:
        teams = uow.teams.find(art_id=art.id, order_by="name")
        if scope.team is not None:
            teams = [t for t in teams if t.id == scope.team.id]
        for pi in uow.pis.find(art_id=art.id, order_by="start_date"):
            objectives = uow.objectives.find(pi_id=pi.id)
            if scope.team is not None:
                objectives = [o for o in objectives if o.team_id == scope.team.id]
            rows, total = review.by_team(teams, objectives)
            if total.objectives > total.without_actual:  # something scored
                out.append(PredictabilityRow(pi, total, rows))
    return out


def throughput_history(timeline: ItemTimeline, tz: str, last_day: date,
                       mask: np.ndarray | None = None) -> ThroughputHistory | None:
    """Daily completions (zero days included) from the first completion to `last_day`;
    None without any completion by then."""
    done = timeline.done if mask is None else timeline.done[mask]
    reached = done[done < np.iinfo(np.int64).max]
    if reached.size == 0:
        return None
    first = to_dates(np.array([reached.min() // 86_400]))[0]
    if first > last_day:
        return None
    sub = timeline if mask is None else timeline.subset(mask)
    window = Window.of(first - timedelta(days=1), last_day, tz)
    start, counts = cfd.throughput_per_day(sub, window)
    return ThroughputHistory(to_dates(np.array([start]))[0], counts.astype(np.int64))


def done_mask(timeline: ItemTimeline, t: int) -> np.ndarray:
    """Items in a done state at epoch second `t`."""
    from trainmaster.analytics.flow_timeline import status_at
    owners, statuses = status_at(timeline, t)
    mask = np.zeros(timeline.items.size, dtype=bool)
    mask[owners[timeline.category_of_status[statuses] == Category.DONE]] = True
    return mask


def _num(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)


def _pcts(values: dict[int | float, float | None]) -> dict[str, float | None]:
    return {str(k): _num(v) for k, v in values.items()}


def metrics_dict(m: FlowMetrics) -> dict[str, Any]:
    """The six flow metrics (predictability apart) as JSON-ready data."""
    return {
        "window": [m.window_start.isoformat(), m.window_end.isoformat()],
        "items": m.items,
        "velocity": {"bucket": m.velocity.bucket, "total": m.velocity.total,
                     "starts": [d.isoformat() for d in m.velocity.starts],
                     "counts": list(m.velocity.counts)},
        "flow_time_days": {"count": m.flow_time.count, "mean": _num(m.flow_time.mean),
                           "percentiles": _pcts(m.flow_time.percentiles)},
        "load": {"at_end": m.load.at_end, "days": [d.isoformat() for d in m.load.days],
                 "wip": list(m.load.wip)},
        "efficiency": {"value": _num(m.efficiency.value, 4),
                       "median_item": _num(m.efficiency.median_item, 4),
                       "items": m.efficiency.items},
        "distribution": {"completed": m.distribution.completed_counts,
                         "in_progress": m.distribution.in_progress_counts}}


def _days(values: Any) -> list[str]:
    return [str(d) for d in np.asarray(values, dtype="datetime64[D]")]


def charts_dict(d: Dashboard) -> dict[str, Any]:
    """The data behind every chart of the dashboard."""
    out: dict[str, Any] = {}
    if d.cfd is not None:
        out["cfd"] = {"days": [x.isoformat() for x in d.cfd.days], "bands": list(d.cfd.bands),
                      "counts": d.cfd.counts.tolist()}
    if d.scatter is not None:
        s = d.scatter
        out["scatter"] = {"keys": [d.keys.get(int(i), str(i)) for i in s.item_ids],
                          "done": _days(s.done_days),
                          "flow_days": [round(float(v), 2) for v in s.flow_days],
                          "percentiles": _pcts(s.percentiles)}
    if d.aging is not None:
        a = d.aging
        out["aging"] = {"now": a.now.isoformat(),
                        "keys": [d.keys.get(int(i), str(i)) for i in a.item_ids],
                        "statuses": list(a.statuses),
                        "age_days": [round(float(v), 2) for v in a.ages_days],
                        "beyond": [int(b) for b in a.beyond],
                        "percentiles": _pcts(a.percentiles)}
    if d.burn_up is not None:
        b = d.burn_up
        out["burn_up"] = {"unit": b.unit, "days": [x.isoformat() for x in b.days],
                          "scope": list(b.scope), "done": list(b.done)}
    if d.histogram is not None:
        out["throughput"] = {"per_day": list(d.histogram.per_day),
                             "days": list(d.histogram.days)}
    out["predictability"] = [
        {"pi": r.pi.name, "art": r.art.as_dict(), "teams": [t.as_dict() for t in r.teams]}
        for r in d.predictability]
    return out


def dashboard_dict(d: Dashboard) -> dict[str, Any]:
    """The whole dashboard as JSON-ready data (the API's and the page's)."""
    s = d.scope
    return {
        "scope": {"label": s.label, "arts": [a.key for a in s.arts],
                  "team": s.team.name if s.team else None, "pi": s.pi.name if s.pi else None,
                  "pi_id": s.pi.id if s.pi else None, "level": s.level,
                  "start": s.start.isoformat(), "end": s.end.isoformat(), "timezone": s.tz},
        "metrics": metrics_dict(d.metrics) if d.metrics else None,
        "teams": {name: metrics_dict(m) for name, m in d.teams.items()},
        "charts": charts_dict(d),
        "healthy_band": [80, 100]}
