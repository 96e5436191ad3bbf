import pytest

from tests.e2e.conftest import login
from trainmaster.domain.access import Role

NOTES = "We agreed to ship Pay by link in iteration 3.\nOsprey will fix the copy by Friday.\n"


@pytest.fixture
def tm(sqlite_tm):
    return sqlite_tm


@pytest.fixture
def rte(client, train):
    csrf = login(client, Role.RTE)
    return {"X-CSRF-Token": csrf}


def test_the_calendar_page_lists_generated_events_and_the_feed(client, train, rte):
    client.post(f"/api/v1/pis/{train['pi']}/calendar", headers=rte)
    page = client.get("/arts/PAY/calendar")
    assert page.status_code == 200
    assert "PI Planning PI 26.4 – day 1" in page.text and "Coach Sync (PI 26.4)" in page.text
    assert "/calendar/PAY.ics?token=" in page.text and 'id="generate"' in page.text


def test_the_art_sync_page_starts_from_the_facts(client, train, rte):
    page = client.get("/arts/PAY/sync")
    assert 'id="late-dependencies"' in page.text and 'id="start-sync"' in page.text
    sync = client.post("/api/v1/arts/PAY/syncs", json={}, headers=rte).json()
    record = client.get(f"/syncs/{sync['id']}")
    assert record.status_code == 200 and "Osprey" in record.text
    assert 'id="notes-form"' in record.text


def test_the_sync_page_shows_proposals_with_their_sentences(client, train, rte):
    sync = client.post("/api/v1/arts/PAY/syncs", json={}, headers=rte).json()
    client.post(f"/api/v1/syncs/{sync['id']}/notes", json={"text": NOTES}, headers=rte)
    page = client.get(f"/syncs/{sync['id']}")
    assert 'class="proposal decision proposed"' in page.text
    assert 'id="s-0"' in page.text and "We agreed to ship Pay by link" in page.text


def test_writes_from_the_page_need_the_csrf_token(client, train, rte):
    refused = client.post("/api/v1/arts/PAY/syncs", json={})
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]


def test_impediment_action_and_workshop_pages_render(client, train, rte):
    for url in ("/arts/PAY/impediments", "/arts/PAY/actions", "/arts/PAY/inspect-adapt",
                f"/pis/{train['pi']}/inspect-adapt"):
        assert client.get(url).status_code == 200, url
    workshop = client.post(f"/api/v1/pis/{train['pi']}/inspect-adapt", headers=rte).json()
    problem = client.post(f"/api/v1/workshops/{workshop['id']}/problems", headers=rte,
                          json={"text": "Releases slip"}).json()
    page = client.get(f"/problems/{problem['id']}")
    assert page.status_code == 200 and 'id="stepper"' in page.text


def test_my_actions_page_explains_an_unlinked_login(client, train, rte):
    page = client.get("/me/actions", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "not linked to a person" in page.text
