"""A process owner reads and changes the procedure on its laid-out diagram: it opens whole, in lanes that say
which roles work them, with a minimap; they drill into a sub-process, move a task to the manager's lane, change a
timer, see both changes listed by name, confirm the deploy, and read the live view of the new version."""

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import select

from service.persistence.models import ProcessVersion, Task
from tests.conftest import london
from tests.e2e.conftest import show, sign_in
from tests.e2e.test_modeler import build_site_visit_form

REGISTRY = "window.modeler.get('elementRegistry')"

# Pairs of labels that overlap each other or another element's shape, as Chromium drew them.
OVERLAPPING_LABELS = """() => {
  const box = (node) => node.getBoundingClientRect();
  const overlap = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const registry = window.modeler.get('elementRegistry');
  const labels = registry.filter((e) => e.type === 'label' && e.businessObject.name)
    .map((e) => [e.id, box(registry.getGraphics(e).querySelector('text'))]);
  const shapes = registry.filter((e) => e.type !== 'label' && !e.waypoints && e.parent && e.type !== 'bpmn:Lane'
                                        && e.type !== 'bpmn:Participant')
    .map((e) => [e.id, box(registry.getGraphics(e).querySelector('.djs-visual > *'))]);
  const found = [];
  labels.forEach(([id, a], i) => {
    labels.slice(i + 1).forEach(([other, b]) => { if (overlap(a, b)) found.push([id, other]); });
    shapes.forEach(([other, b]) => { if (other + '_label' !== id && overlap(a, b)) found.push([id, other]); });
  });
  return found;
}"""

FITTED = """() => {
  // Whole within the canvas, give or take bpmn-js rounding the scale to two decimals, and clear of the palette on
  // the left, of a sub-process's breadcrumbs along the top and of the minimap.
  const canvas = window.modeler.get('canvas'), box = canvas.viewbox(), inner = box.inner;
  const slack = 0.01 * inner.width + 1;
  const whole = inner.x >= box.x - slack && inner.y >= box.y - slack
    && inner.x + inner.width <= box.x + box.width + slack && inner.y + inner.height <= box.y + box.height + slack;
  const outer = canvas.getContainer().getBoundingClientRect(), rect = (s) => document.querySelector(s).getBoundingClientRect();
  const drawn = { left: outer.left + (inner.x - box.x) * box.scale, top: outer.top + (inner.y - box.y) * box.scale };
  drawn.right = drawn.left + inner.width * box.scale;
  drawn.bottom = drawn.top + inner.height * box.scale;
  const apart = (a, b) => a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
  const crumbs = rect('.bjs-breadcrumbs');
  const clear = drawn.left >= rect('.djs-palette').right && apart(drawn, rect('.djs-minimap'))
    && (crumbs.height === 0 || drawn.top >= crumbs.bottom);
  return whole && clear && box.scale > 0.1;
}"""


def centre(page, element_id):
    box = page.locator(f'.djs-element[data-element-id="{element_id}"] .djs-hit').first.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def pick(page, element_id, field):
    """Click an element until its properties show `field`: the canvas may still be settling after a move."""
    for _ in range(5):
        page.mouse.click(*centre(page, element_id))
        try:
            page.wait_for_selector(field, timeout=1000)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"clicking {element_id} never showed {field}")


