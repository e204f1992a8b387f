"""The staff header fits on one line at 1280 px for every role, with the reports and the procedure's pages in
menus that open by mouse or keyboard; every page has the tab icon."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import london
from tests.e2e.conftest import sign_in

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.mark.parametrize("name", ["olivia", "maya", "priya", "adam"])
def test_the_header_fits_on_one_line_at_1280_px(live_server, browser, name):
    page = sign_in(browser, live_server, name)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server}/")
    header = page.locator("header").bounding_box()
    assert header is not None and header["height"] < 60, header  # one line of links, not two or three
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    icon = page.request.get(page.eval_on_selector("link[rel=icon]", "link => link.href"))
    assert icon.status == 200 and icon.headers["content-type"].startswith("image/svg+xml")  # the tab's icon
    tops = page.evaluate("[...document.querySelectorAll('header > a, header > details > summary, header .who span')]"
                         ".map(e => Math.round(e.getBoundingClientRect().top))")
    assert len(set(tops)) == 1, tops
    page.click("summary:has-text('Reports')")
    page.click("header a:has-text('Dashboard')")
    page.wait_for_url(f"{live_server}/reports/dashboard")
    if name == "olivia":
        page.keyboard.press("Tab")  # the keyboard opens a menu too
        page.focus("summary:has-text('Reports')")
        page.keyboard.press("Enter")
        assert page.locator("header a:has-text('Register')").is_visible()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "header-1280.png"), clip={"x": 0, "y": 0, "width": 1280, "height": 320})
    page.close()


def test_the_inbox_at_1280_px(live_server, browser, api, clock):
    clock(london(2026, 11, 25, 10))  # a fixed day, so that the screenshot only changes when the page does
    olivia = api("olivia")
    for minute, (name, extra) in enumerate((("Pat Plain", {}), ("Vera Vulnerable", {"adjustments": ["large_print"],
                                                                                  "vulnerabilities": "Sight loss"}))):
        clock(london(2026, 11, 25, 10, minute))  # logged a minute apart: the inbox's order is theirs
        created = olivia.post("/complaints", {"complainant": {"name": name}, "channel": "phone",
                                              "received_at": "2026-11-20", "description": "Damp", **extra})
        assert created.status_code == 201, created.get_json()
    page = sign_in(browser, live_server, "olivia")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server}/")
    assert page.locator("table.inbox tbody tr").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.fill("#q", "vera")
    page.click("button:has-text('Find')")
    assert page.locator("table.inbox tbody tr").count() == 1
    page.goto(f"{live_server}/")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "inbox-1280.png"), full_page=True)
    page.close()
