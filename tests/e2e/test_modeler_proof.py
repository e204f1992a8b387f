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
    assert abs(page.evaluate(zoom) - before) < 0.01  # it opened fitted: fit brings the whole procedure back


def test_the_live_diagram_shows_who_waits_where(api, clock, live_server, browser, tmp_path):
    from tests.conftest import london

    clock(london(2027, 3, 1))
    olivia = api("olivia")
    for n in range(2):
        olivia.post("/complaints", {"complainant": {"name": f"R{n}"}, "channel": "phone", "received_at": "2027-03-01",
                                    "description": "Leak"})
    page = sign_in(browser, live_server, "priya")
    page.goto(f"{live_server}/processes/complaint/modeler")
    # Triage sits in the collapsed "Triage and acknowledge": its two waiting complaints show there, and inside it.
    outer = page.locator('.djs-overlays[data-container-id="stage1_acknowledgement"] .heat')
    outer.wait_for()
    assert outer.inner_text() == "2 waiting"
    page.screenshot(path=str(tmp_path / "heat.png"))
    page.evaluate("() => window.modeler.get('canvas').setRootElement("
                  "window.modeler.get('elementRegistry').get('stage1_acknowledgement_plane'))")
    badge = page.locator('.djs-overlays[data-container-id="triage"] .heat')
    badge.wait_for()
    assert badge.inner_text() == "2 waiting"
    badge.click()
    page.wait_for_selector("#waiting")
    assert page.locator("#waiting tbody tr").count() == 2
