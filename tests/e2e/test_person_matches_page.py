"""Logging a complaint in the browser for someone already on record: typing their name lists them with their
restriction and adjustments, the keyboard picks them, and the complaint lands on their record."""

from __future__ import annotations

from tests.conftest import london
from tests.e2e.conftest import sign_in
from tests.e2e.test_header import SCREENSHOTS
from tests.web.test_person_matches import on_record


def test_typing_a_name_finds_the_person_and_the_complaint_joins_their_record(live_server, browser, api, clock):
    clock(london(2026, 12, 1, 10))  # a fixed day and fixed people: the screenshot changes only when the page does
    olivia, maya = api("olivia"), api("maya")
    ada = on_record(olivia, maya, "Ada Lovell", "ada@example.org", "0115 000 0000", "4 Elm Row, NG1 1AA",
                    restricted=True, adjustments=["large_print"])["complainant"]["id"]
    on_record(olivia, maya, "Ada Lowell", "a.lowell@example.org", address="12 Mill Lane, NG7 2RD")
    on_record(olivia, maya, "Bea Marsh", "bea@example.org")

    page = sign_in(browser, live_server, "olivia")
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server}/complaints/new")
    assert page.locator("#person-matches").is_hidden()  # nothing to say until something is typed
    page.locator("#complainant_name").press_sequentially("Ada Lovell", delay=20)
    items = page.locator("#person-match-list li")
    items.nth(1).wait_for()
    assert items.count() == 2  # Bea Marsh is nobody's match
    first = items.nth(0).inner_text()
    assert first.startswith("Ada Lovell — ada@example.org · 0115 000 0000 · NG1 1AA")
    assert "1 open complaint" in first and "Contact restricted: Contact in writing only" in first
    assert "Adjustments: Large print letters" in first and "Why: same name" in first
    assert items.nth(1).inner_text().startswith("Ada Lowell")
    assert page.locator("#person-match-list").get_attribute("aria-live") == "polite"

    choose = page.get_by_role("button", name="This is the same person: Ada Lovell, ada@example.org")
    choose.focus()
    page.keyboard.press("Enter")  # picked with the keyboard
    assert choose.get_attribute("aria-pressed") == "true"
    assert page.locator("#complainant_id").input_value() == str(ada)
    assert "added to the record of Ada Lovell" in page.locator("#person-chosen").inner_text()
    assert page.get_by_role("button", name="Not the same person: carry on with a new person").is_visible()

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    panel = page.locator("#person-matches").bounding_box()
    assert panel is not None
    page.screenshot(path=str(SCREENSHOTS / "log-complaint-person-matches-1280.png"), full_page=True,
                    clip={"x": 0, "y": 0, "width": 1280, "height": panel["y"] + panel["height"] + 24})

    page.fill("#description", "The leak is back")
    page.click("button:has-text('Log the complaint')")
    page.wait_for_url(f"{live_server}/complaints/CF-*")
    assert "Contact in writing only" in page.inner_text("main")  # her restriction shows on the new complaint
    reference = page.url.rsplit("/", 1)[1]
    assert olivia.get(f"/complaints/{reference}").get_json()["complainant"]["id"] == ada
    assert not problems, problems  # no script refused by the content security policy, no script error
    page.close()
