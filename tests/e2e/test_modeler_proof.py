"""The editor proves a draft while the process owner watches: a progress bar while the scenarios run, then each
finding next to its element with the Code provision and the scenario, and no deploy button while one blocks it."""

from tests.e2e.conftest import sign_in
from tests.web.test_draft_proof import RESPONSE_SCRIPT
from tests.web.test_process_versions import live_xml, upload

WATCH_PROGRESS = """() => {
  window.progressSeen = 0;
  new MutationObserver(() => { if (document.querySelector('#proof-progress')) window.progressSeen += 1; })
    .observe(document.querySelector('#status'), { childList: true, subtree: true });
}"""


def test_the_editor_shows_the_scenarios_running_and_what_they_found(api, live_server, browser, tmp_path):
    priya = api("priya")
    _, xml = live_xml(priya)
    draft = upload(priya, xml.replace(RESPONSE_SCRIPT, "add_working_days(stage1_response_from, 25)", 1), 201)
    page = sign_in(browser, live_server, "priya")
    page.goto(f"{live_server}/processes/complaint/modeler?version={draft['version']}")
    page.wait_for_selector("#modeler-app[data-ready=yes]")
    page.evaluate(WATCH_PROGRESS)
    page.click("#save")
    page.wait_for_selector("#saved #proof-summary", timeout=60_000)
    assert page.evaluate("window.progressSeen") > 0
    finding = page.locator('#saved #problem-list li[data-element-id="set_stage1_response_due"]').first
    assert "Code 6.3" in finding.inner_text() and "Scenario: " in finding.inner_text()
    assert page.locator('.djs-element.has-error[data-element-id="set_stage1_response_due"]').count() == 1
    assert page.locator("#deploy").count() == 0
    page.screenshot(path=str(tmp_path / "proof.png"), full_page=True)


def test_undo_redo_and_zoom_in_the_editor(api, live_server, browser):
    page = sign_in(browser, live_server, "priya")
    page.goto(f"{live_server}/processes/complaint/modeler")
    page.wait_for_selector("#modeler-app[data-ready=yes]")
    assert page.is_disabled("#undo") and page.is_disabled("#redo")
    rename = """() => { const m = window.modeler, e = m.get('elementRegistry').get('triage');
                        m.get('modeling').updateProperties(e, { name: 'Decide' }); }"""
    name = "() => window.modeler.get('elementRegistry').get('triage').businessObject.name"
    page.evaluate(rename)
    assert page.evaluate(name) == "Decide" and page.is_enabled("#undo")
    page.click("#undo")
    assert page.evaluate(name) == "Triage: accept or refuse" and page.is_enabled("#redo")
    page.click("#redo")
    assert page.evaluate(name) == "Decide"
    zoom = "() => window.modeler.get('canvas').zoom()"
    before = page.evaluate(zoom)
    page.click("#zoom-in")
    assert page.evaluate(zoom) > before
    page.click("#zoom-fit")
    assert page.evaluate(zoom) < before  # the whole procedure is wider than the canvas
