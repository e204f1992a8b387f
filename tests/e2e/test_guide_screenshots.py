"""The screenshots of the guides under docs/guides/, taken from the app itself on a fixed day, so the guides show
what the app really looks like and never go stale: each guide's screens, for the officer, the manager, the process
owner, the admin and the resident. Each screen is also checked for what the guide says it shows."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from tests.conftest import london, respond_stage1
from tests.e2e.conftest import sign_in

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=str(SCREENSHOTS / f"guide-{name}.png"))


def test_the_guides_screens(live_server, browser, api, clock):
    clock(london(2027, 3, 1, 10))
    resident = browser.new_page(viewport={"width": 1280, "height": 800})
    resident.set_default_timeout(15000)
    resident.goto(f"{live_server}/complain")
    shot(resident, "resident-complain")
    resident.fill("#name", "Rita Resident")
    resident.fill("#email", "rita@example.org")
    resident.fill("#description", "Damp in the back bedroom since October")
    resident.fill("#outcome_sought", "Fix the damp and repaint")
    resident.click("form button:has-text('Send my complaint')")
    reference = resident.locator("#reference").inner_text()
    shot(resident, "resident-thanks")
    link = urlparse(resident.locator("#portal-link").get_attribute("href")).path

    handler = api("adam").get(f"/complaints/{reference}").get_json()["open_tasks"][0]["assignee"]
    officer = sign_in(browser, live_server, handler)
    officer.goto(f"{live_server}/")
    assert reference in officer.locator("main").inner_text()
    shot(officer, "officer-inbox")
    officer.click("a:has-text('Triage')")
    shot(officer, "officer-task")
    respond_stage1(api(handler), reference, "2027-03-01", reasons="The damp is condensation; we will fit a fan")
    officer.goto(f"{live_server}/complaints/{reference}")
    shot(officer, "officer-complaint")

    resident.goto(live_server + link)
    assert resident.get_by_role("button", name="Ask for a review").is_visible()
    shot(resident, "resident-page")

    manager = sign_in(browser, live_server, "maya")
    manager.goto(f"{live_server}/team")
    shot(manager, "manager-team")
    manager.goto(f"{live_server}/reports/dashboard?year=2026")
    shot(manager, "manager-dashboard")

    owner = sign_in(browser, live_server, "priya")
    owner.goto(f"{live_server}/processes")
    shot(owner, "process-owner-processes")
    owner.goto(f"{live_server}/processes/complaint/modeler")
    owner.wait_for_selector("#modeler-app[data-ready=yes]")
    shot(owner, "process-owner-modeler")

    admin = sign_in(browser, live_server, "adam")
    admin.goto(f"{live_server}/letters")
    shot(admin, "admin-letters")
    admin.goto(f"{live_server}/audit")
    assert "Complaint logged" in admin.locator("main").inner_text()  # not pictured: sign-ins in the same second
