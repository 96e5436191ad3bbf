"""Triage queue and risk radar over the JSON API (SQLite: the edges, not storage)."""

import pytest
from fastapi.testclient import TestClient

from tests.e2e.learning_train import bearer, build_learning_train
from trainmaster.web.app import create_app


@pytest.fixture
def learning(sqlite_tm):
    ids = build_learning_train(sqlite_tm)
    return TestClient(create_app(sqlite_tm)), sqlite_tm, ids


def test_the_radar_lists_predictions_with_reasons_and_a_predictability_range(learning):
    client, tm, ids = learning
    r = client.get(f"/api/v1/pis/{ids['pi']}/risk-radar", headers=bearer(tm, "vic"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["items"] and all(i["reasons"] for i in body["items"])
    probs = [i["probability"] for i in body["items"]]
    assert probs == sorted(probs, reverse=True)
    p = body["predictability"]
    assert p["low"] <= p["median"] <= p["high"]


def test_an_rte_confirms_a_predicted_miss_onto_the_roam_board(learning):
    client, tm, ids = learning
    alice = bearer(tm, "alice")
    items = client.get(f"/api/v1/pis/{ids['pi']}/risk-radar", headers=alice).json()["items"]
    chosen = next(i for i in items if i["subject"] != "iteration")
    r = client.post(f"/api/v1/risk-forecasts/{chosen['id']}/confirm", headers=alice)
    assert r.status_code == 201, r.text
    risk = client.get(f"/api/v1/risks/{r.json()['risk_id']}", headers=alice).json()
    assert risk["roam"] == "unroamed" and chosen["label"] in risk["title"]
    again = client.post(f"/api/v1/risk-forecasts/{chosen['id']}/confirm", headers=alice)
    assert again.status_code == 409


def test_a_viewer_may_not_confirm_a_prediction(learning):
    client, tm, ids = learning
    items = client.get(f"/api/v1/pis/{ids['pi']}/risk-radar",
                       headers=bearer(tm, "vic")).json()["items"]
    r = client.post(f"/api/v1/risk-forecasts/{items[0]['id']}/confirm", headers=bearer(tm, "vic"))
    assert r.status_code == 403


def test_a_product_owner_accepts_and_edits_triage_suggestions(learning):
    client, tm, ids = learning
    pat = bearer(tm, "pat")
    made = client.post(f"/api/v1/arts/{ids['art']}/triage/refresh", headers=pat)
    assert made.status_code == 200 and made.json()["suggestions"] > 0
    queue = client.get(f"/api/v1/arts/{ids['art']}/triage", headers=pat).json()
    numeric = [s for e in queue for s in e["suggestions"]
               if s["field"] not in ("team_id", "work_type")]
    first, second = numeric[0], numeric[1]
    assert first["reasons"]
    ok = client.post(f"/api/v1/triage-suggestions/{first['id']}/decide", headers=pat,
                     json={"action": "accept"})
    assert ok.json()["status"] == "accepted"
    item = client.get(f"/api/v1/items/{first['item_id']}", headers=pat).json()
    assert item[first["field"]] == float(first["value"])
    edited = client.post(f"/api/v1/triage-suggestions/{second['id']}/decide", headers=pat,
                         json={"action": "edit", "value": "2"})
    assert edited.json()["status"] == "edited"
    bad = client.post(f"/api/v1/triage-suggestions/{second['id']}/decide", headers=pat,
                      json={"action": "reject"})
    assert bad.status_code == 409


def test_retraining_and_its_schedule_over_the_api(learning):
    client, tm, ids = learning
    alice = bearer(tm, "alice")
    r = client.post(f"/api/v1/arts/{ids['art']}/retrain/triage", headers=alice)
    assert r.status_code == 200 and r.json()["version"] >= 1
    s = client.put(f"/api/v1/arts/{ids['art']}/retrain-schedules/risk", headers=alice,
                   json={"every_hours": 12})
    assert s.json() == {"kind": "risk", "every_hours": 12, "enabled": True}
    bad = client.put(f"/api/v1/arts/{ids['art']}/retrain-schedules/risk", headers=alice,
                     json={"every_hours": 0})
    assert bad.status_code == 422
    vic = client.post(f"/api/v1/arts/{ids['art']}/retrain/risk", headers=bearer(tm, "vic"))
    assert vic.status_code == 403
