"""The RTE looks at who waits on whom in the current PI and works through suggestions."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import screenshot
from trainmaster.services import jobs

pytestmark = pytest.mark.browser


def test_the_rte_reads_the_graph_and_matrix_filters_by_team_and_opens_an_item(page_as, live):
    page = page_as("alice")
    page.goto(f"{live.url}/arts/PAY")
    page.click("nav.artnav >> text=Dependencies")
    page.wait_for_url(re.compile(r"/pis/\d+/dependencies$"))
    assert page.locator("#team-matrix tbody tr").count() >= 3
    edges = page.locator("#dep-graph .edge")
    everything = edges.count()
    assert everything > 10
    assert page.locator("#dep-graph .edge.late").count() > 0
    assert page.locator("#dep-graph .edge.critical").count() >= 1
    screenshot(page, "dependencies-graph")

    team = page.locator("#team-filter input[name=team]").first
    team_id = team.get_attribute("value")
    team.check()
    page.click("#team-filter button[type=submit]")
    page.wait_for_url(re.compile(rf"team={team_id}"))
    shown = page.locator("#dep-graph .edge")
    assert 0 < shown.count() < everything
    teams_of = page.eval_on_selector_all(
        "#dep-graph .node-link", "links => Object.fromEntries(links.map("
        "a => [a.dataset.item, a.dataset.team]))")
    for i in range(shown.count()):
        ends = (shown.nth(i).get_attribute("data-from"), shown.nth(i).get_attribute("data-to"))
        assert team_id in {teams_of[e] for e in ends}
    screenshot(page, "dependencies-filtered")

    node = page.locator("#dep-graph a.node-link").first
    item_id = node.get_attribute("data-item")
    key = (node.locator("text").text_content() or "").split()[0]
    node.click()
    page.wait_for_url(f"**/items/{item_id}")
    assert key in page.locator("h1").inner_text()


def _row_pair(row) -> tuple[str, str]:
    links = row.locator("td a")
    return links.nth(0).inner_text(), links.nth(1).inner_text()


def test_the_rte_accepts_one_suggestion_and_rejects_one_that_stays_away(page_as, live):
    page = page_as("alice")
    page.goto(f"{live.url}/arts/PAY/dependencies")
    page.click("text=Suggested dependencies")
    page.wait_for_url(re.compile(r"/dependencies/suggestions$"))
    page.click("#find-suggestions")
    page.wait_for_selector("#job-progress")            # the demo PI is big: a background job
    finished = jobs.run_next_job(live.tm.uow, live.tm.clock, data_dir=live.tm.settings.data_dir)
    assert finished is not None and finished.status.value == "done", finished.message
    page.wait_for_selector("#suggestion-list", timeout=15000)
    rows = page.locator("#suggestion-list tr.suggestion")
    assert rows.count() >= 2
    assert rows.first.locator(".reasons li").count() >= 1

    accepted = _row_pair(rows.nth(0))
    rows.nth(0).locator("button.accept").click()
    page.wait_for_selector("tr.suggestion.decided.accepted")
    rejected = _row_pair(rows.nth(1))
    rows.nth(1).locator("button.reject").click()
    page.wait_for_selector("tr.suggestion.decided.rejected")
    screenshot(page, "dependencies-suggestions-decided")

    page.click("#find-suggestions")                   # cached now: it runs at once
    page.wait_for_selector("#run-info >> text=1 rejected")
    pairs = [_row_pair(rows.nth(i)) for i in range(rows.count())]
    assert pairs and rejected not in pairs and accepted not in pairs

    with live.tm.uow() as uow:                        # the accepted one is a dependency now
        consumer = uow.items.first(key=accepted[0])
    page.goto(f"{live.url}/items/{consumer.id}")
    assert page.locator("li.dep", has_text=f"needs {accepted[1]}").count() == 1
