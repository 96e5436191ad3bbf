"""Journeys 1 (two weeks before PI Planning) and 2 (PI Planning, day 1 and 2) in Chromium."""

import icalendar
import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_board import board_data, drag

pytestmark = pytest.mark.browser


def coming_pi(live):
    with live.tm.uow() as uow:
        return next(p for p in uow.pis.find(order_by="start_date") if p.state.value == "planning")


def test_journey_1_readiness_gaps_filled_then_the_agenda(page_as, live):
    pi = coming_pi(live)
    # 1. Alice opens the coming PI: the readiness page shows a score and what is missing
    alice = page_as("alice")
    alice.click("nav.artnav >> text=PI Planning")
    alice.click("text=Readiness")
    score = int(alice.locator("#readiness-score").inner_text())
    problems = alice.locator("#findings").inner_text()
    assert score < 90 and "lacks acceptance criteria" in problems
    assert "no roadmap attached" in problems

    # 2. Bob (PM) fills the features' gaps in place; Alice attaches the roadmap
    bob = page_as("bob")
    bob.goto(f"{live.url}/pis/{pi.id}/readiness")
    while bob.locator("tr.finding.backlog details.fix").count():
        row = bob.locator("tr.finding.backlog").first
        row.locator("summary").click()
        for area in row.locator("textarea").all():
            area.fill("Given a customer, when they pay, then the ledger balances.")
        for field in row.locator("input[name=points]").all():
            field.fill("13")
        for select in row.locator("select").all():
            select.select_option("5")
        with bob.expect_navigation():
            row.locator("button[type=submit]").click()
    alice.reload()
    alice.locator("tr.finding.roadmap summary").click()
    alice.fill("tr.finding.roadmap input[name=roadmap_url]", "https://wiki.example.org/roadmap")
    with alice.expect_navigation():
        alice.click("tr.finding.roadmap button[type=submit]")
    assert alice.locator("#readiness-score").get_attribute("class").split()[-1] == "green"
    assert alice.locator("#findings").count() == 0
    bob.goto(f"{live.url}/arts/PAY/wsjf")
    assert bob.locator("#wsjf tbody tr").first.locator("td").first.inner_text() == "1"

    # 3. Alice generates the agenda in the ART's time zone, tweaks a timebox, downloads it
    alice.click("nav.artnav >> text=Agenda")
    with alice.expect_navigation():
        alice.click("text=Generate the default agenda")
    vote_row = alice.locator("tr", has_text="PI confidence vote")
    vote_row.locator("input[name=start]").fill("14:30")
    vote_row.locator("input[name=end]").fill("14:50")
    with alice.expect_navigation():
        vote_row.locator("button").click()
    assert "14:30" in alice.locator("tr", has_text="PI confidence vote").inner_text()
    with alice.expect_download() as download:
        alice.click("#ics")
    cal = icalendar.Calendar.from_ical(open(download.value.path(), "rb").read())
    vote = next(e for e in cal.walk("VEVENT") if "confidence vote" in str(e["summary"]))
    assert vote.decoded("dtstart").strftime("%H:%M") == "14:30"
    assert int(vote["sequence"]) == 1
    screenshot(alice, "journey-1-agenda")


def feature_of(data, team_name):
    team = next(t for t in data["teams"] if t["name"] == team_name)
    return next(c for c in data["cards"] if c["team_id"] == team["id"])


