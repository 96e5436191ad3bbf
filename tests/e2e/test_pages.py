import pytest

from tests.e2e.conftest import login
from trainmaster.domain.access import Role


@pytest.fixture
def tm(sqlite_tm):
    return sqlite_tm


def test_pages_send_an_anonymous_visitor_to_log_in(client, train):
    response = client.get("/arts/PAY", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_a_wrong_password_is_refused(client, train):
    response = client.post("/login", data={"username": "user-rte", "password": "wrong"})
    assert response.status_code == 401 and "wrong username or password" in response.text


def test_the_art_overview_shows_teams_and_the_current_pi(client, train):
    login(client, Role.RTE)
    page = client.get("/arts/PAY")
    assert page.status_code == 200
    assert "Osprey" in page.text and "PI 26.4" in page.text and "I2" in page.text


def test_the_pi_page_shows_features_per_team_and_iteration(client, train):
    login(client, Role.VIEWER)
    page = client.get(f"/pis/{train['pi']}")
    assert "PAY-1" in page.text and "Unplanned" in page.text


def test_the_item_page_shows_its_status_history(client, train):
    login(client, Role.VIEWER)
    page = client.get(f"/items/{train['feature']}")
    assert 'id="history"' in page.text and "funnel" in page.text


def test_a_session_write_needs_the_csrf_token(client, train):
    csrf = login(client, Role.PRODUCT_OWNER)
    url = f"/api/v1/items/{train['feature']}"
    assert client.patch(url, json={"title": "New"}).status_code == 403
    ok = client.patch(url, json={"title": "New"}, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 200 and ok.json()["title"] == "New"


def test_logging_out_ends_the_session(client, train):
    csrf = login(client, Role.RTE)
    client.post("/logout", data={"csrf_token": csrf})
    assert client.get("/api/v1/arts").status_code == 401


def test_an_unknown_page_is_a_readable_404(client, train):
    login(client, Role.RTE)
    page = client.get("/items/999", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "does not exist" in page.text
