"""A process owner adds a step with a new form in the browser, without touching the repository: builds the form,
inserts a user task in the officer's lane of the bpmn-js modeler, is shown on the canvas that it has no form yet,
chooses the new one and deploys. New
complaints then run the new version (the new step, with its form, comes first) while a complaint already running
finishes on its old version."""

from sqlalchemy import select

from service.persistence.models import Complaint, ProcessVersion, WorkflowInstance
from tests.conftest import ANALYSIS, london
from tests.e2e.conftest import show, sign_in


def log(api, received):
    response = api.post("/complaints", {"complainant": {"name": "Resident"}, "channel": "phone",
                                        "received_at": received, "description": "Leak"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["reference"]


def version_of(ctx, reference):
    with ctx.uow() as uow:
        return uow.session.scalar(select(ProcessVersion.version).join(
            WorkflowInstance, WorkflowInstance.process_version_id == ProcessVersion.id).join(
            Complaint, Complaint.id == WorkflowInstance.complaint_id).where(
            Complaint.reference == reference, WorkflowInstance.process_id == "complaint"))


def build_site_visit_form(page, base):
    page.goto(f"{base}/forms/new")
    page.fill("#name", "site_visit")
    page.fill("#title", "Site visit")
    page.fill("#field-0-name", "site_visit_on")
    page.fill("#field-0-label", "Date of the site visit")
    page.select_option("#field-0-kind", "date")
    page.check("input[name=field-0-required]")
    page.fill("#field-1-name", "site_visit_findings")
    page.fill("#field-1-label", "What we found")
    page.select_option("#field-1-kind", "textarea")
    page.check("input[name=field-1-required]")
    # The live preview renders the form as staff will see it.
    page.wait_for_selector("#form-preview label:has-text('What we found')")
    page.click("#save-form")
    page.wait_for_selector(".flash.ok:has-text('Form site_visit saved')")


def insert_user_task(page):
    """Drop a new task on the flow after the complaint is logged, and make it a user task."""
    show(page, "complaint_logged")
    flow = page.locator('.djs-connection[data-element-id="f_logged"]').bounding_box()
    page.click('.djs-palette [data-action="create.task"]')
    x, y = flow["x"] + flow["width"] / 2, flow["y"] + flow["height"] / 2
    page.mouse.move(x - 5, y + 40)
    page.mouse.move(x, y, steps=5)
    page.mouse.click(x, y)
    page.click('.djs-context-pad [data-action="replace"]')
    page.click('.djs-popup [data-id="replace-with-user-task"]')
    page.wait_for_selector("#prop-form")
    return page.inner_text("#prop-id")


def test_process_owner_adds_a_step_with_a_new_form_in_the_browser(app, ctx, api, clock, live_server, browser):
    clock(london(2027, 3, 1))
    olivia = api("olivia")
    older = log(olivia, "2027-03-01")  # running on the shipped version before the change
    page = sign_in(browser, live_server, "priya")
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))

    build_site_visit_form(page, live_server)

    page.goto(f"{live_server}/processes/complaint/modeler")
    page.wait_for_selector("#modeler-app[data-ready=yes]")
    task_id = insert_user_task(page)
    page.fill("#prop-name", "Site visit")
    page.press("#prop-name", "Tab")
    # Dropped inside the officer's lane, the officers work it.
    assert page.input_value("#prop-lane") == "officer"

    page.click("#save")
    problem = page.locator(f'#problem-list li[data-element-id="{task_id}"]')
    problem.wait_for()
    assert "does not exist" in problem.inner_text()
    assert page.locator(f'.djs-element.has-error[data-element-id="{task_id}"]').count() == 1
    with ctx.uow() as uow:  # nothing was stored: the live version is still the shipped one
        assert uow.session.scalars(select(ProcessVersion.version).where(ProcessVersion.process_id == "complaint")
                                   ).all() == [1]

    problem.locator("button").click()  # selects the element on the canvas
    page.wait_for_selector("#prop-form")
    page.select_option("#prop-form", "site_visit")
    page.fill("#comment", "Site visit before triage")
    page.click("#save")
    page.wait_for_selector("#saved:has-text('Saved as version 2')", timeout=60_000)  # the scenarios run first
    assert page.locator(f'.djs-element.has-error[data-element-id="{task_id}"]').count() == 0
    assert task_id in page.inner_text("#saved")  # the changes name the new element
    page.click("#deploy")
    page.wait_for_selector("#confirm-deploy")  # the confirmation: what changes, who is running where
    assert "Site visit" in page.inner_text("#confirm-changes")
    assert "running on version 1: they stay on it" in page.inner_text("#confirm-running")
    page.click("#confirm-deploy")
    page.wait_for_selector(".flash.ok:has-text('Version 2 of complaint is live')")
    assert "Site visit before triage" in page.inner_text("#version-2")
    assert problems == []

    # A new complaint starts on version 2: the site visit comes first, with the form built above.
    newer = log(olivia, "2027-03-01")
    assert (version_of(ctx, older), version_of(ctx, newer)) == (1, 2)
    assert [t["name"] for t in olivia.get("/tasks").get_json() if t["complaint_reference"] == newer] == [task_id]
    officer = sign_in(browser, live_server, "olivia")
    officer.goto(f"{live_server}/tasks/{olivia.task(newer, task_id)['id']}")
    officer.fill("input[name=site_visit_on]", "2027-03-01")
    officer.fill("textarea[name=site_visit_findings]", "Damp in the bedroom")
    officer.click("main form button:has-text('Complete')")
    officer.wait_for_selector(".flash.ok")
    assert [t["name"] for t in olivia.get("/tasks").get_json() if t["complaint_reference"] == newer] == ["triage"]
    detail = olivia.get(f"/complaints/{newer}").get_json()
    assert "Damp in the bedroom" in str(detail["history"])

    # The older complaint never sees the site visit and finishes on version 1.
    olivia.complete(older, "triage", {"triage_decision": "accept"})
    olivia.complete(older, "stage1_acknowledge", {"stage1_acknowledged_on": "2027-03-01",
                                                  "complaint_definition": "Leak", "outcome_sought": "Fix"})
    olivia.complete(older, "stage1_investigate", {"investigation_notes": "x", "stage1_next_step": "respond"})
    olivia.complete(older, "stage1_respond", {"stage1_responded_on": "2027-03-01", **ANALYSIS,
                                              "stage1_decision": "upheld", "stage1_reasons": "y"})
    olivia.complete(older, "escalation", {"escalate": "no"})
    olivia.complete(older, "close_complaint", {"ombudsman_route_explained": True})
    assert olivia.get(f"/complaints/{older}").get_json()["status"] == "closed"
    assert version_of(ctx, older) == 1
