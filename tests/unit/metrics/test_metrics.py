import json

import pytest

from tests.factories import actor
from tests.unit.metrics.conftest import NOW
from trainmaster.domain.access import SYSTEM, Role
from trainmaster.domain.errors import Forbidden, Invalid, NotFound
from trainmaster.services import metrics


def dashboard(uow, train, **kw):
    return metrics.flow_dashboard(uow, SYSTEM, art_id=train["art"], at=NOW,
                                  **{"pi_id": train["pi"], **kw})


def test_pi_window_runs_from_pi_start_to_today(uow, train):
    d = dashboard(uow, train)
    assert (str(d.scope.start), str(d.scope.end)) == ("2026-11-02", "2026-11-24")
    assert d.scope.label == "Payments ART · PI 26.5"


def test_flow_metrics_count_only_completions_in_the_window(uow, train):
    m = dashboard(uow, train).metrics
    assert m.velocity.total == 6
    assert m.flow_time.percentiles == {50: 3.0, 85: 3.0, 95: 3.0}
    assert m.load.at_end == 3
    assert m.efficiency.value == pytest.approx(1.0)
    assert m.distribution.completed_counts == {"business": 5, "defect": 1}


def test_art_dashboard_breaks_metrics_down_per_team(uow, train):
    d = dashboard(uow, train)
    assert {name: t.velocity.total for name, t in d.teams.items()} == {"Kestrel": 2,
                                                                      "Osprey": 4}


def test_team_dashboard_keeps_only_the_teams_items(uow, train):
    d = dashboard(uow, train, team_id=train["osprey"])
    assert d.metrics.velocity.total == 4 and d.teams == {}
    assert d.scope.label == "Osprey · PI 26.5"


def test_burn_up_and_cfd_cover_the_pis_own_stories(uow, train):
    d = dashboard(uow, train)
    assert (d.burn_up.scope[-1], d.burn_up.done[-1]) == (14, 6)
    last = dict(zip(d.cfd.bands, d.cfd.counts[:, -1].tolist(), strict=True))
    assert last == {"not_started": 5, "active": 3, "waiting": 0, "done": 6}


def test_aging_wip_lists_items_in_progress_with_their_keys(uow, train):
    d = dashboard(uow, train)
    keys = sorted(d.keys[int(i)] for i in d.aging.item_ids)
    assert keys == ["WIP-0", "WIP-1", "WIP-2"]
    assert max(d.aging.ages_days) == pytest.approx(21 + 23 / 24)


def test_flow_time_scatter_has_one_point_per_completion_and_percentile_lines(uow, train):
    s = dashboard(uow, train).scatter
    assert s.item_ids.size == 6 and s.percentiles[85] == 3.0


def test_predictability_shows_scored_pis_per_team_and_art(uow, train):
    rows = dashboard(uow, train).predictability
    assert [r.pi.name for r in rows] == ["PI 26.4"]  # PI 26.5 has no actual BV yet
    assert rows[0].art.percent == 90.0 and rows[0].art.band == "healthy"
    assert {t.label: t.percent for t in rows[0].teams} == {"Kestrel": 100.0, "Osprey": 80.0}


def test_team_predictability_uses_the_teams_objectives_only(uow, train):
    rows = dashboard(uow, train, team_id=train["osprey"]).predictability
    assert rows[0].art.percent == 80.0 and [t.label for t in rows[0].teams] == ["Osprey"]


def test_without_pi_the_window_is_the_last_90_days(uow, train):
    d = dashboard(uow, train, pi_id=None)
    assert (d.scope.end - d.scope.start).days == 89 and d.scope.pi is None
    assert d.burn_up.scope[-1] > 14  # every story of the ART


def test_current_pi_is_chosen_with_pi_zero(uow, train):
    assert dashboard(uow, train, pi_id=0).scope.pi.name == "PI 26.5"


def test_feature_level_without_history_has_no_metrics(uow, train):
    d = dashboard(uow, train, level="feature")
    assert d.metrics is None and d.cfd is None


def test_unknown_level_is_refused(uow, train):
    with pytest.raises(Invalid, match="level"):
        dashboard(uow, train, level="task")


def test_team_of_another_art_is_not_found(uow, train):
    with pytest.raises(NotFound):
        dashboard(uow, train, team_id=999)


def test_people_without_a_role_on_the_art_cannot_see_it(uow, train):
    outsider = actor(Role.RTE, art_id=42)
    with pytest.raises(Forbidden):
        metrics.flow_dashboard(uow, outsider, art_id=train["art"], at=NOW)
    viewer = actor(Role.VIEWER, art_id=train["art"])
    assert metrics.flow_dashboard(uow, viewer, art_id=train["art"], at=NOW).metrics


def test_dashboard_dict_is_json_with_every_chart(uow, train):
    data = metrics.dashboard_dict(dashboard(uow, train))
    text = json.dumps(data)
    assert set(data["charts"]) == {"cfd", "scatter", "aging", "burn_up", "throughput",
                                   "predictability"}
    assert data["charts"]["aging"]["keys"] == ["WIP-0", "WIP-1", "WIP-2"]
    assert data["metrics"]["flow_time_days"]["percentiles"]["85"] == 3.0
    assert "NaN" not in text


def test_portfolio_scope_sums_its_arts(uow, train):
    from trainmaster.domain.art import Portfolio
    portfolio = uow.portfolios.add(Portfolio(name="Money"))
    uow.arts.get(train["art"]).portfolio_id = portfolio.id
    uow.commit()
    d = metrics.flow_dashboard(uow, SYSTEM, portfolio_id=portfolio.id, at=NOW)
    assert d.scope.pi is None and d.metrics.velocity.total > 6
