"""Keyboard only, as someone who cannot use a mouse: the public complaint form filled and sent with Tab, typing
and Enter, and the resident's own page used the same way to ask for a review. Focus is always visible and in the
order the page reads."""

from __future__ import annotations

from urllib.parse import urlparse

from tests.conftest import london, respond_stage1


def focused(page) -> str:
    """The id (or text) of the element that has the keyboard's focus."""
    return page.evaluate("() => document.activeElement.id || document.activeElement.textContent.trim()")


def tab_to(page, target: str, limit: int = 60) -> None:
    """Press Tab until `target` (an id or a button's text) has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page) == target:
            # The focus can be seen: the browser's ring (or ours) is not switched off.
            assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none", target
            return
    raise AssertionError(f"Tab never reached {target}")


def test_the_public_form_and_the_residents_page_by_keyboard_alone(live_server, browser, api, clock):
    clock(london(2027, 3, 1, 10))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(15000)
    page.goto(f"{live_server}/complain")
    for field, words in (("name", "Kim Keys"), ("email", "kim@example.org"),
                         ("description", "The lift has been broken for a week"), ("outcome_sought", "Fix the lift")):
        tab_to(page, field)
        page.keyboard.type(words)
    tab_to(page, "Send my complaint")
    page.keyboard.press("Enter")
    page.wait_for_selector("#reference")
    reference = page.locator("#reference").inner_text()

    officer = api(api("adam").get(f"/complaints/{reference}").get_json()["open_tasks"][0]["assignee"])
    respond_stage1(officer, reference, "2027-03-01", "upheld", "Part on order")
    tab_to(page, "portal-link")  # the link is on the configured public address: opened here on the test server
    page.goto(live_server + urlparse(page.locator("#portal-link").get_attribute("href")).path)
    page.wait_for_selector("h1:has-text('Your complaint')")
    tab_to(page, "Ask for a review")
    page.keyboard.press("Enter")
    page.wait_for_selector(".flash")
    assert "we have your request for a review (Stage 2)" in page.locator(".flash").inner_text()
    assert api("maya").task(reference, "stage2_acknowledge")
