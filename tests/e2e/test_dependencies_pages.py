"""The dependency pages on the server side: graph, matrix, filter, suggestions with HTMX."""

import re

import pytest

from tests.e2e.conftest import login
from tests.e2e.test_dependencies_api import build_dependencies
from trainmaster.domain.access import Role


@pytest.fixture
def tm(sqlite_tm):
    return sqlite_tm


@pytest.fixture
def deps(tm, train):
    return build_dependencies(tm, train)


def test_the_art_link_opens_the_current_pis_dependency_page(client, deps):
    login(client, Role.VIEWER)
    response = client.get("/arts/PAY/dependencies", follow_redirects=False)
    assert response.headers["location"] == f"/pis/{deps['pi']}/dependencies"
    page = client.get(f"/pis/{deps['pi']}/dependencies")
    assert page.status_code == 200
    assert '<svg id="dep-graph"' in page.text and 'id="team-matrix"' in page.text
    assert f'href="/items/{deps["items"]["PAY-13"]}"' in page.text
    assert len(re.findall(r'class="edge ', page.text)) == 3
    assert 'href="/arts/PAY/dependencies">Dependencies</a>' in page.text


def test_filtering_by_a_team_keeps_its_strings(client, deps):
    login(client, Role.VIEWER)
    page = client.get(f"/pis/{deps['pi']}/dependencies",
                      params={"team": deps["teams"]["Kestrel"]})
    assert page.status_code == 200 and 'id="no-dependencies"' in page.text
    page = client.get(f"/pis/{deps['pi']}/dependencies",
                      params={"team": deps["teams"]["Falcon"]})
    assert len(re.findall(r'class="edge ', page.text)) == 2


def test_suggestions_are_found_accepted_and_rejected_in_place(client, deps):
    csrf = login(client, Role.PRODUCT_OWNER)
    base = f"/pis/{deps['pi']}/dependencies/suggestions"
    page = client.get(base)
    assert 'id="find-suggestions"' in page.text and "No suggestions yet" in page.text
    htmx = {"HX-Request": "true", "X-CSRF-Token": csrf}
    fragment = client.post(f"{base}/run", headers=htmx)
    assert fragment.status_code == 200 and 'id="suggestion-list"' in fragment.text
    ids = re.findall(r'data-suggestion="(\d+)"', fragment.text)
    accepted = client.post(f"/dependency-suggestions/{ids[0]}/accept", headers=htmx)
    assert "Accepted" in accepted.text and "<tr" in accepted.text
    rejected = client.post(f"/dependency-suggestions/{ids[1]}/reject",
                           data={"csrf_token": csrf}, follow_redirects=False)
    assert rejected.status_code == 303 and rejected.headers["location"] == base
    again = client.post(f"{base}/run", headers=htmx).text
    assert f'data-suggestion="{ids[1]}"' not in again
    assert "1 accepted · 1 rejected" in again


def test_a_viewer_sees_suggestions_without_buttons(client, deps):
    login(client, Role.VIEWER)
    page = client.get(f"/pis/{deps['pi']}/dependencies/suggestions")
    assert page.status_code == 200 and 'id="find-suggestions"' not in page.text
