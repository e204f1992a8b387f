"""Remedies as BPMN: offered at any stage, approved where the profile says so, accepted or declined, paid."""

import pytest

from tests.conftest import csrf_token, london
from tests.web.test_browser_forms import Browser


def offer(app, name, ref, data):
    browser = Browser(app, name)
    page = browser.page(f"/complaints/{ref}")
    response = browser.client.post(f"/complaints/{ref}/remedies", data={**data, "csrf_token": csrf_token(page)})
    assert response.status_code == 302
    return browser


def logged(api):
    return api.post("/complaints", {"complainant": {"name": "Lee"}, "channel": "phone", "received_at": "2026-12-01",
                                    "description": "Missed appointments"}).get_json()["reference"]


@pytest.mark.parametrize("profile", ["seed-001"])
def test_seed_001_financial_remedy_needs_the_head_of_service_then_is_paid(api, app, clock):
    olivia, hana = api("olivia"), api("hana")
    clock(london(2026, 12, 7))
    ref = logged(olivia)
    bad = offer(app, "olivia", ref, {"remedy_kinds": "financial", "remedy_description": "Compensation"})
    assert "Give the amount" in bad.page(f"/complaints/{ref}")
    offer(app, "olivia", ref, {"remedy_kinds": ["apology", "financial"], "remedy_description": "Apology and £75",
                               "time_and_trouble": "25", "distress_and_inconvenience": "50"})
    remedy = olivia.get(f"/complaints/{ref}").get_json()["remedies"][0]
    assert remedy["status"] == "proposed" and remedy["amount"] == "75.00"
    assert remedy["breakdown"] == {"time_and_trouble": "25.00", "distress_and_inconvenience": "50.00",
                                   "quantifiable_loss": "0.00"}
    task = hana.task(ref, "approve_remedy")
    assert task["roles"] == ["head_of_service"]
    hana.complete(ref, "approve_remedy", {"remedy_approval": "approve", "remedy_approval_reasons": "In line with levels"})
    assert olivia.get(f"/complaints/{ref}").get_json()["remedies"][0]["status"] == "offered"
    olivia.complete(ref, "record_remedy_response", {"remedy_response": "accepted", "remedy_response_on": "2026-12-07"})
    olivia.complete(ref, "record_remedy_payment", {"remedy_paid_on": "2026-12-07", "remedy_paid_amount": "75",
                                                   "remedy_payment_method": "Bank transfer"})
    view = olivia.get(f"/complaints/{ref}").get_json()
    assert view["status"] == "open"  # the remedy's statuses are its own, not the complaint's
    assert view["remedies"][0]["status"] == "paid" and view["remedies"][0]["paid_on"] == "2026-12-07"
    assert [h["detail"]["status"] for h in view["history"] if h["kind"] == "remedy_status"] == [
        "offered", "accepted", "paid"]


def test_code_2024_apology_goes_straight_to_the_resident_and_can_be_declined(api, app, clock):
    olivia = api("olivia")
    clock(london(2026, 12, 7))
    ref = logged(olivia)
    offer(app, "olivia", ref, {"remedy_kinds": "apology", "remedy_description": "Written apology"})
    assert olivia.get(f"/complaints/{ref}").get_json()["remedies"][0]["status"] == "offered"
    olivia.complete(ref, "record_remedy_response", {"remedy_response": "declined", "remedy_response_on": "2026-12-07"})
    assert olivia.get(f"/complaints/{ref}").get_json()["remedies"][0]["status"] == "declined"


@pytest.mark.parametrize("profile", ["seed-001"])
def test_a_remedy_named_in_a_stage1_response_is_a_remedy_approved_and_reported(api, app, clock):
    # Was: "£150 for time and trouble" typed in the response was lost; the dashboard reported £0.00.
    from tests.conftest import ANALYSIS

    olivia, hana = api("olivia"), api("hana")
    clock(london(2026, 12, 7))
    ref = logged(olivia)
    olivia.complete(ref, "triage", {"triage_decision": "accept"})
    olivia.complete(ref, "stage1_acknowledge", {"stage1_acknowledged_on": "2026-12-07", "complaint_definition": "x",
                                                "outcome_sought": "y", "acknowledged_by": ["phone", "letter"]})
    olivia.complete(ref, "stage1_investigate", {"investigation_notes": "x", "stage1_next_step": "respond"})
    response = {"stage1_responded_on": "2026-12-07", **ANALYSIS, "stage1_decision": "upheld",
                "stage1_reasons": "Missed twice", "stage1_remedy": "£150 for your time and trouble, and our apology"}
    money_unnamed = olivia.complete(ref, "stage1_respond", {**response, "stage1_time_and_trouble": "150"}, 422)
    assert "what kind of remedy" in money_unnamed["errors"]["stage1_remedy_kinds"]
    no_amount = olivia.complete(ref, "stage1_respond", {**response, "stage1_remedy_kinds": ["financial"]}, 422)
    assert "Give the amount" in no_amount["errors"]["stage1_remedy_kinds"]
    olivia.complete(ref, "stage1_respond", {**response, "stage1_remedy_kinds": ["apology", "financial"],
                                            "stage1_time_and_trouble": "150"})

    [remedy] = olivia.get(f"/complaints/{ref}").get_json()["remedies"]
    assert remedy["status"] == "proposed" and remedy["amount"] == "150.00"
    assert remedy["description"] == "£150 for your time and trouble, and our apology"
    # Seed 001: every remedy is approved by the Head of Service; then offered, accepted and reported.
    hana.complete(ref, "approve_remedy", {"remedy_approval": "approve", "remedy_approval_reasons": "In line"})
    olivia.complete(ref, "record_remedy_response", {"remedy_response": "accepted", "remedy_response_on": "2026-12-07"})
    figures = olivia.get("/reports/dashboard?year=2026").get_json()["remedies"]
    assert figures["amount_offered"] == "150.00" and figures["count"] == 1
    # Later completions carry the response's answers in the instance's data: they make no second remedy.
    assert len(olivia.get(f"/complaints/{ref}").get_json()["remedies"]) == 1


@pytest.mark.parametrize("profile", ["seed-001"])
def test_seed_001_a_remedy_without_money_also_needs_the_head_of_service(api, app, clock):
    # "Payments for compensation and other non-financial remedies are the responsibility of the relevant Head of
    # Service": an apology alone waits for Hana's approval before it is offered.
    olivia, hana = api("olivia"), api("hana")
    clock(london(2026, 12, 7))
    ref = logged(olivia)
    offer(app, "olivia", ref, {"remedy_kinds": ["apology"], "remedy_description": "A written apology"})
    [remedy] = olivia.get(f"/complaints/{ref}").get_json()["remedies"]
    assert remedy["status"] == "proposed"
    hana.complete(ref, "approve_remedy", {"remedy_approval": "approve", "remedy_approval_reasons": "Right to apologise"})
    [remedy] = olivia.get(f"/complaints/{ref}").get_json()["remedies"]
    assert remedy["status"] == "offered"


def test_the_codes_procedure_offers_an_apology_without_approval(api, app, clock):
    olivia = api("olivia")
    clock(london(2026, 12, 7))
    ref = logged(olivia)
    offer(app, "olivia", ref, {"remedy_kinds": ["apology"], "remedy_description": "A written apology"})
    [remedy] = olivia.get(f"/complaints/{ref}").get_json()["remedies"]
    assert remedy["status"] == "offered"
    assert not [t for t in api("maya").get("/tasks").get_json() if t["name"] == "approve_remedy"]
