from datetime import date

import icalendar
import pytest

from trainmaster.domain.access import Role

NOTES = """Falcon is blocked on the staging database migration since Monday.
We agreed to move Pay by link to iteration 3.
Osprey will update the payment page copy by Friday.
If the vendor sandbox stays unstable, Osprey might miss the integration milestone.
"""


@pytest.fixture
def rte(headers):
    return headers(Role.RTE)


def test_calendar_generation_is_idempotent_and_exports_a_valid_feed(client, train, rte):
    created = client.post(f"/api/v1/pis/{train['pi']}/calendar", headers=rte)
    assert created.status_code == 200 and len(created.json()["created"]) == 10
    again = client.post(f"/api/v1/pis/{train['pi']}/calendar", headers=rte).json()
    assert again["created"] == [] and len(again["kept"]) == 10
    ics = client.get("/api/v1/arts/PAY/calendar.ics", headers=rte)
    assert ics.headers["content-type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(ics.content)
    events = cal.walk("VEVENT")
    assert len(events) == 10 and len({e["UID"] for e in events}) == 10
    assert sum("RRULE" in e for e in events) == 2


def test_the_feed_needs_its_secret_or_a_bearer_token(client, train, rte, headers):
    client.post(f"/api/v1/pis/{train['pi']}/calendar", headers=rte)
    feed = client.get("/api/v1/arts/PAY/calendar-feed", headers=headers(Role.VIEWER))
    url = feed.json()["url"]
    assert url.startswith("http://testserver/calendar/PAY.ics?token=")
    anonymous = client.get(url.removeprefix("http://testserver"))
    assert anonymous.status_code == 200
    assert len(icalendar.Calendar.from_ical(anonymous.content).walk("VEVENT")) == 10
    assert client.head(url.removeprefix("http://testserver")).status_code == 200
    assert client.get("/calendar/PAY.ics?token=wrong").status_code == 403
    assert client.get("/calendar/PAY.ics").status_code == 401
    assert client.get("/calendar/PAY.ics", headers=rte).status_code == 200


def test_rotating_the_feed_secret_is_for_the_rte(client, train, rte, headers):
    old = client.get("/api/v1/arts/PAY/calendar-feed", headers=rte).json()["token"]
    assert client.post("/api/v1/arts/PAY/calendar-feed/rotate",
                       headers=headers(Role.VIEWER)).status_code == 403
    new = client.post("/api/v1/arts/PAY/calendar-feed/rotate", headers=rte).json()["token"]
    assert new != old
    assert client.get(f"/calendar/PAY.ics?token={old}").status_code == 403


def test_an_event_is_edited_in_local_time(client, train, rte):
    created = client.post(f"/api/v1/pis/{train['pi']}/calendar", headers=rte).json()["created"]
    demo = next(e for e in created if e["kind"] == "system_demo")
    moved = client.put(f"/api/v1/events/{demo['id']}/schedule", headers=rte,
                       json={"start": "15:00", "end": "16:00", "location": "Hall"})
    assert moved.status_code == 200
    assert moved.json()["start"].endswith("T15:00:00Z") or "15:00:00" in moved.json()["start"]
    bad = client.put(f"/api/v1/events/{demo['id']}/schedule", headers=rte,
                     json={"start": "17:00", "end": "16:00"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "end"]


def test_a_sync_is_recorded_with_its_outcomes(client, train, rte):
    started = client.post("/api/v1/arts/PAY/syncs", json={"kind": "art_sync"}, headers=rte)
    assert started.status_code == 201
    sync_id = started.json()["id"]
    report = client.put(f"/api/v1/syncs/{sync_id}/teams/{train['team']}", headers=rte,
                        json={"status": "at_risk", "progress": 40, "note": "Vendor late"})
    assert report.json()["status"] == "at_risk"
    action = client.post(f"/api/v1/syncs/{sync_id}/outcomes", headers=rte, json={
        "kind": "action", "text": "Call the vendor", "due": "2026-11-27"})
    assert action.status_code == 201
    change = client.post(f"/api/v1/syncs/{sync_id}/scope-changes", headers=rte, json={
        "kind": "reprioritized", "description": "Pay by link first", "item_id": train["feature"]})
    assert change.status_code == 201
    record = client.get(f"/api/v1/syncs/{sync_id}", headers=rte).json()
    assert record["reports"][0][0]["note"] == "Vendor late"
    assert [a["action"]["source"] for a in record["actions"]] == [f"meeting:{sync_id}"]
    assert record["facts"]["pi"]["name"] == "PI 26.4"


def test_notes_become_proposals_that_are_confirmed_or_rejected(client, train, rte):
    sync_id = client.post("/api/v1/arts/PAY/syncs", json={}, headers=rte).json()["id"]
    analysed = client.post(f"/api/v1/syncs/{sync_id}/notes", json={"text": NOTES},
                           headers=rte)
    assert analysed.status_code == 200
    proposals = {p["kind"]: p for p in analysed.json()["proposals"]}
    assert set(proposals) == {"decision", "action", "risk", "impediment"}
    assert client.get("/api/v1/arts/PAY/actions", headers=rte).json() == []
    action = proposals["action"]
    assert action["due"] == "2026-11-27" and action["team_id"] == train["team"]
    confirmed = client.post(f"/api/v1/outcomes/{action['id']}/confirm", headers=rte,
                            json={"text": "Update the payment page copy"})
    assert confirmed.json()["edited"] is True
    listed = client.get("/api/v1/arts/PAY/actions", headers=rte).json()
    assert [(a["action"]["title"], a["action"]["due"]) for a in listed] == [
        ("Update the payment page copy", "2026-11-27")]
    rejected = client.post(f"/api/v1/outcomes/{proposals['risk']['id']}/reject", headers=rte)
    assert rejected.json()["status"] == "rejected"
    again = client.post(f"/api/v1/outcomes/{proposals['risk']['id']}/confirm", json={},
                        headers=rte)
    assert again.status_code == 409


def test_an_impediment_escalates_with_time_stamped_steps(client, train, rte, headers):
    raised = client.post("/api/v1/arts/PAY/impediments", headers=rte,
                         json={"title": "No staging data", "team_id": train["team"]})
    imp = raised.json()["id"]
    assert client.post(f"/api/v1/impediments/{imp}/escalate",
                       headers=headers(Role.VIEWER)).status_code == 403
    assert client.post(f"/api/v1/impediments/{imp}/escalate", headers=rte).json()["level"] == "art"
    client.post(f"/api/v1/impediments/{imp}/escalate", headers=rte)
    assert client.post(f"/api/v1/impediments/{imp}/escalate", headers=rte).status_code == 409
    client.post(f"/api/v1/impediments/{imp}/resolve", headers=rte)
    detail = client.get(f"/api/v1/impediments/{imp}/steps", headers=rte).json()
    assert [(s["step"]["level"], s["step"]["resolved"], s["by"]) for s in detail["steps"]] == [
        ("team", False, "user-rte"), ("art", False, "user-rte"),
        ("portfolio", False, "user-rte"), ("portfolio", True, "user-rte")]
    report = client.get("/api/v1/arts/PAY/impediments/report", headers=rte).json()
    assert [lv["reached"] for lv in report["levels"]] == [1, 1, 1]
    assert report["levels"][2]["resolved"] == 1


def test_overdue_action_items_are_listed_and_closed(client, train, rte):
    client.post("/api/v1/arts/PAY/actions", headers=rte,
                json={"title": "Late one", "due": "2026-11-20"})
    client.post("/api/v1/arts/PAY/actions", headers=rte,
                json={"title": "Later one", "due": "2026-12-20"})
    overdue = client.get("/api/v1/arts/PAY/actions?overdue=true", headers=rte).json()
    assert [v["action"]["title"] for v in overdue] == ["Late one"]
    closed = client.post(f"/api/v1/actions/{overdue[0]['action']['id']}/close", headers=rte,
                         json={"status": "done"})
    assert closed.json()["status"] == "done"
    assert client.get("/api/v1/arts/PAY/actions?overdue=true", headers=rte).json() == []


def test_my_actions_need_a_login_linked_to_a_person(client, train, rte):
    response = client.get("/api/v1/me/actions", headers=rte)
    assert response.status_code == 404 and "not linked" in response.json()["detail"]


def test_the_inspect_adapt_workshop_creates_improvement_items(client, train, rte, headers):
    client.post("/api/v1/pis", headers=rte, json={"art_id": train["art"], "name": "PI 27.1",
                                                  "start_date": "2027-01-11"})
    workshop = client.post(f"/api/v1/pis/{train['pi']}/inspect-adapt", headers=rte).json()
    problem = client.post(f"/api/v1/workshops/{workshop['id']}/problems", headers=rte,
                          json={"text": "Releases slip"}).json()
    url = f"/api/v1/problems/{problem['id']}"
    client.post(f"{url}/stage", headers=rte, json={"stage": "fishbone"})
    cause = client.post(f"{url}/causes", headers=rte,
                        json={"category": "tools", "text": "Flaky tests"}).json()
    client.post(f"{url}/stage", headers=rte, json={"stage": "whys"})
    client.post(f"/api/v1/causes/{cause['id']}/whys", headers=rte, json={"text": "Shared DB"})
    client.post(f"{url}/stage", headers=rte, json={"stage": "vote"})
    votes = client.put(f"{url}/votes", headers=rte, json={"votes": {str(cause["id"]): 7}})
    assert votes.json()[0]["vital"] is True
    client.post(f"{url}/stage", headers=rte, json={"stage": "restate"})
    client.put(f"{url}/restated", headers=rte, json={"text": "Shared DB makes tests flaky"})
    client.post(f"{url}/stage", headers=rte, json={"stage": "solutions"})
    client.post(f"{url}/solutions", headers=rte, json={"text": "DB per run",
                                                       "work_type": "enabler"})
    created = client.post(f"{url}/improvements", headers=rte)
    assert created.status_code == 201
    (item,) = created.json()
    assert (item["work_type"], item["status"], item["level"]) == ("enabler", "backlog",
                                                                  "feature")
    next_pi = next(p for p in client.get("/api/v1/pis", headers=rte).json()
                   if p["name"] == "PI 27.1")
    assert item["pi_id"] == next_pi["id"]
    assert client.get(url, headers=rte).json()["problem"]["stage"] == "done"


def test_predictability_is_reported_per_team_and_art(client, train, rte, headers):
    bo = headers(Role.BUSINESS_OWNER)
    client.patch(f"/api/v1/objectives/{train['objective']}", headers=bo,
                 json={"planned_bv": 8, "actual_bv": 6})
    review = client.get(f"/api/v1/pis/{train['pi']}/inspect-adapt", headers=rte).json()
    assert review["review"]["art"]["percent"] == 75.0
    assert review["review"]["teams"][0]["label"] == "Osprey"


def test_sync_facts_are_served_for_a_given_day(client, train, rte):
    facts = client.get("/api/v1/arts/PAY/sync-facts?on=2026-11-10", headers=rte).json()
    assert facts["on"] == date(2026, 11, 10).isoformat() and facts["iteration"]["name"] == "I1"
