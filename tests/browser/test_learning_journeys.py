"""Journey 3: a PO works the triage queue; the RTE reads the risk radar and ROAMs a risk."""

import re

import pytest

from tests.browser.conftest import screenshot
from trainmaster.domain.access import SYSTEM
from trainmaster.services import overview

pytestmark = pytest.mark.browser


def art_key(live):
    return overview.list_arts(live.tm.uow(), SYSTEM)[0].key


def test_a_product_owner_accepts_and_corrects_triage_suggestions(page_as, live):
    page = page_as("pat")
    page.goto(f"{live.url}/arts/{art_key(live)}/triage")
    suggestions = page.locator("section.suggestion")
    assert suggestions.count() > 2
    for i in range(min(suggestions.count(), 10)):
        assert suggestions.nth(i).locator("ul.reasons li").count() >= 1
    before = suggestions.count()
    first = suggestions.first
    first_id = first.get_attribute("data-suggestion")
    first.locator("button[value=accept]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(f"section[data-suggestion='{first_id}']").count() == 0
    numeric = page.locator("section.suggestion[data-field=points], "
                           "section.suggestion[data-field=job_size], "
                           "section.suggestion[data-field=business_value], "
                           "section.suggestion[data-field=time_criticality], "
                           "section.suggestion[data-field=risk_reduction]").first
    corrected_id = numeric.get_attribute("data-suggestion")
    numeric.locator("input[name=value]").fill("8")
    numeric.locator("button[value=edit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(f"section[data-suggestion='{corrected_id}']").count() == 0
    assert page.locator("section.suggestion").count() == before - 2
    screenshot(page, "learning-triage-queue")


def test_the_rte_sees_reasons_on_every_radar_item_and_filters_by_team(page_as, live):
    page = page_as("alice")
    page.goto(f"{live.url}/arts/{art_key(live)}")
    page.click("nav.artnav >> text=Risk radar")
    page.wait_for_load_state("networkidle")
    rows = page.locator("tr.radar-item")
    assert rows.count() > 5
    probabilities = [int(re.match(r"(\d+)", rows.nth(i).locator(".prob").inner_text()).group(1))
                     for i in range(rows.count())]
    assert probabilities == sorted(probabilities, reverse=True)
    for i in range(rows.count()):
        assert rows.nth(i).locator("ul.reasons li").count() == 3
    assert "Forecast predictability" in page.locator("#predictability-forecast").inner_text()
    screenshot(page, "learning-risk-radar")
    team = page.locator("select[name=team_id] option").nth(1)
    name = team.inner_text()
    page.select_option("select[name=team_id]", label=name)
    page.click("form.filters button")
    page.wait_for_load_state("networkidle")
    teams = {page.locator("tr.radar-item").nth(i).locator("td").nth(3).inner_text()
             for i in range(page.locator("tr.radar-item").count())}
    assert teams == {name}


def test_a_suggested_risk_is_confirmed_onto_the_roam_board(page_as, live):
    page = page_as("alice")
    page.goto(f"{live.url}/arts/{art_key(live)}/risk-radar")
    card = page.locator("#suggested-risks article.suggested-risk").first
    label = card.locator("b").inner_text()
    assert card.locator("ul.reasons li").count() >= 1
    card.locator("button", has_text="Add to ROAM board").click()
    page.wait_for_load_state("networkidle")
    page.locator("a", has_text="on ROAM board").first.click()
    page.wait_for_load_state("networkidle")
    unroamed = page.locator("section.roam-col.unroamed")
    assert label in unroamed.inner_text()
    screenshot(page, "learning-roam-confirmed")