def test_a_process_owner_reads_and_changes_the_laid_out_procedure(app, ctx, api, clock, live_server, browser,
                                                                  tmp_path):
    clock(london(2027, 3, 1))
    page = sign_in(browser, live_server, "priya")
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server}/processes/complaint/modeler")
    page.wait_for_selector("#modeler-app[data-ready=yes]")

    # Opened whole, in a pool with a lane per role that says who works it, with the minimap open.
    assert page.evaluate(FITTED)
    assert page.locator(".djs-minimap.open").count() == 1
    for lane in ("lane_officer", "lane_manager"):
        assert page.locator(f'.djs-element[data-element-id="{lane}"]').count() == 1
    roles = page.locator('.djs-overlays[data-container-id="lane_manager"] .lane-roles').inner_text()
    assert roles == "Worked by: Complaints manager"
    page.screenshot(path=str(tmp_path / "procedure.png"))
    assert page.evaluate(OVERLAPPING_LABELS) == []

    # Drill into "Triage and acknowledge": its own diagram, fitted, with the same lanes.
    page.click('.djs-overlays[data-container-id="stage1_acknowledgement"] .bjs-drilldown')
    page.wait_for_selector('.bjs-breadcrumbs li:has-text("Triage and acknowledge")')
    page.wait_for_function(FITTED)
    assert page.evaluate(OVERLAPPING_LABELS) == []

    # Move "Acknowledge (Stage 1)" down into the manager's lane: the manager now does it.
    x, y = centre(page, "stage1_acknowledge")
    lane = page.locator('.djs-element[data-element-id="stage1_acknowledgement_lane_manager"]').bounding_box()
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x, lane["y"] + lane["height"] / 2, steps=8)
    page.mouse.up()
    lane_of = f"() => {REGISTRY}.get('stage1_acknowledge').businessObject.lanes.map((lane) => lane.name)"
    assert page.evaluate(lane_of) == ["manager"]
    page.screenshot(path=str(tmp_path / "sub-process.png"))

    # Back up to the procedure, and change the Stage 1 response reminder to three working days before.
    page.click(".bjs-breadcrumbs li:first-child .bjs-crumb")
    page.wait_for_selector('.djs-element[data-element-id="stage1_response_reminder"]')
    page.wait_for_function(FITTED)
    show(page, "stage1_response_reminder")
    pick(page, "stage1_response_reminder", "#prop-timer")
    page.fill("#prop-timer", "reminder_time(stage1_response_due, 3)")
    page.press("#prop-timer", "Tab")

    page.fill("#comment", "Managers acknowledge; earlier reminder")
    page.click("#save")
    notes = page.locator("#saved #change-notes")
    notes.wait_for(timeout=60_000)
    listed = notes.inner_text()
    assert 'lane "manager": now works "Acknowledge (Stage 1)"' in listed
    assert 'timer "Stage 1 response due soon"' in listed and "reminder_time(stage1_response_due, 3)" in listed
    assert page.inner_text("#version-heading") == "version 2 · draft"
    # The version list has the new draft on top, without a reload.
    newest = page.locator("#version-list li").first
    assert newest.get_attribute("data-version") == "2" and "current" in newest.get_attribute("class")
    assert "Managers acknowledge; earlier reminder" in newest.inner_text()

    # Deploying asks first, then makes version 2 live.
    page.click("#deploy")
    page.wait_for_selector("#confirm-deploy")
    page.click("#confirm-deploy")
    page.wait_for_selector(".flash.ok")
    with ctx.uow() as uow:
        live = uow.session.scalar(select(ProcessVersion.version).where(
            ProcessVersion.process_id == "complaint", ProcessVersion.state == "live"))
    assert live == 2

    # A complaint logged now is triaged by an officer, then acknowledged in the manager's lane.
    olivia = api("olivia")
    response = olivia.post("/complaints", {"complainant": {"name": "Resident"}, "channel": "phone",
                                           "received_at": "2027-03-01", "description": "Leak"})
    assert response.status_code == 201, response.get_json()
    reference = response.get_json()["reference"]
    olivia.complete(reference, "triage", {"triage_decision": "accept"})
    with ctx.uow() as uow:
        acknowledge = uow.session.scalar(select(Task).where(Task.name == "stage1_acknowledge"))
    assert acknowledge.lane == "manager"

    # The live view of version 2 shows the complaint waiting in "Triage and acknowledge".
    page.goto(f"{live_server}/processes/complaint/modeler")
    badge = page.locator('.djs-overlays[data-container-id="stage1_acknowledgement"] .heat')
    badge.wait_for()
    assert badge.inner_text() == "1 waiting"
    page.screenshot(path=str(tmp_path / "live.png"))
    assert problems == []


def test_a_form_built_in_another_tab_joins_the_chooser_and_the_diagram_is_kept(live_server, browser):
    page = sign_in(browser, live_server, "priya")
    page.goto(f"{live_server}/processes/complaint/modeler")
    page.wait_for_selector("#modeler-app[data-ready=yes]")
    page.fill("#comment", "typed before building the form")
    show(page, "close_complaint")
    pick(page, "close_complaint", "#prop-form")
    assert "site_visit" not in page.inner_text("#prop-form")
    builder = sign_in(browser, live_server, "priya")  # another tab, signed in as the same owner
    build_site_visit_form(builder, live_server)
    builder.close()
    page.focus("#prop-form")
    page.wait_for_selector("#prop-form option[value=site_visit]", state="attached")
    page.select_option("#prop-form", "site_visit")
    form = f"() => {REGISTRY}.get('close_complaint').businessObject.extensionElements.values[0].properties" \
           ".find((p) => p.name === 'form').value"
    assert page.evaluate(form) == "site_visit"
    assert page.input_value("#comment") == "typed before building the form"
