"""The Program Board in Chromium: drag a card, watch the strings; viewers cannot move cards."""

import json

import pytest

from tests.browser.conftest import screenshot
from tests.conftest import NOW
from trainmaster.domain.access import SYSTEM
from trainmaster.services import overview

pytestmark = pytest.mark.browser


def current_pi(live):
    return overview.current_pi(overview.list_pis(live.tm.uow(), SYSTEM, 1), NOW.date())


def board_data(page):
    return json.loads(page.locator("#board-data").text_content())


def drag(page, card, target):
    """Drag with the mouse the way a person does (SortableJS runs in fallback mode)."""
    start = card.locator(".bcard-title").bounding_box()
    end = target.bounding_box()
    page.mouse.move(start["x"] + 20, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(start["x"] + 30, start["y"] + 10, steps=5)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] - 8, steps=25)
    page.mouse.up()


def a_string_to_break(data):
    """A string that is not late yet whose provider can move to the last development
    iteration, after its consumer: moving it there makes the string late."""
    iterations = {i["id"]: i for i in data["iterations"]}
    last = max((i for i in data["iterations"] if not i["is_ip"]), key=lambda i: i["index"])
    cards = {c["id"]: c for c in data["cards"]}
    for s in data["strings"]:
        provider, consumer = cards.get(s["provider_id"]), cards.get(s["consumer_id"])
        if (s["state"] in ("ok", "at_risk") and not s["in_cycle"] and provider and consumer
                and consumer["iteration_id"] and provider["iteration_id"]
                and iterations[consumer["iteration_id"]]["index"] < last["index"]):
            return s, provider, last
    raise AssertionError("the demo board has no string to break")


def test_the_rte_drags_a_provider_later_and_its_string_turns_late(page_as, live):
    pi = current_pi(live)
    page = page_as("alice")
    page.goto(f"{live.url}/pis/{pi.id}/board")
    page.wait_for_selector("path.string")
    string, provider, last = a_string_to_break(board_data(page))
    path = page.locator(f'path.string[data-id="{string["id"]}"]')
    assert "late" not in path.get_attribute("class")
    page.evaluate("window.notReloaded = true")

    card = page.locator(f'.bcard[data-id="{provider["id"]}"]')
    target = page.locator(f'.cards[data-team="{provider["team_id"]}"]'
                          f'[data-iteration="{last["id"]}"]')
    drag(page, card, target)

    dialog = page.locator("dialog#preview")
    dialog.wait_for(state="visible")
    changed = dialog.locator(f'li[data-string="{string["id"]}"]')
    assert "late" in changed.inner_text()
    assert provider["key"] in page.locator("#preview-title").inner_text()
    page.click("#preview-save")
    page.wait_for_function(
        "id => document.querySelector(`path.string[data-id=\"${id}\"]`)"
        ".classList.contains('late')", arg=string["id"])
    assert page.evaluate("window.notReloaded") is True
    page.locator(f'#decisions .strings-list li[data-string="{string["id"]}"]').wait_for()
    assert card.get_attribute("class").count("decision") == 1
    assert target.locator(f'.bcard[data-id="{provider["id"]}"]').count() == 1
    screenshot(page, "program-board-after-drag")
    moved = overview.item_detail(live.tm.uow(), SYSTEM, provider["id"]).iteration
    assert moved.id == last["id"]


def test_cancelling_a_previewed_move_puts_the_card_back(page_as, live):
    pi = current_pi(live)
    page = page_as("pat")
    page.goto(f"{live.url}/pis/{pi.id}/board")
    page.wait_for_selector("path.string")
    _, provider, last = a_string_to_break(board_data(page))
    card = page.locator(f'.bcard[data-id="{provider["id"]}"]')
    home = card.locator("xpath=..").get_attribute("data-iteration")
    drag(page, card, page.locator(f'.cards[data-team="{provider["team_id"]}"]'
                                  f'[data-iteration="{last["id"]}"]'))
    page.locator("dialog#preview").wait_for(state="visible")
    page.click("#preview-cancel")
    assert card.locator("xpath=..").get_attribute("data-iteration") == home
    assert overview.item_detail(live.tm.uow(), SYSTEM,
                                provider["id"]).item.iteration_id == int(home)


def test_a_viewer_sees_the_board_but_cannot_move_a_card(page_as, live):
    pi = current_pi(live)
    page = page_as("vic")
    page.goto(f"{live.url}/pis/{pi.id}/board")
    page.wait_for_selector("path.string")
    assert page.locator("#board").get_attribute("data-can-edit") == "false"
    data = board_data(page)
    card_data = next(c for c in data["cards"] if c["iteration_id"])
    card = page.locator(f'.bcard[data-id="{card_data["id"]}"]')
    other = next(i for i in data["iterations"]
                 if i["id"] != card_data["iteration_id"] and not i["is_ip"])
    drag(page, card, page.locator(f'.cards[data-team="{card_data["team_id"]}"]'
                                  f'[data-iteration="{other["id"]}"]'))
    assert page.locator("dialog#preview").is_visible() is False
    assert card.locator("xpath=..").get_attribute("data-iteration") == str(
        card_data["iteration_id"])
    assert page.locator("form.answer").count() == 0 and page.locator("form.request").count() == 0
    stored = overview.item_detail(live.tm.uow(), SYSTEM, card_data["id"]).item
    assert stored.iteration_id == card_data["iteration_id"]


def test_highlighting_decisions_fades_the_rest(page_as, live):
    pi = current_pi(live)
    page = page_as("alice")
    page.goto(f"{live.url}/pis/{pi.id}/board")
    page.wait_for_selector("path.string")
    page.check("#focus-toggle")
    calm = page.locator(".bcard:not(.decision)").first
    deciding = page.locator(".bcard.decision").first
    opacity = "el => getComputedStyle(el).opacity"
    assert float(calm.evaluate(opacity)) < 0.5 and float(deciding.evaluate(opacity)) == 1.0
    screenshot(page, "program-board-decisions")


def test_a_team_drags_a_story_and_its_iterations_loads_follow(page_as, live):
    pi = current_pi(live)
    with live.tm.uow() as uow:
        team = uow.teams.first(name="Osprey")
    page = page_as("tess")
    page.goto(f"{live.url}/pis/{pi.id}/teams/{team.id}/plan")
    lists = page.locator('ul.stories[data-editable="true"]')
    source = next(n for n in range(lists.count()) if lists.nth(n).locator("li").count())
    target = next(n for n in range(lists.count() - 1) if n != source)
    cells = page.locator("tr.capacity td")

    def load(n):
        return float(cells.nth(n).locator("b").inner_text())
    before = (load(source), load(target))
    story = lists.nth(source).locator("li").first
    points = float(story.locator(".muted").inner_text().split()[0].replace("–", "0"))
    start, end = story.bounding_box(), lists.nth(target).bounding_box()
    with page.expect_navigation():
        page.mouse.move(start["x"] + start["width"] - 10, start["y"] + 8)
        page.mouse.down()
        page.mouse.move(start["x"] + start["width"] - 5, start["y"] + 20, steps=5)
        page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] - 5, steps=25)
        page.mouse.up()
    assert load(source) == pytest.approx(before[0] - points)
    assert load(target) == pytest.approx(before[1] + points)
