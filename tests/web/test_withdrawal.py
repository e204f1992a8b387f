"""A resident withdraws their complaint: it closes as withdrawn with when and how they asked, its open tasks and
timers stop, it shows in the register and the TSM counts it as received but not as responded to."""

from sqlalchemy import func, select

from service.persistence.models import Complaint, Timer, WorkflowInstance
from service.use_cases import fire_due_timers, reports
from tests.conftest import csrf_token, london
from tests.web.test_browser_forms import Browser


def test_a_withdrawn_complaint_stops_and_is_reported_as_withdrawn(api, ctx, clock):
    olivia = api("olivia")
    clock(london(2026, 12, 1))
    ref = olivia.post("/complaints", {"complainant": {"name": "Wendy Withdrawn"}, "channel": "phone",
                                      "received_at": "2026-12-01", "description": "Noisy boiler"}).get_json()["reference"]
    olivia.complete(ref, "triage", {"triage_decision": "accept"})
    olivia.complete(ref, "stage1_acknowledge", {"stage1_acknowledged_on": "2026-12-01", "complaint_definition": "Boiler",
                                                "outcome_sought": "Quiet"})
    clock(london(2026, 12, 3))
    future = olivia.post(f"/complaints/{ref}/withdraw", {"withdrawn_on": "2026-12-04", "withdrawal_asked_by": "phone"})
    assert future.status_code == 422
    assert future.get_json()["errors"]["withdrawn_on"].startswith("The resident asked to withdraw on cannot be in the future")
    withdrawn = olivia.post(f"/complaints/{ref}/withdraw", {"withdrawn_on": "2026-12-03", "withdrawal_asked_by": "phone",
                                                            "withdrawal_note": "Fixed by the engineer; no longer needed"})
    assert withdrawn.status_code == 200, withdrawn.get_json()
    view = withdrawn.get_json()
    assert view["status"] == "withdrawn" and view["open_tasks"] == []
    # The response deadline, never met, lapses with the complaint: no days left counted, never overdue.
    [response] = [d for d in view["deadline_details"] if d["key"] == "stage1_response"]
    assert response["lapsed"] is True and response["working_days_left"] is None and response["breached"] is False
    [acknowledged] = [d for d in view["deadline_details"] if d["key"] == "stage1_acknowledge"]
    assert acknowledged["lapsed"] is False and acknowledged["met_on"] == "2026-12-01"
    entry = view["history"][-1]
    assert entry["kind"] == "withdrawn"
    assert entry["summary"] == "Withdrawn at the resident's request, asked by phone on 3 December 2026"
    with ctx.uow() as uow:
        instance = uow.session.scalars(select(WorkflowInstance).join(Complaint).where(Complaint.reference == ref)).one()
        assert instance.finished
        assert uow.session.scalar(select(func.count()).select_from(Timer).where(Timer.instance_id == instance.id)) == 0
    # The response deadline's reminder and breach would have fired by now: nothing fires for it.
    clock(london(2027, 1, 20))
    assert fire_due_timers.run(ctx) == 0
    assert [t for t in olivia.get("/tasks").get_json() if t["complaint_reference"] == ref] == []
    # Once withdrawn, it cannot be withdrawn again.
    again = olivia.post(f"/complaints/{ref}/withdraw", {"withdrawn_on": "2026-12-03", "withdrawal_asked_by": "email"})
    assert again.status_code == 409 and "withdrawn, not open" in again.get_json()["message"]
    # Received in the year, never responded to: in CH01, not in CH02.
    reports.set_homes(ctx, 2026, 1000, 0)
    counts = olivia.get("/reports/tsm?year=2026").get_json()["counts"]
    assert counts["stage1_received"] == 1 and counts["stage1_responded"] == 0


def test_staff_withdraw_from_the_complaint_page_and_find_it_in_the_register(app, api, clock):
    olivia = api("olivia")
    clock(london(2026, 12, 1))
    ref = olivia.post("/complaints", {"complainant": {"name": "Wendy Withdrawn"}, "channel": "email",
                                      "received_at": "2026-12-01", "description": "Fence"}).get_json()["reference"]
    browser = Browser(app, "olivia")
    page = browser.page(f"/complaints/{ref}")
    assert "Withdraw the complaint" in page
    token = csrf_token(page)
    refused = browser.client.post(f"/complaints/{ref}/withdraw", data={"csrf_token": token, "withdrawn_on": "2026-12-01"},
                                  follow_redirects=True).get_data(as_text=True)
    assert "Not withdrawn:" in refused  # how the resident asked is missing
    assert olivia.get(f"/complaints/{ref}").get_json()["status"] == "open"
    done = browser.client.post(f"/complaints/{ref}/withdraw", data={
        "csrf_token": token, "withdrawn_on": "2026-12-01", "withdrawal_asked_by": "email"},
        follow_redirects=True).get_data(as_text=True)
    assert "The complaint is withdrawn." in done and "Withdraw the complaint (the resident" not in done
    assert "none: the complaint is withdrawn" in done  # the acknowledgement deadline, unmet, lapsed
    register = browser.page("/reports/register?status=withdrawn")
    assert ref in register and "Withdrawn" in register
    assert ref not in browser.page("/reports/register?status=open")
