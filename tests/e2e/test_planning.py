"""The PI Planning API end to end, on SQLite and PostgreSQL."""

import icalendar
import pytest

from tests.e2e.planning_train import build_plan
from tests.factories import AT
from trainmaster.domain.access import SYSTEM, Role
from trainmaster.services import catalog


@pytest.fixture
def plan(tm, train):
    return build_plan(tm, train)


def test_readiness_lists_what_to_fix(client, headers, plan):
    body = client.get(f"/api/v1/pis/{plan['pi']}/readiness", headers=headers(Role.VIEWER)).json()
    subjects = {(f["area"], f["subject"]) for f in body["findings"]}
    assert ("backlog", "PAY-1") in subjects            # the seed feature has no WSJF etc.
    assert ("vision", "ART") in subjects and ("roadmap", "ART") in subjects
    assert ("capacity", "Osprey") not in subjects and body["score"] < 90


def test_wsjf_ranks_the_backlog(client, headers, plan):
    ranked = client.get("/api/v1/arts/PAY/wsjf", headers=headers(Role.VIEWER)).json()
    assert [(r["key"], r["rank"], r["wsjf"]) for r in ranked] == [
        ("API", 1, 3.2), ("WALLET", 2, 3.2), ("PAY-1", None, None)]


def test_capacity_shows_load_and_overload(client, headers, plan):
    body = client.get(f"/api/v1/pis/{plan['pi']}/capacity", headers=headers(Role.VIEWER)).json()
    falcon = next(t for t in body["teams"] if t["team"] == "Falcon")
    i2 = next(i for i in falcon["iterations"] if i["iteration"] == "I2")
    assert (i2["capacity"], i2["load"], i2["overloaded"]) == (8, 13, True)
    rails = client.get(f"/api/v1/pis/{plan['pi']}/guardrails", headers=headers(Role.VIEWER))
    assert rails.json()["flagged"] == ["business", "enabler", "defect", "tech_debt"]


