from datetime import timedelta

from tests.unit.learning.conftest import simulated
from trainmaster.domain.learning import RiskSubject
from trainmaster.evaluation.demo_risk_eval import history_of
from trainmaster.services.risk_features import (
    FEATURE_NAMES,
    dev_iterations,
    snapshot_rows,
    snapshot_times,
    training_rows,
)


def _history():
    data = simulated()
    return data, history_of(data, 1)


def test_rows_carry_every_named_feature_of_their_subject():
    data, history = _history()
    pi = data.pis[0]
    rows = snapshot_rows(history, pi, snapshot_times(history, pi)[0])
    assert {r.subject for r in rows} == set(RiskSubject)
    for row in rows:
        assert set(row.features) == set(FEATURE_NAMES[row.subject])


def test_items_created_after_the_snapshot_are_not_seen():
    data, history = _history()
    pi = data.pis[0]
    early = snapshot_times(history, pi)[0]
    ids = {r.subject_id for r in snapshot_rows(history, pi, early)
           if r.subject is RiskSubject.FEATURE}
    later = {f.id for f in history.features if f.created_at and f.created_at > early}
    assert ids and not ids & later


def test_iterations_already_over_are_not_predicted():
    data, history = _history()
    pi = data.pis[0]
    at = snapshot_times(history, pi)[1]
    done = {i.id for i in dev_iterations(history, pi)[:2]}
    rows = [r for r in snapshot_rows(history, pi, at) if r.subject is RiskSubject.ITERATION]
    assert rows and not {r.subject_id for r in rows} & done


def test_training_rows_come_with_both_outcomes():
    data, history = _history()
    rows = training_rows(history, data.pis[:3])
    for subject in RiskSubject:
        features, outcomes = rows[subject]
        assert len(features) == len(outcomes) > 20
        assert set(outcomes) == {0, 1}


def test_an_open_impediment_is_counted_until_it_is_resolved():
    data, history = _history()
    imp = next(i for i in history.impediments if i.resolved_at and i.team_id)
    pi = next(p for p in data.pis if p.id == imp.pi_id)
    inside = snapshot_rows(history, pi, imp.raised_at + timedelta(minutes=1))
    after = snapshot_rows(history, pi, imp.resolved_at + timedelta(minutes=1))

    def count(rows):
        return max(r.features["impediments_open"] for r in rows if r.team_id == imp.team_id)
    assert count(inside) >= 1
    assert count(after) <= count(inside)
