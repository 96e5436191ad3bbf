"""Journey 3 (every week of the PI, steps 1–3) and journey 4 step 2 (problem solving)."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import screenshot
from tests.conftest import NOW

pytestmark = pytest.mark.browser

NOTES = """# ART Sync

## Team updates
- Falcon is blocked on the staging database migration, waiting for the System Team since Monday.
- Osprey finished the search relevance spike.

## Decisions
- We agreed to move {feature} to iteration 3.

## Action items
- {first} to unblock the Falcon staging migration by tomorrow.
- {second} will share the updated acceptance criteria by Friday.
- {third} to book the room for the next System Demo by Thursday.

## Risks
- If the payments sandbox stays unstable, Kestrel might miss the integration milestone.
"""


def names(live) -> dict[str, str]:
    """People and a feature of the demo train to write the notes about."""
    with live.tm.uow() as uow:
        falcon = uow.teams.first(name="Falcon")
        seats = uow.memberships.find(team_id=falcon.id)
        people = [uow.people.get(m.person_id).name for m in seats][:3]
        pi = next(p for p in uow.pis.find(order_by="start_date") if p.state.value == "executing")
        feature = uow.items.find(pi_id=pi.id, level="feature", team_id=falcon.id,
                                 order_by="key")[0]
    return {"first": people[0], "second": people[1], "third": people[2],
            "feature": feature.key}


def proposal(page, kind: str, index: int = 0):
    return page.locator(f".proposal[data-kind={kind}]").nth(index)


def test_the_weekly_art_sync_from_facts_to_notes_to_escalation(page_as, live):
    who = names(live)
    page = page_as("alice")

    # 1. The ART Sync page starts from the facts
    page.click("nav.artnav >> text=ART Sync")
    page.wait_for_selector("#facts")
    for section in ("late-dependencies", "overloaded", "overdue-actions", "unroamed-risks"):
        count = int(page.locator(f"#{section} .count").inner_text())
        assert count > 0, section
    assert page.locator("#team-progress tbody tr").count() == 8
    screenshot(page, "journey3-1-art-sync-facts")
    page.click("#start-sync button[type=submit]")
    page.wait_for_url(re.compile(r"/syncs/\d+$"))
    assert page.locator(".team-report").count() == 8
    assert page.locator(".team-report textarea[name=note]").first.input_value() != ""

    # 2. Paste the notes; confirm most proposals, edit one, reject one
    page.fill("#notes-input", NOTES.format(**who))
    page.click("#notes-form button[type=submit]")
    page.wait_for_selector("#proposals .proposal")
    assert page.locator(".proposal[data-kind=action]").count() == 3
    first = proposal(page, "action", 0)
    assert who["first"] in first.locator("select[name=owner_id] option:checked").inner_text()
    first.locator("blockquote").click()
    highlighted = page.locator(".sentence.hl")
    assert "unblock the Falcon staging migration" in highlighted.inner_text()
    screenshot(page, "journey3-2-notes-proposals")

    proposal(page, "decision").locator("button[type=submit]").click()
    first.locator("button[type=submit]").click()
    second = proposal(page, "action", 1)
    second.locator("select[name=owner_id]").select_option(label=who["third"])
    second.locator("input[name=due]").fill("2026-12-04")
    second.locator("button[type=submit]").click()
    proposal(page, "action", 2).locator("button:has-text('Reject')").click()
    proposal(page, "risk").locator("button[type=submit]").click()
    impediment = proposal(page, "impediment")
    impediment.locator("select[name=team_id]").select_option(label="Falcon")
    impediment.locator("button[type=submit]").click()
    page.wait_for_selector(".proposal[data-kind=impediment].confirmed")
    assert proposal(page, "action", 2).get_attribute("class").endswith("rejected")

    page.reload()
    rows = page.locator("#sync-actions tbody tr")
    assert rows.count() == 2
    table = page.locator("#sync-actions").inner_text()
    assert who["first"] in table and who["third"] in table and "2026-12-04" in table
    assert "ART Sync" in table                               # the source: this meeting
    assert "move " + who["feature"] in page.locator("#decisions").inner_text()
    assert "payments sandbox" in page.locator("#raised").inner_text()
    assert page.locator(".proposal.proposed").count() == 0
    screenshot(page, "journey3-2-notes-confirmed")

    # 3. The impediment escalates team → ART → portfolio, each step time-stamped
    page.click("nav.artnav >> text=Impediments")
    row = page.locator("#impediments tr", has_text="staging database migration").first
    assert row.locator(".badge.team").count() == 1
    with page.expect_navigation():
        row.locator("button:has-text('Escalate')").click()
    row = page.locator("#impediments tr", has_text="staging database migration").first
    assert row.locator(".badge.art").count() == 1
    with page.expect_navigation():
        row.locator("button:has-text('Escalate')").click()
    row = page.locator("#impediments tr", has_text="staging database migration").first
    steps = row.locator(".steps li").all_inner_texts()
    assert [s.split(" · ")[0] for s in steps] == ["at team", "at art", "at portfolio"]
    with live.tm.uow() as uow:
        zone = ZoneInfo(uow.arts.first(key="PAY").timezone)
    stamp = NOW.astimezone(zone).strftime("%Y-%m-%d %H:%M")   # the server's clock, local
    assert all(stamp in s and "alice" in s for s in steps)
    assert row.locator("button:has-text('Escalate')").count() == 0
    screenshot(page, "journey3-3-impediment-escalated")


def test_overdue_items_wait_on_the_owners_page(page_as, live):
    with live.tm.uow() as uow:
        overdue = next(a for a in uow.actions.find(status="open", order_by="due"))
        owner = uow.people.get(overdue.owner_id)
        alice = uow.users.first(username="alice")
        alice.person_id = owner.id   # the demo login stands for that person here
        uow.commit()
    page = page_as("alice")
    page.click("text=My actions")
    assert overdue.title in page.locator("#overdue").inner_text()
    with page.expect_navigation():
        page.locator("#overdue tr", has_text=overdue.title).locator("button").click()
    assert overdue.title in page.locator("#closed").inner_text()


def test_the_problem_solving_workshop_lands_improvements_in_the_next_pi(page_as, live):
    page = page_as("alice")
    page.click("nav.artnav >> text=Inspect & Adapt")
    page.click("#open-workshop")
    page.wait_for_selector("#add-problem")
    assert page.locator("#review tbody tr").count() >= 2
    page.fill("#add-problem input[name=text]",
              "Features miss the System Demo because integration happens late")
    page.click("#add-problem button[type=submit]")
    page.wait_for_url(re.compile(r"/problems/\d+$"))

    def next_step() -> None:
        with page.expect_navigation():
            page.click("#next-step")

    def add_cause(category: str, text: str) -> None:
        page.select_option("#add-cause select[name=category]", category)
        page.fill("#add-cause input[name=text]", text)
        with page.expect_navigation():
            page.click("#add-cause button[type=submit]")

    next_step()                                                   # fishbone
    add_cause("environment", "Shared staging environment is unstable")
    add_cause("process", "Teams integrate only at the end of the iteration")
    add_cause("tools", "No contract tests between services")
    assert page.locator("#fishbone .cause").count() == 3
    next_step()                                                   # 5 whys
    for answer in ("Deployments to staging collide", "Nobody owns the staging schedule"):
        cause = page.locator(".cause", has_text="Shared staging environment")
        cause.locator("input[name=text]").fill(answer)
        with page.expect_navigation():
            cause.locator("button[type=submit]").click()
    assert page.locator(".cause", has_text="Shared staging").locator("li").count() == 2
    next_step()                                                   # Pareto vote
    for text, votes in (("Shared staging", "11"), ("integrate only", "6"), ("contract", "2")):
        page.locator("#votes tr", has_text=text).locator("input").fill(votes)
    with page.expect_navigation():
        page.click("#votes button[type=submit]")
    assert page.locator("#votes tr.vital").count() == 2
    screenshot(page, "journey4-2-pareto")
    next_step()                                                   # restate
    page.fill("#restate input[name=text]",
              "Nobody owns the staging schedule, so integration slips to the demo")
    with page.expect_navigation():
        page.click("#restate button[type=submit]")
    next_step()                                                   # solutions
    for text, kind in (("Staging booking calendar owned by the System Team", "enabler"),
                       ("Contract tests for the payment services", "tech_debt")):
        page.fill("#add-solution input[name=text]", text)
        page.select_option("#add-solution select[name=work_type]", kind)
        with page.expect_navigation():
            page.click("#add-solution button[type=submit]")
    page.click("#create-improvements")
    page.wait_for_selector("#solutions a")
    assert page.locator("#stepper li.here").inner_text().endswith("done")
    links = page.locator("#solutions a")
    assert links.count() == 2 and "PI 27.1" in page.locator("#solutions").inner_text()
    screenshot(page, "journey4-2-improvements")
    with page.expect_navigation():
        links.first.click()
    body = page.locator("main").inner_text()
    assert "Staging booking calendar" in body and "Inspect & Adapt workshop" in body