def test_the_agenda_is_generated_edited_and_exported(client, headers, plan):
    h = headers(Role.RTE)
    items = client.post(f"/api/v1/pis/{plan['pi']}/agenda", json={}, headers=h).json()
    assert len(items) == 14
    patched = client.patch(f"/api/v1/agenda/{items[0]['id']}",
                           json={"start": "08:30", "end": "09:15"}, headers=h)
    assert patched.status_code == 200 and patched.json()["revision"] == 1
    ics = client.get(f"/api/v1/pis/{plan['pi']}/agenda.ics", headers=headers(Role.VIEWER))
    assert ics.headers["content-type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(ics.content).walk("VEVENT")
    first = min(events, key=lambda e: e.decoded("dtstart"))
    assert first.decoded("dtstart").strftime("%H:%M") == "08:30"
    viewer = client.post(f"/api/v1/pis/{plan['pi']}/agenda", json={},
                         headers=headers(Role.VIEWER))
    assert viewer.status_code == 403


def test_the_board_moves_a_card_and_the_string_turns_late(client, headers, plan):
    h = headers(Role.PRODUCT_OWNER)
    asked = client.post("/api/v1/dependencies/request", headers=h, json={
        "consumer_id": plan["items"]["WALLET"], "provider_id": plan["items"]["API"],
        "needed_by_iteration_id": plan["its"]["I3"], "description": "payments API v2"})
    assert asked.status_code == 201
    board = client.get(f"/api/v1/pis/{plan['pi']}/board", headers=h).json()
    (string,) = board["strings"]
    assert (string["state"], string["awaits_answer"]) == ("ok", True)
    preview = client.post(f"/api/v1/items/{plan['items']['API']}/preview", headers=h,
                          json={"iteration_id": plan["its"]["I4"]}).json()
    assert [(s["before"], s["after"]) for s in preview["strings"]] == [("ok", "late")]
    moved = client.post(f"/api/v1/items/{plan['items']['API']}/plan", headers=h,
                        json={"iteration_id": plan["its"]["I4"]})
    assert moved.status_code == 200 and moved.json()["strings"][0]["state"] == "late"
    viewer = client.post(f"/api/v1/items/{plan['items']['API']}/plan",
                         headers=headers(Role.VIEWER), json={"iteration_id": plan["its"]["I1"]})
    assert viewer.status_code == 403


def test_the_providing_team_counters_and_the_history_is_kept(client, headers, plan):
    h = headers(Role.PRODUCT_OWNER)
    dep = client.post("/api/v1/dependencies/request", headers=h, json={
        "consumer_id": plan["items"]["WALLET"], "provider_id": plan["items"]["API"]}).json()
    answered = client.post(f"/api/v1/dependencies/{dep['id']}/answer", headers=h, json={
        "answer": "countered", "iteration_id": plan["its"]["I3"], "note": "I3 at best"})
    assert answered.json()["agreement"] == "countered"
    history = client.get(f"/api/v1/dependencies/{dep['id']}/agreement", headers=h).json()
    assert [e["agreement"] for e in history["history"]] == ["requested", "countered"]
    board = client.get(f"/api/v1/pis/{plan['pi']}/board", headers=h).json()
    assert board["strings"][0]["state"] == "at_risk"
    bad = client.post(f"/api/v1/dependencies/{dep['id']}/answer", headers=h,
                      json={"answer": "declined"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "note"]


def test_business_value_and_publication(client, headers, plan):
    written = client.post(f"/api/v1/pis/{plan['pi']}/objectives", headers=headers(
        Role.TEAM_MEMBER), json={"text": "Wallet live", "team_id": plan["teams"]["Kestrel"]})
    assert written.status_code == 201
    url = f"/api/v1/objectives/{written.json()['id']}/business-value"
    assert client.post(url, json={"planned": 8}, headers=headers(Role.RTE)).status_code == 403
    assert client.post(url, json={"planned": 8},
                       headers=headers(Role.BUSINESS_OWNER)).json()["planned_bv"] == 8
    published = client.post(f"/api/v1/pis/{plan['pi']}/objectives/publish",
                            headers=headers(Role.RTE))
    assert published.status_code == 201 and published.json()["planned_bv"] == 8


def test_a_risk_is_roamed_through_the_api(client, headers, plan):
    url = f"/api/v1/risks/{plan['risk']}/roam"
    refused = client.post(url, json={"to": "owned"}, headers=headers(Role.RTE))
    assert refused.status_code == 422
    moved = client.post(url, json={"to": "accepted", "note": "we live with it"},
                        headers=headers(Role.RTE))
    assert moved.json()["to_roam"] == "accepted"
    board = client.get("/api/v1/arts/PAY/roam", headers=headers(Role.VIEWER)).json()
    assert [r["title"] for r in board["columns"]["accepted"]] == ["Vendor late"]


def test_the_vote_fails_then_commits_and_freezes_the_baseline(client, headers, plan):
    pi, rte = plan["pi"], headers(Role.RTE)
    assert client.post(f"/api/v1/pis/{pi}/vote/open", headers=rte).status_code == 201
    osprey = f"team:{plan['teams']['Osprey']}"
    for role, scope, value, reason in ((Role.TEAM_MEMBER, "art", 4, ""),
                                       (Role.SCRUM_MASTER, osprey, 2, "no tester")):
        cast = client.post(f"/api/v1/pis/{pi}/vote/cast", headers=headers(role),
                           json={"scope": scope, "value": value, "reason": reason})
        assert cast.status_code == 200, cast.text
    failed = client.post(f"/api/v1/pis/{pi}/vote/close", headers=rte).json()
    assert failed["commits"] is False and "Osprey" in failed["reasons"][0]
    client.post(f"/api/v1/pis/{pi}/vote/cast", headers=headers(Role.SCRUM_MASTER),
                json={"scope": osprey, "value": 3})
    client.post(f"/api/v1/pis/{pi}/vote/cast", headers=headers(Role.TEAM_MEMBER),
                json={"scope": "art", "value": 4})
    assert client.post(f"/api/v1/pis/{pi}/vote/close", headers=rte).json()["commits"]
    status = client.get(f"/api/v1/pis/{pi}/vote", headers=rte).json()
    assert [r["status"] for r in status["rounds"]] == ["failed", "committed"]
    client.post(f"/api/v1/items/{plan['items']['WALLET']}/plan", headers=rte,
                json={"iteration_id": plan["its"]["I4"]})
    changes = client.get(f"/api/v1/pis/{pi}/baseline", headers=rte).json()["changes"]
    assert [(c["kind"], c["before"], c["after"]) for c in changes] == [
        ("moved", "Kestrel · I3", "Kestrel · I4")]


def test_the_kanban_refuses_a_move_over_the_wip_limit_unless_the_rte_overrides(
        client, headers, plan):
    catalog.update_entity(client.app.state.tm.uow(), SYSTEM, "arts", plan["art"],
                          {"wip_implementing": 1}, at=AT)
    po, rte = headers(Role.PRODUCT_OWNER), headers(Role.RTE)
    first = client.post(f"/api/v1/items/{plan['items']['API']}/move", headers=po,
                        json={"to": "implementing"})
    assert first.status_code == 200
    url = f"/api/v1/items/{plan['items']['WALLET']}/move"
    refused = client.post(url, headers=po, json={"to": "implementing"})
    assert refused.status_code == 409 and "WIP limit of 1" in refused.json()["detail"]
    assert client.post(url, headers=po, json={"to": "implementing", "override": True}
                       ).status_code == 403
    done = client.post(url, headers=rte, json={"to": "implementing", "override": True,
                                               "reason": "regulator"})
    assert done.json()["override"]["reason"] == "regulator"
    board = client.get("/api/v1/arts/PAY/kanban", headers=rte).json()
    implementing = next(c for c in board["columns"] if c["state"] == "implementing")
    assert (implementing["count"], implementing["over_limit"]) == (2, True)
    assert len(board["overrides"]) == 1


def test_the_board_exports_through_the_api(client, headers, plan):
    h = headers(Role.VIEWER)
    svg = client.get(f"/api/v1/pis/{plan['pi']}/board.svg", headers=h)
    assert svg.headers["content-type"] == "image/svg+xml" and b"API feature"[:3] in svg.content
    assert client.get(f"/api/v1/pis/{plan['pi']}/board.pdf", headers=h).content[:4] == b"%PDF"
