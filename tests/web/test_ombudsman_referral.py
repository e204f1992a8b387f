"""A complaint referred to the Housing Ombudsman: information requests as deadlines answered with the case file,
the determination's orders followed through, compliance recorded."""

import pytest

from service.use_cases import fire_due_timers
from tests.conftest import csrf_token, london
from tests.web.test_browser_forms import Browser


def refer(app, name, ref, on):
    browser = Browser(app, name)
    page = browser.page(f"/complaints/{ref}")
    browser.client.post(f"/complaints/{ref}/ombudsman", data={"referred_to_ombudsman_on": on,
                                                              "ombudsman_reference": "HOS-1",
                                                              "csrf_token": csrf_token(page)})
    return browser


def test_information_requests_determination_orders_and_compliance(api, app, ctx, clock):
    olivia, maya = api("olivia"), api("maya")
    clock(london(2026, 12, 1))
    ref = olivia.post("/complaints", {"complainant": {"name": "Kim"}, "channel": "email", "received_at": "2026-12-01",
                                      "description": "Mould"}).get_json()["reference"]
    browser = refer(app, "olivia", ref, "2026-12-01")  # the Code lets residents go to the Ombudsman at any point
    case_file = browser.page(f"/complaints/{ref}/case-file")
    assert "Case file: " + ref in case_file and "Referred to the Housing Ombudsman" in case_file
    # Opening the printable case file is on the audit trail, as exporting the zip is.
    history = olivia.get(f"/complaints/{ref}").get_json()["history"]
    assert any(entry["after"] == {"export": "printable_case_file"} and entry["actor"] == "olivia" for entry in history)
    olivia.complete(ref, "ombudsman_update", {"ombudsman_event": "information_request",
                                              "information_requested": "Repair logs", "information_due_on": "2026-12-15"})
    deadlines = olivia.get(f"/complaints/{ref}").get_json()["deadlines"]
    assert deadlines["ombudsman_information"] == {"due": "2026-12-15", "met_on": None, "breached": False}
    refused = olivia.complete(ref, "answer_information_request", {"information_sent_on": "2026-12-10",
                                                                  "information_sent": "Logs"}, 422)
    assert "evidence pack" in refused["errors"]["evidence_pack_sent"]
    clock(london(2026, 12, 10))
    olivia.complete(ref, "answer_information_request", {"information_sent_on": "2026-12-10",
                                                        "evidence_pack_sent": True, "information_sent": "Logs, letters"})
    assert olivia.get(f"/complaints/{ref}").get_json()["deadlines"]["ombudsman_information"]["met_on"] == "2026-12-10"

    # A second request is a new deadline; this one is missed.
    olivia.complete(ref, "ombudsman_update", {"ombudsman_event": "information_request",
                                              "information_requested": "Photos", "information_due_on": "2026-12-17"})
    assert olivia.get(f"/complaints/{ref}").get_json()["deadlines"]["ombudsman_information"] == {
        "due": "2026-12-17", "met_on": None, "breached": False}
    clock(london(2026, 12, 18, 9))
    fire_due_timers.run(ctx)
    assert olivia.get(f"/complaints/{ref}").get_json()["deadlines"]["ombudsman_information"]["breached"] is True
    maya.complete(ref, "ombudsman_information_breach_review", {"breach_action": "Apologised to the Ombudsman"})
    olivia.complete(ref, "answer_information_request", {"information_sent_on": "2026-12-18",
                                                        "evidence_pack_sent": True, "information_sent": "Photos"})

    olivia.complete(ref, "ombudsman_update", {
        "ombudsman_event": "determination", "determination": "Maladministration; £300 and a survey",
        "ombudsman_orders": [{"action": "Pay £300", "owner": "Finance", "due": "2027-01-08"},
                             {"action": "Damp survey", "owner": "Repairs", "due": "2027-01-22"}]})
    assert olivia.get(f"/complaints/{ref}").get_json()["deadlines"]["ombudsman_order"]["due"] == "2027-01-08"
    olivia.complete(ref, "comply_with_orders", {"ombudsman_orders": [
        {"action": "Pay £300", "owner": "Finance", "due": "2027-01-08", "delivered": True},
        {"action": "Damp survey", "owner": "Repairs", "due": "2027-01-22"}]})
    assert olivia.get(f"/complaints/{ref}").get_json()["deadlines"]["ombudsman_order"]["due"] == "2027-01-22"
    clock(london(2027, 1, 23, 9))
    fire_due_timers.run(ctx)  # the survey is late: the handler and the managers are told
    view = olivia.get(f"/complaints/{ref}").get_json()
    assert view["deadlines"]["ombudsman_order"]["breached"] is True
    assert "Housing Ombudsman order was missed" in Browser(app, "olivia").page("/")
    olivia.complete(ref, "comply_with_orders", {"ombudsman_orders": [
        {"action": "Pay £300", "owner": "Finance", "due": "2027-01-08", "delivered": True},
        {"action": "Damp survey", "owner": "Repairs", "due": "2027-01-22", "delivered": True}]})
    olivia.complete(ref, "record_compliance", {"compliance_reported_on": "2027-01-23",
                                               "compliance_evidence": "Remittance and survey report"})
    tasks = [t for t in olivia.get("/tasks").get_json() if t["name"] in ("ombudsman_update", "comply_with_orders")]
    assert tasks == []
    history = olivia.get(f"/complaints/{ref}").get_json()["history"]
    assert "referred_to_ombudsman" in [h["kind"] for h in history]
    missed = [h["detail"]["deadline"] for h in history if h["kind"] == "breach"]
    # The complaint's own acknowledgement (never done here) and the two Ombudsman deadlines, once each.
    assert sorted(missed) == ["ombudsman_information", "ombudsman_order", "stage1_acknowledge"]


@pytest.mark.parametrize("profile", ["seed-001"])
def test_profiles_without_any_time_access_refer_once_the_procedure_is_exhausted(api, app, clock):
    olivia = api("olivia")
    clock(london(2026, 12, 1))
    ref = olivia.post("/complaints", {"complainant": {"name": "Kim"}, "channel": "email", "received_at": "2026-12-01",
                                      "description": "Mould"}).get_json()["reference"]
    browser = refer(app, "olivia", ref, "2026-12-01")
    assert "Not referred" in browser.page(f"/complaints/{ref}")
    assert [t["name"] for t in olivia.get("/tasks").get_json()] == ["quick_fix"]
