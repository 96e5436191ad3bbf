"""Journey 3 step 4 (the flow dashboard and its forecast), journey 4 steps 1 and 3
(predictability against the band across PIs, the PI report download)."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_dashboard_draws_charts_and_reveals_the_numbers_behind_them(page_as, live):
    alice = page_as("alice")
    alice.click("nav.artnav >> text=Dashboard")
    alice.wait_for_selector("#plot-cfd .main-svg")
    headline = alice.locator("#forecast .headline").inner_text()
    assert re.search(r"rest of PI \S+ scope: \d+ % likely by \d{4}-\d\d-\d\d "
                     r"\(back-tested hit rate \d+ % for 85 % forecasts\)", headline), headline
    for chart in ("velocity", "cfd", "scatter", "aging", "burn_up", "predictability"):
        assert alice.locator(f"#plot-{chart} .main-svg").count() >= 1, chart
    scatter_lines = alice.locator("#plot-scatter .annotation-text").all_text_contents()
    assert any(t.startswith("85th:") for t in scatter_lines), scatter_lines
    card = alice.locator(".chart-card[data-chart=cfd]")
    assert card.locator(".numbers").is_hidden()
    card.locator("button.show-numbers").click()
    table = card.locator(".numbers table")
    table.wait_for()
    assert table.locator("thead th").all_inner_texts() == ["day", "not_started", "active",
                                                           "waiting", "done"]
    assert table.locator("tbody tr").count() > 5
    screenshot(alice, "metrics-dashboard")
    predictability = alice.locator(".chart-card[data-chart=predictability]")
    predictability.locator("button.show-numbers").click()
    rows = predictability.locator(".numbers tbody tr").all_inner_texts()
    assert len(rows) >= 2 and any("healthy" in r or "below" in r for r in rows), rows


def test_team_filter_shows_one_teams_dashboard(page_as, live):
    alice = page_as("alice")
    alice.goto(f"{live.url}/arts/PAY/dashboard")
    alice.select_option("select[name=team]", "Kestrel")
    alice.click(".metrics-filter button[type=submit]")
    alice.wait_for_selector("#plot-velocity .main-svg")
    assert "Kestrel" in alice.locator("h1").inner_text()
    assert "(Kestrel)" in alice.locator("#forecast .headline").inner_text()


def test_pi_report_downloads_as_pdf(page_as, live):
    alice = page_as("alice")
    alice.goto(f"{live.url}/arts/PAY/dashboard")
    with alice.expect_download() as download:
        alice.click("a[data-report=pdf]")
    path = download.value.path()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
