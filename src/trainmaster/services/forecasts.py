"""Monte Carlo forecasts of a feature, an epic or the rest of a PI's scope (DOMAIN.md,
Forecasting), with the method's back-tested hit rate on the train's own history.

The forecast unit is the story: remaining work is the stories under the item (or planned
in the PI) that are not done; throughput is the daily story completions of the team that
owns the work (the ART when no single team does), up to yesterday. The back-test replays
the method at past cut dates of that same throughput (evaluation.forecast_backtest) and
counts how often each likelihood came true; results are kept per history in memory.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np

from trainmaster.analytics import forecast as mc
from trainmaster.analytics.flow_history import zone
from trainmaster.analytics.forecast import DEFAULT_METHOD, DEFAULT_TRIALS, ThroughputHistory
from trainmaster.domain.access import Actor, Permission
from trainmaster.domain.errors import Invalid, NotFound
from trainmaster.domain.pi import Pi
from trainmaster.domain.work_item import ItemLevel, WorkItem
from trainmaster.services import metrics
from trainmaster.services.unit_of_work import UnitOfWork

BACKTEST_TRIALS = 2_000
BACKTEST_HORIZONS = (14, 30)
LEVELS = (50, 85, 95)
_CACHE: OrderedDict[str, Accuracy | None] = OrderedDict()
_CACHE_SIZE = 64


@dataclass(frozen=True)
class Accuracy:
    """How often the method's forecasts came true on this throughput history."""

    method: str
    cuts: int
    hit_rates: dict[str, dict[int, float]]   # question -> likelihood -> share that came true
    cases: dict[str, int]
    horizons: tuple[int, ...]
    trials: int

    def rate(self, question: str = "when", level: int = 85) -> float | None:
        return self.hit_rates.get(question, {}).get(level)


@dataclass(frozen=True)
class ScopeForecast:
    """A forecast of remaining stories, stating its sample, trials, percentiles, method."""

    label: str
    kind: str                      # "pi", "feature" or "epic"
    item: WorkItem | None
    pi: Pi | None
    team: str | None               # whose throughput was sampled (None: the whole ART)
    total: int
    done: int
    remaining: int
    start: date
    deadline: date | None
    history_days: int
    history_items: int
    when: mc.WhenForecast | None
    by_deadline: mc.Likelihood | None
    how_many: mc.HowManyForecast | None
    accuracy: Accuracy | None

    @property
    def likelihood(self) -> float | None:
        """Share of trials done by the deadline (1.0 when nothing remains)."""
        if self.remaining == 0:
            return 1.0
        return self.by_deadline.likelihood if self.by_deadline else None

    @property
    def sentence(self) -> str:
        """e.g. "rest of PI 26.5 scope: 62 % likely by 2027-01-10 (back-tested hit rate
        84 % for 85 % forecasts)"."""
        if self.remaining == 0:
            return f"{self.label}: all {self.total} stories done"
        parts = [self.label + ":"]
        if self.likelihood is not None and self.deadline:
            parts.append(f"{self.likelihood * 100:.0f} % likely by {self.deadline}")
        elif self.when is not None:
            parts.append(f"85 % likely by {self.when.percentiles.get(85) or 'beyond 10 years'}")
        else:
            parts.append("no throughput yet to forecast from")
        rate = self.accuracy.rate("when", 85) if self.accuracy else None
        if rate is not None:
            parts.append(f"(back-tested hit rate {rate * 100:.0f} % for 85 % forecasts)")
        return " ".join(parts)


def forecast_remaining(uow: UnitOfWork, actor: Actor, *, pi_id: int | None = None,
                       item_id: int | None = None, team_id: int | None = None, at: datetime,
                       trials: int = DEFAULT_TRIALS, seed: int = 0,
                       method: str = DEFAULT_METHOD.value, backtest: bool = True
                       ) -> ScopeForecast:
    """Forecast the rest of a PI's scope (`pi_id`, optionally one team's) or of a feature
    or epic (`item_id`): when it is done, how likely by the PI's end, how many by then."""
    if (pi_id is None) == (item_id is None):
        raise Invalid("forecast either a PI or an item", field="pi")
    with uow:
        target = (_item_target(uow, actor, item_id) if item_id is not None
                  else _pi_target(uow, actor, pi_id or 0, team_id))
        art = uow.arts.get(target.art_id)
        today = at.astimezone(zone(art.timezone)).date()
        scope = metrics.resolve_scope(uow, actor, art_id=art.id, team_id=target.team_id,
                                      today=today)
        data = metrics.load_flow(uow, scope)
    return _forecast(target, data, at, today, trials, seed, method, backtest)


@dataclass(frozen=True)
class _Target:
    label: str
    kind: str
    art_id: int
    item: WorkItem | None
    pi: Pi | None
    team_id: int | None
    story_ids: list[int]


def _pi_target(uow: UnitOfWork, actor: Actor, pi_id: int, team_id: int | None) -> _Target:
    pi = uow.pis.get(pi_id)
    actor.require(Permission.VIEW, pi.art_id)
    filters = {"team_id": team_id} if team_id else {}
    ids = uow.items.columns(["id"], pi_id=pi_id, level=ItemLevel.STORY.value, **filters)["id"]
    team = f" ({uow.teams.get(team_id).name})" if team_id else ""
    return _Target(f"rest of {pi.name} scope{team}", "pi", pi.art_id, None, pi, team_id, ids)


