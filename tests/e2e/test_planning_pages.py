"""PI Planning pages through the browser's forms (server side, no JavaScript)."""

import json

import pytest

from tests.e2e.conftest import login
from tests.e2e.planning_train import build_plan
from trainmaster.domain.access import Role


@pytest.fixture
def tm(sqlite_tm):
    return sqlite_tm


@pytest.fixture
def plan(tm, train):
    return build_plan(tm, train)


def board_data(page):
    marker = '<script id="board-data" type="application/json">'
    return json.loads(page.text.split(marker, 1)[1].split("</script>", 1)[0])


@pytest.mark.parametrize("path", [
    "/pis/{pi}/planning", "/pis/{pi}/readiness", "/arts/PAY/wsjf", "/pis/{pi}/capacity",
    "/pis/{pi}/agenda", "/pis/{pi}/board", "/pis/{pi}/objectives", "/arts/PAY/roam",
    "/pis/{pi}/vote", "/pis/{pi}/baseline", "/arts/PAY/kanban"])
def test_every_planning_page_renders_for_a_viewer(client, plan, path):
    login(client, Role.VIEWER)
    page = client.get(path.format(pi=plan["pi"]))
    assert page.status_code == 200, page.text[:500]
    assert "<h1>" in page.text


def test_the_art_planning_link_opens_the_pi_to_plan(client, plan):
    login(client, Role.VIEWER)
    response = client.get("/arts/PAY/planning", follow_redirects=False)
    assert response.headers["location"] == f"/pis/{plan['pi']}/planning"


def test_the_board_page_carries_cards_strings_and_who_may_edit(client, plan):
    login(client, Role.VIEWER)
    page = client.get(f"/pis/{plan['pi']}/board")
    assert 'data-can-edit="false"' in page.text
    assert {c["key"] for c in board_data(page)["cards"]} == {"PAY-1", "API", "WALLET"}
    csrf = login(client, Role.PRODUCT_OWNER)
    client.post(f"/pis/{plan['pi']}/dependencies/request", data={
        "csrf_token": csrf, "consumer_id": plan["items"]["WALLET"],
        "provider_id": plan["items"]["API"], "description": "payments API v2"})
    page = client.get(f"/pis/{plan['pi']}/board")
    assert 'data-can-edit="true"' in page.text and "WALLET needs API" in page.text
    (string,) = board_data(page)["strings"]
    assert string["awaits_answer"] and "Waiting for the providing team" in page.text


def test_answering_a_request_from_the_board(client, plan):
    csrf = login(client, Role.PRODUCT_OWNER)
    client.post(f"/pis/{plan['pi']}/dependencies/request", data={
        "csrf_token": csrf, "consumer_id": plan["items"]["WALLET"],
        "provider_id": plan["items"]["API"]})
    dep = board_data(client.get(f"/pis/{plan['pi']}/board"))["strings"][0]["id"]
    client.post(f"/pis/{plan['pi']}/dependencies/{dep}/answer", data={
        "csrf_token": csrf, "answer": "countered", "iteration_id": plan["its"]["I4"]})
    string = board_data(client.get(f"/pis/{plan['pi']}/board"))["strings"][0]
    assert (string["state"], string["agreement"], string["decision"]) == (
        "late", "countered", True)


def test_the_board_exports_svg_and_pdf(client, plan):
    login(client, Role.VIEWER)
    svg = client.get(f"/pis/{plan['pi']}/board.svg")
    assert svg.headers["content-type"] == "image/svg+xml" and b"WALLET" in svg.content
    pdf = client.get(f"/pis/{plan['pi']}/board.pdf")
    assert pdf.content.startswith(b"%PDF")


def test_the_team_plan_shows_red_when_overloaded(client, plan):
    login(client, Role.VIEWER)
    page = client.get(f"/pis/{plan['pi']}/teams/{plan['teams']['Falcon']}/plan")
    assert "overloaded by 5.0" in page.text and "S-1" in page.text


def test_agenda_forms_generate_retime_and_download(client, plan):
    csrf = login(client, Role.RTE)
    client.post(f"/pis/{plan['pi']}/agenda/generate", data={"csrf_token": csrf})
    page = client.get(f"/pis/{plan['pi']}/agenda")
    assert "PI confidence vote" in page.text and "Team breakouts #2" in page.text
    ics = client.get(f"/pis/{plan['pi']}/agenda.ics")
    assert ics.status_code == 200 and b"BEGIN:VCALENDAR" in ics.content


def test_the_vote_page_runs_a_round(client, plan):
    csrf = login(client, Role.RTE)
    client.post(f"/pis/{plan['pi']}/vote/open", data={"csrf_token": csrf})
    refused = client.post(f"/pis/{plan['pi']}/vote/cast", headers={"Accept": "text/html"},
                          data={"csrf_token": csrf, "scope": "art", "value": "1"})
    assert refused.status_code == 422 and "must be heard" in refused.text
    client.post(f"/pis/{plan['pi']}/vote/cast", data={"csrf_token": csrf, "scope": "art",
                                                     "value": "4"})
    client.post(f"/pis/{plan['pi']}/vote/close", data={"csrf_token": csrf})
    page = client.get(f"/pis/{plan['pi']}/vote")
    assert "The ART committed to the plan." in page.text


def test_business_owners_set_value_on_the_objectives_page(client, plan):
    csrf = login(client, Role.TEAM_MEMBER)
    client.post(f"/pis/{plan['pi']}/objectives", data={
        "csrf_token": csrf, "text": "Wallet live", "team_id": plan["teams"]["Kestrel"],
        "committed": "on"})
    page = client.get(f"/pis/{plan['pi']}/objectives")
    assert "Wallet live" in page.text and 'name="planned"' not in page.text
    csrf = login(client, Role.BUSINESS_OWNER)
    page = client.get(f"/pis/{plan['pi']}/objectives")
    objective = page.text.split('data-objective="', 2)[2].split('"', 1)[0]
    client.post(f"/pis/{plan['pi']}/objectives/{objective}/business-value",
                data={"csrf_token": csrf, "planned": "9"})
    assert "planned BV 9" in client.get(f"/pis/{plan['pi']}/objectives").text


def test_roam_and_kanban_forms(client, plan):
    csrf = login(client, Role.RTE)
    client.post(f"/arts/PAY/roam/{plan['risk']}", data={"csrf_token": csrf, "to": "mitigated",
                                                        "note": "second vendor"})
    page = client.get("/arts/PAY/roam")
    mitigated = page.text.split('data-column="mitigated"', 1)[1]
    assert "Vendor late" in mitigated.split("</section>", 1)[0]
    client.post(f"/arts/PAY/kanban/{plan['items']['API']}", data={"csrf_token": csrf,
                                                                  "to": "analyzing"})
    page = client.get("/arts/PAY/kanban")
    analyzing = page.text.split('data-state="analyzing"', 1)[1].split("</section>", 1)[0]
    assert "API feature" in analyzing
