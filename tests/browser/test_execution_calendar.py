"""The calendar page: generate the next PI's events, edit one, subscribe to the feed."""

from __future__ import annotations

import httpx
import icalendar
import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_generate_edit_and_subscribe_to_the_arts_calendar(page_as, live):
    with live.tm.uow() as uow:   # the coming PI, its calendar not made yet
        coming = next(p for p in uow.pis.find(order_by="start_date")
                      if p.state.value == "planning")
        uow.events.remove_where(pi_id=coming.id)
        uow.commit()
    page = page_as("alice")
    page.click("nav.artnav >> text=Calendar")
    page.click(f"text={coming.name}")
    assert page.locator("#agenda .event").count() == 0
    with page.expect_navigation():
        page.click("#generate")
    assert page.locator("#agenda .event.pi_planning").count() == 2
    assert page.locator("#agenda .event.coach_sync").count() == 10
    assert page.locator("#agenda .event.system_demo").count() == 4
    assert page.locator("#agenda .event.inspect_adapt").count() == 1

    row = page.locator("#events tr", has_text="System Demo I2")
    row.locator("summary").click()
    row.locator("input[name=start]").fill("15:30")
    row.locator("input[name=end]").fill("17:00")
    row.locator("input[name=location]").fill("Atrium")
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    assert "15:30–17:00" in page.locator("#agenda .event", has_text="System Demo I2").inner_text()
    screenshot(page, "calendar-generated")

    feed = page.input_value("#feed-url")
    assert "/calendar/PAY.ics?token=" in feed
    response = httpx.get(feed, timeout=60)      # a calendar app: no cookies, just the address
    assert response.status_code == 200
    cal = icalendar.Calendar.from_ical(response.content)
    demo = next(e for e in cal.walk("VEVENT") if "System Demo I2" in str(e["SUMMARY"]))
    assert demo.decoded("DTSTART").strftime("%H:%M") == "15:30"
    assert str(demo["LOCATION"]) == "Atrium"
    assert any("RRULE" in e for e in cal.walk("VEVENT"))
    assert httpx.get(feed.split("?")[0], timeout=60).status_code == 401