def _item_target(uow: UnitOfWork, actor: Actor, item_id: int) -> _Target:
    item = uow.items.get(item_id)
    actor.require(Permission.VIEW, item.art_id)
    if item.level is ItemLevel.STORY:
        raise Invalid(f"{item.key} is a story: forecast a feature or an epic", field="item")
    parents = [item_id]
    if item.level is ItemLevel.EPIC:
        parents = uow.items.columns(["id"], parent_id=item_id,
                                    level=ItemLevel.FEATURE.value)["id"]
    ids = uow.items.columns(["id"], parent_id=parents, level=ItemLevel.STORY.value)["id"] \
        if parents else []
    if not ids:
        raise NotFound(f"{item.key} has no stories to forecast")
    pi = uow.pis.get(item.pi_id) if item.pi_id else None
    team = item.team_id if item.level is ItemLevel.FEATURE else None
    return _Target(f"{item.level.value} {item.key}", item.level.value, item.art_id, item, pi,
                   team, ids)


def _forecast(target: _Target, data: metrics.FlowData, at: datetime, today: date,
              trials: int, seed: int, method: str, backtest: bool) -> ScopeForecast:
    done = _done_ids(data, at)
    remaining = len([i for i in target.story_ids if i not in done])
    history = (metrics.throughput_history(data.timeline, data.scope.tz,
                                          today - timedelta(days=1))
               if data.timeline is not None else None)
    deadline = target.pi.end_date if target.pi else None
    when = by = how = None
    if history is not None and remaining:
        when = mc.forecast_when(history, remaining, today, trials, seed, method)
        if deadline and deadline >= today:
            by = mc.likelihood_by(history, remaining, deadline, today, trials, seed, method)
            how = mc.forecast_how_many(history, (deadline - today).days + 1, today, trials,
                                       seed, method)
    return ScopeForecast(
        target.label, target.kind, target.item, target.pi,
        data.scope.team.name if data.scope.team else None, len(target.story_ids),
        len(target.story_ids) - remaining, remaining, today, deadline,
        0 if history is None else int(history.counts.size),
        0 if history is None else int(history.counts.sum()), when, by, how,
        backtest_accuracy(history, method, seed) if backtest and history else None)


def _done_ids(data: metrics.FlowData, at: datetime) -> set[int]:
    if data.timeline is None:
        return set()
    mask = metrics.done_mask(data.timeline, int(at.timestamp()))
    return {int(i) for i in data.timeline.items[mask]}


def backtest_accuracy(history: ThroughputHistory, method: str = DEFAULT_METHOD.value,
                      seed: int = 0, trials: int = BACKTEST_TRIALS) -> Accuracy | None:
    """Hit rates of `method` replayed at weekly cut dates of this history (None when the
    history is too short for one cut). Cached per history, method, seed and trials."""
    from trainmaster.evaluation import forecast_backtest as bt

    counts = np.asarray(history.counts, dtype=np.int64)
    key = hashlib.sha1(counts.tobytes() + f"{history.first_day}|{method}|{seed}|{trials}"
                       .encode()).hexdigest()
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    config = bt.BacktestConfig(horizons=BACKTEST_HORIZONS, levels=LEVELS, trials=trials,
                               seed=seed)
    outcomes = bt.backtest_project("train", history, method, config)
    accuracy = None
    if outcomes.cuts:
        pooled = [r for r in bt.calibration([outcomes], config) if r.horizon == 0]
        accuracy = Accuracy(
            outcomes.method, outcomes.cuts,
            {q: {r.level: r.rate for r in pooled if r.question == q and r.cases}
             for q in bt.QUESTIONS},
            {q: max((r.cases for r in pooled if r.question == q), default=0)
             for q in bt.QUESTIONS}, BACKTEST_HORIZONS, trials)
    _CACHE[key] = accuracy
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return accuracy


def _dates(values: dict[int | float, date | None]) -> dict[str, str | None]:
    return {str(k): None if v is None else v.isoformat() for k, v in values.items()}


def forecast_dict(f: ScopeForecast) -> dict[str, Any]:
    """The forecast as JSON-ready data: what, how likely, from which sample, how accurate."""
    out: dict[str, Any] = {
        "label": f.label, "kind": f.kind, "sentence": f.sentence,
        "item": f.item.key if f.item else None, "pi": f.pi.name if f.pi else None,
        "throughput_of": f.team or "ART", "total": f.total, "done": f.done,
        "remaining": f.remaining, "start": f.start.isoformat(),
        "deadline": f.deadline.isoformat() if f.deadline else None,
        "likelihood_by_deadline": f.likelihood,
        "history": {"days": f.history_days, "items_done": f.history_items}}
    if f.when is not None:
        s = f.when.sample
        out["when"] = {"percentiles": _dates(f.when.percentiles), "trials": f.when.trials,
                       "seed": f.when.seed}
        out["sample"] = {"method": s.method, "start": s.start.isoformat(),
                         "end": s.end.isoformat(), "days": s.days, "note": s.note}
    if f.how_many is not None:
        out["how_many_by_deadline"] = {"days": f.how_many.days,
                                       "at_least": {str(k): v for k, v in
                                                    f.how_many.percentiles.items()}}
    if f.accuracy is not None:
        a = f.accuracy
        out["backtest"] = {"method": a.method, "cuts": a.cuts, "trials": a.trials,
                           "horizons": list(a.horizons), "cases": a.cases,
                           "hit_rates": {q: {str(p): round(r, 4) for p, r in rates.items()}
                                         for q, rates in a.hit_rates.items()}}
    return out