def test_journey_2_plan_depend_commit_and_baseline(page_as, live):
    pi = coming_pi(live)
    board_url = f"{live.url}/pis/{pi.id}/board"
    # 1. Teams pull features into iterations on the board
    pat = page_as("pat")
    pat.goto(board_url)
    data = board_data(pat)
    its = {i["name"]: i["id"] for i in data["iterations"]}
    kestrel, falcon = feature_of(data, "Kestrel"), feature_of(data, "Falcon")
    for card, where in ((kestrel, "I2"), (falcon, "I1")):
        drag(pat, pat.locator(f'.bcard[data-id="{card["id"]}"]'),
             pat.locator(f'.cards[data-team="{card["team_id"]}"][data-iteration="{its[where]}"]'))
        pat.locator("dialog#preview").wait_for(state="visible")
        pat.click("#preview-save")
        pat.locator("dialog#preview").wait_for(state="hidden")
    assert pat.locator(".cell .load").count() > 0

    # 2. Kestrel requests "payments API v2 by iteration 2"; Falcon counters with I3
    pat.reload()
    pat.select_option("form.request select[name=consumer_id]", str(kestrel["id"]))
    pat.select_option("form.request select[name=provider_id]", str(falcon["id"]))
    pat.select_option("form.request select[name=needed_by_iteration_id]", str(its["I2"]))
    pat.fill("form.request input[name=description]", "payments API v2")
    with pat.expect_navigation():
        pat.click("form.request button")
    answer = pat.locator("ul.answers li", has_text="payments API v2")
    answer.locator("select[name=answer]").select_option("countered")
    answer.locator("select[name=iteration_id]").select_option(str(its["I3"]))
    with pat.expect_navigation():
        answer.locator("button").click()
    string = next(s for s in board_data(pat)["strings"]
                  if (s["consumer_id"], s["provider_id"]) == (kestrel["id"], falcon["id"]))
    path = pat.locator(f'path.string[data-id="{string["id"]}"]')
    assert set(path.get_attribute("class").split()) >= {"late", "decision"}
    assert "decision" in pat.locator(f'.bcard[data-id="{kestrel["id"]}"]').get_attribute("class")
    #    dragging the consumer to I4 previews the change before saving
    drag(pat, pat.locator(f'.bcard[data-id="{kestrel["id"]}"]'),
         pat.locator(f'.cards[data-team="{kestrel["team_id"]}"][data-iteration="{its["I4"]}"]'))
    pat.locator("dialog#preview").wait_for(state="visible")
    assert "late → ok" in pat.locator(f'#preview-body li[data-string="{string["id"]}"]'
                                      ).inner_text()
    pat.click("#preview-save")
    pat.wait_for_function("id => document.querySelector(`path.string[data-id=\"${id}\"]`)"
                          ".classList.contains('ok')", arg=string["id"])
    screenshot(pat, "journey-2-board")

    # 3. Objectives: written by the team, valued by Jon, published by Alice
    pat.goto(f"{live.url}/pis/{pi.id}/objectives")
    pat.select_option("select[name=team_id]", str(kestrel["team_id"]))
    pat.fill("input[name=text]", "Wallet payments live in two markets")
    with pat.expect_navigation():
        pat.click("text=Add")
    jon = page_as("jon")
    jon.goto(f"{live.url}/pis/{pi.id}/objectives")
    row = jon.locator("tr", has_text="Wallet payments live in two markets")
    row.locator("input[name=planned]").fill("8")
    with jon.expect_navigation():
        row.locator("button").click()
    assert "8" in jon.locator("tr", has_text="Wallet payments live in two markets").inner_text()
    alice = page_as("alice")
    alice.goto(f"{live.url}/pis/{pi.id}/objectives")
    with alice.expect_navigation():
        alice.click("#publish")
    assert alice.locator("#published").inner_text() != "–"

    # 4. Risks are ROAMed; the ones left unroamed are flagged
    alice.goto(f"{live.url}/arts/PAY/roam?pi_id={pi.id}")
    unroamed = alice.locator('[data-column="unroamed"] article.risk')
    before = unroamed.count()
    if before:
        first = unroamed.first
        first.locator("summary").click()
        first.locator("select[name=to]").select_option("accepted")
        with alice.expect_navigation():
            first.locator("button").click()
        assert alice.locator('[data-column="unroamed"] article.risk').count() == before - 1

    # 5. The vote: Osprey votes 2 with a reason, the rule fails, rework, then commitment
    alice.goto(f"{live.url}/pis/{pi.id}/vote")
    with alice.expect_navigation():
        alice.click("#open-vote")
    osprey = next(t for t in data["teams"] if t["name"] == "Osprey")["id"]

    def vote(page, scope, value, reason=""):
        page.goto(f"{live.url}/pis/{pi.id}/vote")
        page.select_option("form.cast select[name=scope]", scope)
        page.check(f"form.cast input[name=value][value='{value}']")
        page.fill("form.cast input[name=reason]", reason)
        with page.expect_navigation():
            page.click("form.cast button")

    sam = page_as("sam")
    vote(alice, "art", 4)
    vote(sam, f"team:{osprey}", 2, "two testers on leave in I2")
    with alice.expect_navigation():
        alice.click("#close-vote")
    assert "team Osprey mean 2.00 is below 3" in alice.content()
    assert "Round 2 is open" in alice.locator("#vote-state").inner_text()
    vote(sam, f"team:{osprey}", 3)
    vote(alice, "art", 4)
    with alice.expect_navigation():
        alice.click("#close-vote")
    assert "committed" in alice.locator("#vote-state").inner_text()
    alice.click("#vote-state >> text=baseline")
    assert "Nothing changed since the baseline." in alice.content()
    screenshot(alice, "journey-2-baseline")
