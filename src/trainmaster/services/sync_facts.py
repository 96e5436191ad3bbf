"""The facts an ART Sync starts from, read from live data on one day."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from trainmaster.analytics.capacity import IterationLoad
from trainmaster.domain.access import Actor
from trainmaster.domain.action import ActionStatus
from trainmaster.domain.art import Art, Team
from trainmaster.domain.calendar import local_date
from trainmaster.domain.dependency import Dependency, DependencyState, dependency_state
from trainmaster.domain.meeting import TeamReport, TeamStatus
from trainmaster.domain.objective import Objective
from trainmaster.domain.pi import Iteration, Pi
from trainmaster.domain.risk import Risk, Roam
from trainmaster.domain.work_item import KanbanState, WorkItem
from trainmaster.services import impediments as impediment_service
from trainmaster.services.actions import ActionView, view_actions
from trainmaster.services.impediments import ImpedimentView
from trainmaster.services.overview import current_pi
from trainmaster.services.pi_context import PiContext, load_pi
from trainmaster.services.risk_radar import RadarItem, top_risks
from trainmaster.services.unit_of_work import UnitOfWork

DONE = "done"
BEHIND = 25   # percentage points behind the elapsed share of the PI: off track


@dataclass(frozen=True)
class DependencyFact:
    dependency: Dependency
    consumer: WorkItem
    provider: WorkItem
    consumer_team: str
    provider_team: str
    needed: str        # consumer's iteration name, or "–"
    planned: str       # provider's iteration name, or "unplanned"
    state: DependencyState


@dataclass(frozen=True)
class LoadFact:
    team: Team
    load: IterationLoad


@dataclass(frozen=True)
class TeamProgress:
    team: Team
    committed: int
    uncommitted: int
    planned_bv: int
    points_done: float
    points_total: float
    percent: int | None        # progress against the team's PI objectives
    expected: int              # share of the PI's development time gone, %
    late_needs: list[DependencyFact] = field(default_factory=list)
    overloaded: list[IterationLoad] = field(default_factory=list)
    open_impediments: int = 0

    @property
    def status(self) -> TeamStatus:
        if self.percent is not None and self.percent < self.expected - BEHIND:
            return TeamStatus.OFF_TRACK
        if self.late_needs or self.overloaded or self.open_impediments:
            return TeamStatus.AT_RISK
        return TeamStatus.ON_TRACK

    def note(self) -> str:
        parts = []
        if self.percent is not None:
            parts.append(f"{self.percent} % of objectives done ({self.expected} % of the PI gone)")
        if self.late_needs:
            parts.append(f"{len(self.late_needs)} late dependenc"
                         f"{'y' if len(self.late_needs) == 1 else 'ies'}")
        parts += [f"{x.name} overloaded ({x.load:g} / {x.capacity:g} pts)"
                  for x in self.overloaded]
        if self.open_impediments:
            parts.append(f"{self.open_impediments} open impediment"
                         f"{'' if self.open_impediments == 1 else 's'}")
        return "; ".join(parts)

    def needs(self) -> str:
        return "\n".join(f"{d.provider.key} {d.provider.title} from {d.provider_team}: "
                         f"planned {d.planned}, needed by {d.needed}" for d in self.late_needs)

    def report(self, meeting_id: int) -> TeamReport:
        return TeamReport(meeting_id=meeting_id, team_id=self.team.id or 0, status=self.status,
                          progress=self.percent, note=self.note(), needs=self.needs())


@dataclass(frozen=True)
class SyncFacts:
    art: Art
    on: date
    pi: Pi | None
    iteration: Iteration | None
    late_dependencies: list[DependencyFact]
    at_risk_dependencies: list[DependencyFact]
    overloaded: list[LoadFact]
    overdue_actions: list[ActionView]
    open_actions: list[ActionView]
    unroamed_risks: list[Risk]
    open_impediments: list[ImpedimentView]
    teams: list[TeamProgress]
    top_risks: list[RadarItem] = field(default_factory=list)  # the risk radar's likeliest misses

    @property
    def count(self) -> int:
        """How many things need attention."""
        return (len(self.late_dependencies) + len(self.overloaded) + len(self.overdue_actions)
                + len(self.unroamed_risks) + len(self.open_impediments))


def gather_facts(uow: UnitOfWork, actor: Actor, art: Art, *, at: datetime,
                 on: date | None = None) -> SyncFacts:
    """Read the facts; call inside `with uow:`."""
    day = on or local_date(at, art.timezone)
    pi = current_pi(uow.pis.find(art_id=art.id, order_by="start_date"), day)
    ctx = load_pi(uow, actor, pi.id or 0) if pi else None
    deps = _dependency_facts(ctx) if ctx else []
    loads = _overloaded(ctx, day) if ctx else []
    actions = view_actions(uow, uow.actions.find(art_id=art.id,
                                                 status=ActionStatus.OPEN.value), at)
    risks = [r for r in uow.risks.find(art_id=art.id, roam=Roam.UNROAMED.value)
             if pi is None or r.pi_id in (None, pi.id)]
    impediments = impediment_service.list_impediments(uow, actor, art.id or 0, at=at,
                                                      open_only=True)
    late = [d for d in deps if d.state is DependencyState.LATE]
    teams = _team_progress(ctx, day, late, loads, impediments) if ctx else []
    iteration = next((i for i in ctx.iterations if i.contains(day)), None) if ctx else None
    return SyncFacts(
        art=art, on=day, pi=pi, iteration=iteration, late_dependencies=late,
        at_risk_dependencies=[d for d in deps if d.state is DependencyState.AT_RISK],
        overloaded=loads, overdue_actions=[a for a in actions if a.action.is_overdue(day)],
        open_actions=actions, unroamed_risks=risks, open_impediments=impediments,
        teams=teams, top_risks=top_risks(uow, actor, pi.id, limit=5) if pi and pi.id else [])


def _dependency_facts(ctx: PiContext) -> list[DependencyFact]:
    items = {f.id: f for f in ctx.features} | ctx.outside
    teams = {t.id: t.name for t in ctx.teams}
    iterations = ctx.iteration_by_id
    out = []
    for dep in ctx.dependencies:
        consumer, provider = items.get(dep.consumer_id), items.get(dep.provider_id)
        if consumer is None or provider is None:
            continue
        c_it, p_it = iterations.get(consumer.iteration_id or 0), iterations.get(
            provider.iteration_id or 0)
        state = dependency_state(p_it.index if p_it else None, c_it.index if c_it else None)
        out.append(DependencyFact(dep, consumer, provider, teams.get(consumer.team_id, "–"),
                                  teams.get(provider.team_id, "–"),
                                  c_it.name if c_it else "–",
                                  p_it.name if p_it else "unplanned", state))
    return out


def _overloaded(ctx: PiContext, day: date) -> list[LoadFact]:
    """Overloaded iterations of every team that are not over yet."""
    ends = {i.id: i.end_date for i in ctx.iterations}
    teams = {t.id: t for t in ctx.teams}
    return [LoadFact(teams[team_id], load) for team_id, loads in ctx.loads().items()
            for load in loads if load.overloaded and ends[load.iteration_id] >= day]


def _objective_progress(objective: Objective, points: dict[int, tuple[float, float]],
                        features: dict[int, WorkItem]) -> float | None:
    done = total = 0.0
    for fid in objective.feature_ids:
        d, t = points.get(fid, (0.0, 0.0))
        if t == 0 and fid in features:  # a feature without stories counts as one unit
            t, d = 1.0, float(features[fid].status in (KanbanState.DONE, KanbanState.RELEASING))
        done, total = done + d, total + t
    return done / total if total else None


def _team_progress(ctx: PiContext, day: date, late: list[DependencyFact],
                   loads: list[LoadFact], impediments: list[ImpedimentView]
                   ) -> list[TeamProgress]:
    points: dict[int, tuple[float, float]] = defaultdict(lambda: (0.0, 0.0))
    for s in ctx.stories:
        if s.parent_id is not None:
            d, t = points[s.parent_id]
            points[s.parent_id] = (d + (s.points or 0) * (s.status == DONE), t + (s.points or 0))
    features = {f.id or 0: f for f in ctx.features}
    expected = _elapsed_share(ctx, day)
    out = []
    for team in ctx.teams:
        objectives = [o for o in ctx.objectives if o.team_id == team.id]
        mine = [f for f in ctx.features if f.team_id == team.id]
        done = sum(points[f.id or 0][0] for f in mine)
        total = sum(points[f.id or 0][1] for f in mine)
        out.append(TeamProgress(
            team=team, committed=sum(o.committed for o in objectives),
            uncommitted=sum(not o.committed for o in objectives),
            planned_bv=sum(o.planned_bv or 0 for o in objectives if o.committed),
            points_done=done, points_total=total,
            percent=_percent(objectives, points, features, done, total), expected=expected,
            late_needs=[d for d in late if d.consumer.team_id == team.id],
            overloaded=[x.load for x in loads if x.team.id == team.id],
            open_impediments=sum(1 for i in impediments if i.impediment.team_id == team.id)))
    return out


def _percent(objectives: list[Objective], points: dict[int, tuple[float, float]],
             features: dict[int, WorkItem], done: float, total: float) -> int | None:
    """BV-weighted progress of committed objectives; else the team's story points done."""
    weighted = [(o.planned_bv or 1, p) for o in objectives if o.committed
                for p in [_objective_progress(o, points, features)] if p is not None]
    if weighted:
        return round(100 * sum(w * p for w, p in weighted) / sum(w for w, _ in weighted))
    return round(100 * done / total) if total else None


def _elapsed_share(ctx: PiContext, day: date) -> int:
    dev = [i for i in ctx.iterations if not i.is_ip] or ctx.iterations
    start, end = dev[0].start_date, dev[-1].end_date
    if day <= start:
        return 0
    return min(100, round(100 * (day - start).days / ((end - start).days + 1)))
