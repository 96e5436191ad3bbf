"""The flow dashboard page of an ART or one of its teams: metrics, charts and forecast."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from trainmaster.analytics.flow_history import zone
from trainmaster.domain.access import Actor
from trainmaster.domain.art import Art, Team
from trainmaster.domain.errors import NotFound
from trainmaster.domain.pi import Pi
from trainmaster.services import forecasts, metrics
from trainmaster.services.overview import current_pi, find_art
from trainmaster.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class DashboardView:
    art: Art
    teams: list[Team]
    pis: list[Pi]
    dashboard: metrics.Dashboard
    forecast: forecasts.ScopeForecast | None

    def as_dict(self) -> dict[str, Any]:
        out = metrics.dashboard_dict(self.dashboard)
        out["forecast"] = forecasts.forecast_dict(self.forecast) if self.forecast else None
        return out


def resolve_refs(uow: UnitOfWork, actor: Actor, art_ref: str, team_ref: str | None,
                 pi_ref: str | None) -> tuple[Art, Team | None, int | None, list[Team],
                                             list[Pi]]:
    """The ART, team (by id or name) and PI id (by id or name; None: no PI, 0: the
    current one) that a page or command names."""
    art = find_art(uow, actor, art_ref)
    with uow:
        teams = uow.teams.find(art_id=art.id, order_by="name")
        pis = uow.pis.find(art_id=art.id, order_by="start_date")
    team = None
    if team_ref:
        team = next((t for t in teams if str(t.id) == team_ref
                     or t.name.lower() == team_ref.strip().lower()), None)
        if team is None:
            raise NotFound(f"no team {team_ref!r} on {art.key}")
    pi_id: int | None = 0
    if pi_ref in ("none", "all"):
        pi_id = None
    elif pi_ref and pi_ref != "current":
        pi = next((p for p in pis if str(p.id) == pi_ref or p.name == pi_ref), None)
        if pi is None:
            raise NotFound(f"no PI {pi_ref!r} on {art.key}")
        pi_id = pi.id
    return art, team, pi_id, teams, pis


def dashboard_view(uow: UnitOfWork, actor: Actor, art_ref: str, *, team: str | None = None,
                   pi: str | None = None, level: str = "story", at: datetime,
                   forecast: bool = True) -> DashboardView:
    """Flow metrics and charts of the ART (or one team) in a PI (default: the current
    one; "none" for the last 90 days) and the forecast of the PI's remaining stories."""
    art, found, pi_id, teams, pis = resolve_refs(uow, actor, art_ref, team, pi)
    team_id = found.id if found else None
    dash = metrics.flow_dashboard(uow, actor, art_id=art.id, team_id=team_id, pi_id=pi_id,
                                  level=level, at=at)
    outlook = None
    if forecast and dash.scope.pi is not None:
        outlook = forecasts.forecast_remaining(uow, actor, pi_id=dash.scope.pi.id,
                                               team_id=team_id, at=at)
    return DashboardView(art, teams, pis, dash, outlook)


def forecast_for(uow: UnitOfWork, actor: Actor, art_ref: str | None, *, pi: str | None = None,
                 team: str | None = None, item: str | None = None, at: datetime,
                 seed: int = 0, trials: int = forecasts.DEFAULT_TRIALS,
                 method: str = forecasts.DEFAULT_METHOD.value) -> forecasts.ScopeForecast:
    """The forecast a page or command names: a feature or epic by key or id, or the rest
    of a PI's scope (default: the ART's current PI; the only ART when none is named)."""
    if item:
        with uow:
            found = (uow.items.first(id=int(item)) if item.isdigit()
                     else uow.items.first(key=item.strip().upper()))
        if found is None:
            raise NotFound(f"no item {item!r}")
        return forecasts.forecast_remaining(uow, actor, item_id=found.id, at=at, seed=seed,
                                            trials=trials, method=method)
    art, team_found, pi_id, _, pis = resolve_refs(uow, actor, art_ref or only_art_key(uow),
                                                  team, pi or "current")
    if pi_id == 0:
        current = current_pi(pis, at.astimezone(zone(art.timezone)).date())
        if current is None:
            raise NotFound(f"{art.key} has no running or coming PI")
        pi_id = current.id
    return forecasts.forecast_remaining(uow, actor, pi_id=pi_id,
                                        team_id=team_found.id if team_found else None,
                                        at=at, seed=seed, trials=trials, method=method)


def only_art_key(uow: UnitOfWork) -> str:
    """The key of the only ART (NotFound when there are none or several)."""
    with uow:
        arts = uow.arts.find()
    if len(arts) != 1:
        raise NotFound("name the ART (--art)" if arts else "no ART yet")
    return arts[0].key
