"""A process owner asks what a draft would have done to last month's complaints, watches the replay run and
reads it: the progress bar, the figures for both versions, one complaint's two timelines, the CSV."""

from service.use_cases import what_if
from tests.conftest import london
from tests.e2e.conftest import sign_in
from tests.web.test_process_versions import live_xml, upload
from tests.web.test_what_if import RESPONSE_DAYS, walk


def test_a_process_owner_replays_a_month_under_a_draft(app, ctx, api, clock, live_server, browser, tmp_path):
    late_under_draft = [walk(api, clock, day) for day in ("2027-03-12", "2027-03-15")][1]
    clock(london(2027, 4, 1))
    _, xml = live_xml(api("priya"))
    draft = upload(api("priya"), xml.replace(RESPONSE_DAYS, "8", 1), 201)
    page = sign_in(browser, live_server, "priya")
    page.goto(f"{live_server}/processes/complaint")
    row = page.locator(f"#version-{draft['version']}")
    row.locator("summary:has-text('What if it had been live?')").click()
    row.locator("input[name=period_from]").fill("2027-03-01")
    row.locator("input[name=period_to]").fill("2027-03-31")
    row.locator("button:has-text('Replay those complaints')").click()
    page.wait_for_selector("#replay-progress progress")
    assert "Replayed 0 of 2 complaints" in page.inner_text("#replay-progress")
    page.screenshot(path=str(tmp_path / "replay-running.png"))

    assert what_if.run_pending(ctx) == 2  # what the Celery workers do
    page.wait_for_selector("#replay-summary", timeout=10_000)  # the page reloads itself
    assert "2 complaints replayed" in page.inner_text("#replay-summary")
    assert page.inner_text("#missed tbody tr").split("\t") == ["stage1 response", "1", "0"]
    assert "50.0% (1 of 2)" in page.inner_text("#on-time") and "100.0% (2 of 2)" in page.inner_text("#on-time")
    page.screenshot(path=str(tmp_path / "replay-done.png"), full_page=True)
    page.click(f"#changed a:has-text('{late_under_draft}')")
    page.wait_for_selector("#timeline-draft")
    assert "2027-03-12" in page.inner_text("#timeline-draft") and "2027-03-16" in page.inner_text("#timeline-live")
    page.screenshot(path=str(tmp_path / "replay-complaint.png"), full_page=True)
