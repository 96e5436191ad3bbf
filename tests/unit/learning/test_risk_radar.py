import pytest

from tests.conftest import NOW
from tests.unit.learning.conftest import actor
from trainmaster.domain.access import Role
from trainmaster.domain.errors import Conflict, Forbidden
from trainmaster.domain.learning import ForecastStatus, ModelKind, RiskSubject
from trainmaster.domain.risk import Roam
from trainmaster.services import risk_radar

RTE, VIEWER = actor(Role.RTE), actor(Role.VIEWER)


def test_the_radar_sorts_predictions_by_probability_and_gives_reasons(uow, current_pi):
    radar = risk_radar.risk_radar(uow, RTE, current_pi, at=NOW)
    probs = [i.forecast.probability for i in radar.items]
    assert probs and probs == sorted(probs, reverse=True)
    assert {i.forecast.subject for i in radar.items} == set(RiskSubject)
    assert all(len(i.reasons) == 3 for i in radar.items)
    assert radar.model is not None and radar.model.kind is ModelKind.RISK


def test_the_radar_filters_by_team(uow, current_pi):
    team = uow.teams.find()[0].id
    radar = risk_radar.risk_radar(uow, VIEWER, current_pi, at=NOW, team_id=team)
    assert radar.items and {i.forecast.team_id for i in radar.items} == {team}


def test_the_snapshot_is_stored_and_reused_by_top_risks(uow, current_pi):
    risk_radar.risk_radar(uow, RTE, current_pi, at=NOW)
    stored = len(uow.risk_forecasts.find(pi_id=current_pi))
    top = risk_radar.top_risks(uow, VIEWER, current_pi, limit=3)
    assert len(top) == 3 and stored > 3
    assert top[0].forecast.probability >= top[-1].forecast.probability
    assert len(uow.risk_forecasts.find(pi_id=current_pi)) == stored


def test_confirming_a_prediction_creates_an_unroamed_risk_once(uow, current_pi):
    radar = risk_radar.risk_radar(uow, RTE, current_pi, at=NOW)
    chosen = radar.suggested[0] if radar.suggested else radar.items[0]
    risk = risk_radar.confirm_risk(uow, RTE, chosen.forecast.id, at=NOW)
    assert risk.roam is Roam.UNROAMED and risk.pi_id == current_pi
    assert chosen.forecast.label in risk.title and "Why:" in risk.description
    assert uow.risk_forecasts.get(chosen.forecast.id).status is ForecastStatus.CONFIRMED
    with pytest.raises(Conflict):
        risk_radar.confirm_risk(uow, RTE, chosen.forecast.id, at=NOW)


def test_a_viewer_cannot_confirm_a_prediction(uow, current_pi):
    radar = risk_radar.risk_radar(uow, VIEWER, current_pi, at=NOW)
    with pytest.raises(Forbidden):
        risk_radar.confirm_risk(uow, VIEWER, radar.items[0].forecast.id, at=NOW)
    assert uow.risks.count(title=f"May miss: {radar.items[0].forecast.label}") == 0


def test_a_confirmed_prediction_keeps_its_status_when_the_radar_is_refreshed(uow, current_pi):
    radar = risk_radar.risk_radar(uow, RTE, current_pi, at=NOW)
    first = radar.items[0].forecast
    risk_radar.dismiss_forecast(uow, RTE, first.id)
    again = risk_radar.risk_radar(uow, RTE, current_pi, at=NOW, refresh=True)
    same = [i.forecast for i in again.items
            if (i.forecast.subject, i.forecast.subject_id) == (first.subject, first.subject_id)]
    assert same[0].status is ForecastStatus.DISMISSED
    assert first.id not in {i.forecast.id for i in again.suggested}


def test_the_predictability_forecast_is_a_range_around_its_median(uow, current_pi):
    f = risk_radar.risk_radar(uow, RTE, current_pi, at=NOW).forecast
    assert f.objectives > 0 and f.trials > 0
    assert f.low <= f.median <= f.high


def test_a_train_without_finished_pis_gets_a_note_not_an_error(uow):
    uow.stored_models.remove_where(kind=ModelKind.RISK)
    later = next(p for p in uow.pis.find() if p.state.value == "planning")
    for pi in uow.pis.find():
        if pi.id != later.id:
            uow.objectives.remove_where(pi_id=pi.id)
    uow.commit()
    radar = risk_radar.risk_radar(uow, RTE, later.id, at=NOW.replace(year=2020))
    assert radar.model is None and radar.note and radar.items == []
