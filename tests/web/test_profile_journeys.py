"""Each seed landlord's own procedure, with that procedure's own dates, across Christmas 2026."""

import subprocess

import pytest

from service.use_cases import fire_due_timers
from tests.conftest import ANALYSIS, london, pdf_text


def log(api, received, **extra):
    body = {"complainant": {"name": "Resident"}, "channel": "phone", "received_at": received, "description": "Leak"}
    body.update(extra)
    response = api.post("/complaints", body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["reference"]


def deadlines(api, ref):
    return {k: v["due"] for k, v in api.get(f"/complaints/{ref}").get_json()["deadlines"].items()}


def acknowledge(api, ref, on, stage="1"):
    prefix = "" if stage == "1" else "stage2_"
    data = {f"stage{stage}_acknowledged_on": on, f"{prefix}complaint_definition": "Leak", f"{prefix}outcome_sought": "Fix"}
    if stage == "2":
        data["meeting_offered"] = True
    else:
        data["acknowledged_by"] = ["phone", "letter"]
    api.complete(ref, f"stage{stage}_acknowledge", data)


@pytest.mark.parametrize("profile", ["seed-001"])
def test_seed_001_stage0_then_3_day_acknowledgement_and_head_of_service_escalation(api, clock, ctx):
    olivia, hana = api("olivia"), api("hana")
    clock(london(2026, 12, 18, 15))  # Friday 18 December 2026
    ref = log(olivia, "2026-12-18")
    assert [t["name"] for t in olivia.get("/tasks").get_json()] == ["quick_fix"]
    olivia.complete(ref, "quick_fix", {"quick_fix_outcome": "not_resolved"})
    assert deadlines(olivia, ref) == {"stage1_acknowledge": "2026-12-23"}  # 3 WD: Mon 21, Tue 22, Wed 23
    olivia.complete(ref, "triage", {"triage_decision": "accept"})
    clock(london(2026, 12, 21))
    acknowledge(olivia, ref, "2026-12-21")
    # 10 WD from receipt ("within two weeks of the receipt"), skipping 25 and 28 December and 1 January.
    assert deadlines(olivia, ref)["stage1_response"] == "2027-01-06"
    clock(london(2027, 1, 5))
    olivia.complete(ref, "stage1_investigate", {"investigation_notes": "x", "stage1_next_step": "respond"})
    olivia.complete(ref, "stage1_respond", {"stage1_responded_on": "2027-01-05", **ANALYSIS, "stage1_decision": "not_upheld",
                                            "stage1_reasons": "y"})
    clock(london(2027, 1, 11))
    missing = olivia.complete(ref, "escalation_in_window", {"escalate": "yes", "escalation_requested_on": "2027-01-11"},
                              422)
    assert set(missing["errors"]) == {"escalation_reasons", "escalation_outcome_sought"}
    olivia.complete(ref, "escalation_in_window", {"escalate": "yes", "escalation_requested_on": "2027-01-11",
                                                  "escalation_reasons": "Still leaking", "escalation_outcome_sought": "Fix"})
    declined = hana.complete(ref, "escalation_decision", {"escalation_decision": "decline"}, 422)
    assert "decline_explanation" in declined["errors"]
    hana.complete(ref, "escalation_decision", {"escalation_decision": "accept"})
    assert deadlines(hana, ref)["stage2_acknowledge"] == "2027-01-14"  # 3 WD from the request
    no_meeting = hana.complete(ref, "stage2_acknowledge", {"stage2_acknowledged_on": "2027-01-11",
                                                           "stage2_complaint_definition": "x",
                                                           "stage2_outcome_sought": "y"}, 422)
    assert "call or meeting" in no_meeting["errors"]["meeting_offered"]
    acknowledge(hana, ref, "2027-01-11", stage="2")
    assert deadlines(hana, ref)["stage2_response"] == "2027-01-25"  # 10 WD from acknowledgement
    hana.complete(ref, "stage2_review", {"review_notes": "z", "stage2_next_step": "respond"})
    hana.complete(ref, "stage2_respond", {"stage2_responded_on": "2027-01-11", **ANALYSIS, "stage2_decision": "upheld",
                                          "stage2_reasons": "r"})
    api("hattie").complete(ref, "refer_after_stage2", {"referral_route": "none"})  # no ICP: straight to closing
    olivia.complete(ref, "close_complaint", {"ombudsman_route_explained": True})
    assert olivia.get(f"/complaints/{ref}").get_json()["status"] == "closed"
    assert fire_due_timers.run(ctx) == 0


@pytest.mark.parametrize("profile", ["seed-001"])
def test_seed_001_quick_fix_closes_after_the_5_day_window(api, clock, ctx):
    olivia = api("olivia")
    clock(london(2026, 12, 18, 15))
    ref = log(olivia, "2026-12-18")
    refused = olivia.complete(ref, "quick_fix", {"quick_fix_outcome": "resolved", "quick_fix_agreed": "New slot"}, 422)
    assert "confirmation_sent" in refused["errors"]  # 001 promises a confirmation letter
    olivia.complete(ref, "quick_fix", {"quick_fix_outcome": "resolved", "quick_fix_resolved_on": "2026-12-18",
                                       "quick_fix_agreed": "New appointment", "confirmation_sent": True})
    assert [t["name"] for t in olivia.get("/tasks").get_json()] == ["quick_fix_follow_up"]
    clock(london(2026, 12, 29, 23, 30))  # 5 WD after 18 December is Tue 29 December
    assert fire_due_timers.run(ctx) == 0
    clock(london(2026, 12, 30, 0, 30))
    assert fire_due_timers.run(ctx) == 1
    view = olivia.get(f"/complaints/{ref}").get_json()
    assert view["status"] == "resolved_informally" and view["open_tasks"] == []


@pytest.mark.parametrize("profile", ["seed-001"])
def test_seed_001_head_of_service_may_decline_in_writing(api, clock):
    olivia, hugo = api("olivia"), api("hugo")
    clock(london(2026, 11, 23))
    ref = log(olivia, "2026-11-23")
    olivia.complete(ref, "quick_fix", {"quick_fix_outcome": "not_resolved"})
    olivia.complete(ref, "triage", {"triage_decision": "accept"})
    acknowledge(olivia, ref, "2026-11-23")
    olivia.complete(ref, "stage1_investigate", {"investigation_notes": "x", "stage1_next_step": "respond"})
    olivia.complete(ref, "stage1_respond", {"stage1_responded_on": "2026-11-23", **ANALYSIS, "stage1_decision": "upheld",
                                            "stage1_reasons": "y"})
    olivia.complete(ref, "escalation_in_window", {"escalate": "yes", "escalation_requested_on": "2026-11-23",
                                                  "escalation_reasons": "More money", "escalation_outcome_sought": "£500"})
    hugo.complete(ref, "escalation_decision", {"escalation_decision": "decline",
                                               "decline_explanation": "The outcome asked for is not one we can meet"})
    assert [t["name"] for t in olivia.get("/tasks").get_json()] == ["close_complaint"]
    assert "stage2_acknowledge" not in deadlines(olivia, ref)


def seed_003_responded_on_21_december(holly, clock):
    """A seed-003 complaint logged and acknowledged on 14 December 2026, its Stage 1 response given on the 21st."""
    clock(london(2026, 12, 14))
    ref = log(holly, "2026-12-14")
    holly.complete(ref, "quick_fix", {"quick_fix_outcome": "not_resolved"})
    holly.complete(ref, "triage", {"triage_decision": "accept"})
    acknowledge(holly, ref, "2026-12-14")
    # 10 WD from acknowledgement on Monday 14 December: Christmas Day and the Boxing Day substitute are skipped.
    assert deadlines(holly, ref) == {"stage1_acknowledge": "2026-12-21", "stage1_response": "2026-12-30"}
    clock(london(2026, 12, 21))
    holly.complete(ref, "stage1_investigate", {"investigation_notes": "x", "stage1_next_step": "respond"})
    holly.complete(ref, "stage1_respond", {"stage1_responded_on": "2026-12-21", **ANALYSIS, "stage1_decision": "upheld",
                                           "stage1_reasons": "y"})
    return ref


@pytest.mark.parametrize("profile", ["seed-003"])
def test_seed_003_escalation_window_is_28_calendar_days(api, clock, ctx):
    holly, oscar = api("holly"), api("oscar")
    ref = seed_003_responded_on_21_december(holly, clock)
    assert [t["name"] for t in holly.get("/tasks").get_json()] == ["escalation_in_window"]
    clock(london(2027, 1, 18, 23, 0))  # the 28th calendar day after the decision
    assert fire_due_timers.run(ctx) == 0
    clock(london(2027, 1, 19, 0, 30))
    assert fire_due_timers.run(ctx) == 1
    assert [t["name"] for t in holly.get("/tasks").get_json()] == ["close_complaint"]
    assert [t for t in oscar.get("/tasks").get_json() if t["complaint_reference"] == ref] == []


@pytest.mark.parametrize("profile", ["seed-003"])
def test_seed_003_a_request_dated_after_the_28_day_window_is_refused_with_the_reason(api, clock, ctx):
    holly, oscar = api("holly"), api("oscar")
    ref = seed_003_responded_on_21_december(holly, clock)
    clock(london(2027, 1, 19, 8, 0))  # the day after the window's last; the sweep has not closed the task yet
    refused = holly.complete(ref, "escalation_in_window", {"escalate": "yes", "escalation_requested_on": "2027-01-19"},
                             422)["errors"]["escalation_requested_on"]
    assert "after the time to ask for Stage 2 ended on 18 January 2027" in refused
    assert "28 calendar days from the Stage 1 response of 21 December 2026" in refused
    # A request made on the last day counts, even when recorded the day after.
    holly.complete(ref, "escalation_in_window", {"escalate": "yes", "escalation_requested_on": "2027-01-18"})
    assert oscar.task(ref, "stage2_acknowledge")["roles"] == ["operations_manager"]


@pytest.mark.parametrize("profile", ["seed-003"])
def test_seed_003_stage2_goes_to_the_operations_manager(api, clock):
    holly, oscar = api("holly"), api("oscar")
    clock(london(2026, 12, 21))
    ref = log(holly, "2026-12-21")
    holly.complete(ref, "quick_fix", {"quick_fix_outcome": "not_resolved"})
    holly.complete(ref, "triage", {"triage_decision": "accept"})
    acknowledge(holly, ref, "2026-12-21")
    holly.complete(ref, "stage1_investigate", {"investigation_notes": "x", "stage1_next_step": "respond"})
    holly.complete(ref, "stage1_respond", {"stage1_responded_on": "2026-12-21", **ANALYSIS, "stage1_decision": "upheld",
                                           "stage1_reasons": "y"})
    holly.complete(ref, "escalation_in_window", {"escalate": "yes", "escalation_requested_on": "2026-12-21"})
    task = oscar.task(ref, "stage2_acknowledge")
    assert task["lane"] == "manager" and task["roles"] == ["operations_manager"]
    assert deadlines(oscar, ref)["stage2_acknowledge"] == "2026-12-30"  # 5 WD: 22, 23, 24, 29, 30
    acknowledge(oscar, ref, "2026-12-21", stage="2")
    assert deadlines(oscar, ref)["stage2_response"] == "2027-01-21"  # 20 WD


@pytest.mark.parametrize("profile", ["seed-000"])
def test_seed_000_informal_then_appeal_with_reasons_to_a_senior_manager(api, clock):
    olivia, sam = api("olivia"), api("sam")
    clock(london(2026, 12, 22))
    ref = log(olivia, "2026-12-22")
    olivia.complete(ref, "quick_fix", {"quick_fix_outcome": "not_resolved"})
    olivia.complete(ref, "triage", {"triage_decision": "accept"})
    assert deadlines(olivia, ref) == {"stage1_acknowledge": "2026-12-31"}  # 5 WD: 23, 24, 29, 30, 31
    acknowledge(olivia, ref, "2026-12-22")
    olivia.complete(ref, "stage1_investigate", {"investigation_notes": "x", "stage1_next_step": "respond"})
    olivia.complete(ref, "stage1_respond", {"stage1_responded_on": "2026-12-22", **ANALYSIS, "stage1_decision": "upheld",
                                            "stage1_reasons": "y"})
    olivia.complete(ref, "escalation", {"escalate": "yes", "escalation_requested_on": "2026-12-22"}, 422)
    olivia.complete(ref, "escalation", {"escalate": "yes", "escalation_requested_on": "2026-12-22",
                                        "escalation_reasons": "Disagree", "escalation_outcome_sought": "Apology"})
    assert deadlines(sam, ref)["stage2_acknowledge"] == "2026-12-29"  # 3 WD: 23, 24, 29
    acknowledge(sam, ref, "2026-12-22", stage="2")
    assert deadlines(sam, ref)["stage2_response"] == "2027-01-08"  # 10 WD


@pytest.mark.parametrize("profile", ["seed-002"])
def test_seed_002_decision_counts_from_receipt_and_extends_by_10(api, clock):
    cora, sam = api("cora"), api("sam")
    clock(london(2026, 12, 18))
    ref = log(cora, "2026-12-18")
    cora.complete(ref, "quick_fix", {"quick_fix_outcome": "not_resolved"})
    cora.complete(ref, "triage", {"triage_decision": "accept"})
    clock(london(2026, 12, 23))
    acknowledge(cora, ref, "2026-12-23")
    assert deadlines(cora, ref)["stage1_response"] == "2027-01-06"  # 10 WD from receipt, not acknowledgement
    over = cora.complete(ref, "stage1_investigate", {"investigation_notes": "x", "stage1_next_step": "extend",
                                                     "stage1_extended_to": "2027-01-21",
                                                     "stage1_extension_reasons": "Survey"}, 422)
    assert "20 January 2027" in over["errors"]["stage1_extended_to"]
    cora.complete(ref, "stage1_investigate", {"investigation_notes": "x", "stage1_next_step": "extend",
                                              "stage1_extended_to": "2027-01-20", "stage1_extension_reasons": "Survey"})
    assert deadlines(cora, ref)["stage1_response"] == "2027-01-20"
    cora.complete(ref, "stage1_investigate", {"investigation_notes": "x", "stage1_next_step": "respond"})
    cora.complete(ref, "stage1_respond", {"stage1_responded_on": "2026-12-23", **ANALYSIS, "stage1_decision": "upheld",
                                          "stage1_reasons": "y"})
    cora.complete(ref, "escalation", {"escalate": "yes", "escalation_requested_on": "2026-12-23"})
    acknowledge(sam, ref, "2026-12-23", stage="2")
    assert deadlines(sam, ref)["stage2_response"] == "2027-01-25"  # 20 WD after the escalation is acknowledged


@pytest.mark.parametrize("profile", ["seed-004"])
def test_seed_004_staff_complaint_goes_to_their_manager_and_escalation_may_be_declined(api, clock):
    cleo, lena, rita = api("cleo"), api("lena"), api("rita")
    clock(london(2026, 12, 18))
    ref = log(cleo, "2026-12-18", about_staff="tom")
    assert cleo.get(f"/complaints/{ref}").get_json()["handler"]["name"] == "lena"
    assert [t for t in cleo.get("/tasks").get_json() if t["complaint_reference"] == ref] == []
    lena.complete(ref, "triage", {"triage_decision": "accept"})
    acknowledge(lena, ref, "2026-12-18")
    assert deadlines(lena, ref)["stage1_response"] == "2027-01-06"  # 10 WD from acknowledgement
    lena.complete(ref, "stage1_investigate", {"investigation_notes": "x", "stage1_next_step": "respond"})
    lena.complete(ref, "stage1_respond", {"stage1_responded_on": "2026-12-18", **ANALYSIS, "stage1_decision": "upheld",
                                          "stage1_reasons": "y"})
    lena.complete(ref, "escalation", {"escalate": "yes", "escalation_requested_on": "2026-12-18"})
    rita.complete(ref, "escalation_decision", {"escalation_decision": "decline",
                                               "decline_explanation": "No new information"})
    assert [t["name"] for t in cleo.get("/tasks").get_json()] == ["close_complaint"]
    # The decision is in writing (seed 004): the decline letter with the reasons and the Ombudsman route.
    letters = cleo.get(f"/complaints/{ref}/correspondence").get_json()
    declined = [item for item in letters if item["letter"] == "escalation_declined"]
    assert len(declined) == 1 and declined[0]["document_url"], [item["letter"] for item in letters]
    pdf = cleo.client.get(declined[0]["document_url"], headers=cleo._headers()).data
    text = " ".join(subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                                   check=True).stdout.decode().split())
    assert "Our reasons: No new information" in text and "Housing Ombudsman" in text


@pytest.mark.parametrize("profile", ["seed-004"])
def test_seed_004_a_missed_commitment_reopens_the_complaint_at_stage2(api, clock, ctx, app):
    from tests.web.test_browser_forms import Browser

    cleo, rita = api("cleo"), api("rita")
    clock(london(2026, 12, 14))
    ref = log(cleo, "2026-12-14")
    cleo.complete(ref, "triage", {"triage_decision": "accept"})
    acknowledge(cleo, ref, "2026-12-14")
    cleo.complete(ref, "stage1_investigate", {"investigation_notes": "x", "stage1_next_step": "respond"})
    incomplete = cleo.complete(ref, "stage1_respond", {
        "stage1_responded_on": "2026-12-14", **ANALYSIS, "stage1_decision": "upheld", "stage1_reasons": "Late repair",
        "stage1_commitments": [{"action": "Replace window", "owner": ""}]}, 422)
    assert set(incomplete["errors"]) == {"stage1_commitments-0-owner", "stage1_commitments-0-due"}
    cleo.complete(ref, "stage1_respond", {
        "stage1_responded_on": "2026-12-14", **ANALYSIS, "stage1_decision": "upheld", "stage1_reasons": "Late repair",
        "stage1_commitments": [{"action": "Replace window", "owner": "Repairs team", "due": "2026-12-22"},
                               {"action": "Redecorate", "owner": "Repairs team", "due": "2027-01-08"}]})
    task = cleo.task(ref, "track_commitments")
    page = Browser(app, "cleo").page(f"/tasks/{task['id']}")
    assert 'value="Replace window"' in page and 'value="2027-01-08"' in page  # the form starts from what was promised
    # The window is delivered on time; the redecoration is not.
    cleo.complete(ref, "track_commitments", {"stage1_commitments": [
        {"action": "Replace window", "owner": "Repairs team", "due": "2026-12-22", "delivered": True},
        {"action": "Redecorate", "owner": "Repairs team", "due": "2027-01-08"}]})
    clock(london(2026, 12, 23, 9))
    assert fire_due_timers.run(ctx) == 0  # the delivered commitment's date passing changes nothing
    clock(london(2027, 1, 9, 9))
    assert fire_due_timers.run(ctx) >= 1
    view = cleo.get(f"/complaints/{ref}").get_json()
    assert view["stage"] == "stage2"
    # Reopened on Saturday 9 January, which counts from Monday 11: 5 WD later is Monday 18.
    assert view["deadlines"]["stage2_acknowledge"]["due"] == "2027-01-18"
    # Stage 2 work is due on Stage 2's own date, not on the missed commitment's (8 January).
    assert rita.task(ref, "stage2_acknowledge")["due"] == "2027-01-18"


@pytest.mark.parametrize("profile", ["seed-000"])
def test_seed_000_icp_after_stage2_and_the_ombudsman_after_8_weeks(api, clock, ctx):
    olivia, sam = api("olivia"), api("sam")
    clock(london(2026, 11, 23))
    ref = log(olivia, "2026-11-23")
    olivia.complete(ref, "quick_fix", {"quick_fix_outcome": "not_resolved"})
    olivia.complete(ref, "triage", {"triage_decision": "accept"})
    acknowledge(olivia, ref, "2026-11-23")
    olivia.complete(ref, "stage1_investigate", {"investigation_notes": "x", "stage1_next_step": "respond"})
    olivia.complete(ref, "stage1_respond", {"stage1_responded_on": "2026-11-23", **ANALYSIS, "stage1_decision": "upheld",
                                            "stage1_reasons": "y"})
    olivia.complete(ref, "escalation", {"escalate": "yes", "escalation_requested_on": "2026-11-23",
                                        "escalation_reasons": "Disagree", "escalation_outcome_sought": "Apology"})
    acknowledge(sam, ref, "2026-11-23", stage="2")
    sam.complete(ref, "stage2_review", {"review_notes": "z", "stage2_next_step": "respond"})
    sam.complete(ref, "stage2_respond", {"stage2_responded_on": "2026-11-23", **ANALYSIS, "stage2_decision": "not_upheld",
                                         "stage2_reasons": "r"})
    carys = api("carys")  # ICP requests go to the Customer Excellence Leader
    carys.complete(ref, "refer_after_stage2", {"referral_route": "icp", "referred_on": "2026-11-23"})
    assert fire_due_timers.run(ctx) == 0
    clock(london(2027, 1, 18, 9))  # 8 weeks after the Stage 2 response
    assert fire_due_timers.run(ctx) == 1
    history = [h["summary"] for h in olivia.get(f"/complaints/{ref}").get_json()["history"]]
    assert "The Ombudsman can now consider the complaint" in history
    carys.complete(ref, "referral_outcome", {"referral_met_on": "2027-01-18", "referral_outcome": "Upheld by ICP"})
    olivia.complete(ref, "close_complaint", {"ombudsman_route_explained": True})
    assert olivia.get(f"/complaints/{ref}").get_json()["status"] == "closed"


@pytest.mark.parametrize("profile", ["seed-002"])
def test_seed_002_review_group_support_can_be_recorded_at_any_point(api, clock, app):
    from tests.conftest import csrf_token
    from tests.web.test_browser_forms import Browser

    cora = api("cora")
    clock(london(2026, 12, 18))
    ref = log(cora, "2026-12-18")
    browser = Browser(app, "cora")
    page = browser.page(f"/complaints/{ref}")
    assert "Residents Complaint Review Group" in page
    posted = browser.client.post(f"/complaints/{ref}/records", data={
        "kind": "review_group_support", "text": "RCRG member Ann joined the call", "csrf_token": csrf_token(page)})
    assert posted.status_code == 302
    bad = browser.client.post(f"/complaints/{ref}/records", data={"kind": "gossip", "text": "",
                                                                   "csrf_token": csrf_token(page)})
    assert bad.status_code == 302 and "Not added" in browser.page(f"/complaints/{ref}")
    history = cora.get(f"/complaints/{ref}").get_json()["history"]
    assert [h["kind"] for h in history].count("review_group_support") == 1


@pytest.mark.parametrize("profile", ["seed-002"])
def test_seed_002_time_limits_recurring_override_and_former_tenants(api, clock):
    cora = api("cora")
    clock(london(2026, 12, 18))
    old = log(cora, "2026-12-18", issue_occurred_on="2025-10-01")
    cora.complete(old, "quick_fix", {"quick_fix_outcome": "not_resolved"})
    needs_reason = cora.complete(old, "triage", {"triage_decision": "accept"}, 422)
    assert "12 months" in needs_reason["errors"]["time_limit_reason"]
    no_ground = cora.complete(old, "triage", {"triage_decision": "accept",
                                              "time_limit_reason": "Recurring damp, reported yearly"}, 422)
    assert no_ground["errors"]["time_limit_ground"] == (
        "This procedure accepts an older complaint only on these grounds: there is evidence of a recurring problem; "
        "circumstances prevented the complaint being raised earlier. Choose the one that applies, or refuse it.")
    cora.complete(old, "triage", {"triage_decision": "accept", "time_limit_ground": "recurring",
                                  "time_limit_reason": "Recurring damp, reported yearly"})

    recent = log(cora, "2026-12-18", issue_occurred_on="2026-11-01")
    cora.complete(recent, "quick_fix", {"quick_fix_outcome": "not_resolved"})
    wrong = cora.complete(recent, "triage", {"triage_decision": "refuse", "exclusion": "over_time_limit",
                                             "refusal_reasons": "Too old", "ombudsman_informed": True}, 422)
    assert "not known to be outside" in wrong["errors"]["exclusion"]

    former = log(cora, "2026-12-18", tenancy_ended_on="2026-03-31")
    cora.complete(former, "quick_fix", {"quick_fix_outcome": "not_resolved"})
    late = cora.complete(former, "triage", {"triage_decision": "accept"}, 422)
    assert "6 months" in late["errors"]["time_limit_reason"]
    # Six months for former tenants has no exception (2.6), unlike the 12 months (2.3): a reason does not do.
    closed = cora.complete(former, "triage", {"triage_decision": "accept", "time_limit_reason": "Asked nicely"}, 422)
    assert closed["errors"]["triage_decision"] == ("This procedure does not accept it: the tenancy ended more than 6 "
                                                   "months before the complaint. Refuse it and explain why.")
    cora.complete(former, "triage", {"triage_decision": "refuse", "exclusion": "over_time_limit",
                                     "refusal_reasons": "Tenancy ended in March", "ombudsman_informed": True})
    assert cora.get(f"/complaints/{former}").get_json()["status"] == "refused"


def refusal_letter(api, ref):
    """The text of the refusal letter sent for complaint `ref` (its PDF read back)."""
    [letter] = [item for item in api.get(f"/complaints/{ref}/correspondence").get_json() if item["letter"] == "refusal"]
    pdf = api.client.get(letter["document_url"], headers=api._headers())
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    return pdf_text(pdf.data)


@pytest.mark.parametrize("profile", ["seed-002"])
def test_seed_002_a_personal_injury_claim_goes_to_the_insurer_with_a_letter_saying_so(api, clock):
    cora = api("cora")
    clock(london(2026, 12, 18))
    ref = log(cora, "2026-12-18")
    cora.complete(ref, "quick_fix", {"quick_fix_outcome": "not_resolved"})
    cora.complete(ref, "triage", {"triage_decision": "refuse", "exclusion": "liability_claim",
                                  "refusal_reasons": "You were hurt by the fallen gutter: a claim for our insurer",
                                  "ombudsman_informed": True})
    assert cora.get(f"/complaints/{ref}").get_json()["status"] == "refused"
    letter = " ".join(refusal_letter(cora, ref).split())
    assert "because a personal injury or accident claim, which our insurance company deals with outside this " \
           "procedure (6.5)" in letter
    assert "Housing Ombudsman" in letter


@pytest.mark.parametrize("profile", ["seed-003"])
@pytest.mark.parametrize("exclusion, words", [
    ("feedback_needing_no_response", "because negative feedback that does not need a response"),
    ("services_not_ours", "because the complaint is not about a service we deliver"),
])
def test_seed_003_feedback_needing_no_response_and_others_services_are_refused_with_a_letter(api, clock, exclusion,
                                                                                                words):
    holly = api("holly")
    clock(london(2026, 12, 18))
    ref = log(holly, "2026-12-18")
    holly.complete(ref, "quick_fix", {"quick_fix_outcome": "not_resolved"})
    holly.complete(ref, "triage", {"triage_decision": "refuse", "exclusion": exclusion, "refusal_reasons": "See above",
                                   "ombudsman_informed": True})
    assert words in " ".join(refusal_letter(holly, ref).split())


@pytest.mark.parametrize("profile", ["seed-003"])
def test_seed_003_time_limit_has_no_discretion(api, clock):
    holly = api("holly")
    clock(london(2026, 12, 18))
    ref = log(holly, "2026-12-18", issue_occurred_on="2025-06-01")
    holly.complete(ref, "quick_fix", {"quick_fix_outcome": "not_resolved"})
    refused = holly.complete(ref, "triage", {"triage_decision": "accept", "time_limit_reason": "x"}, 422)
    assert "does not accept it" in refused["errors"]["triage_decision"]


def test_code_2024_commitments_are_followed_through_and_a_missed_one_alerts(api, clock, ctx, app):
    from tests.web.test_browser_forms import Browser

    olivia = api("olivia")
    clock(london(2026, 12, 14))
    ref = log(olivia, "2026-12-14")
    olivia.complete(ref, "triage", {"triage_decision": "accept"})
    acknowledge(olivia, ref, "2026-12-14")
    olivia.complete(ref, "stage1_investigate", {"investigation_notes": "x", "stage1_next_step": "respond"})
    olivia.complete(ref, "stage1_respond", {
        "stage1_responded_on": "2026-12-14", **ANALYSIS, "stage1_decision": "upheld", "stage1_reasons": "Late repair",
        "stage1_commitments": [{"action": "Fit extractor fan", "owner": "Owen Officer", "due": "2026-12-18"}]})
    assert [t["name"] for t in olivia.get("/tasks").get_json()] == ["follow_commitments"]
    assert olivia.get(f"/complaints/{ref}").get_json()["deadlines"]["commitment"]["due"] == "2026-12-18"
    clock(london(2026, 12, 19, 9))
    fire_due_timers.run(ctx)
    view = olivia.get(f"/complaints/{ref}").get_json()
    assert view["deadlines"]["commitment"]["breached"] is True and view["stage"] != "stage2"  # not reopened here
    assert "Commitment from the response was missed" in Browser(app, "olivia").page("/")  # the handler
    assert "your action due 18 December 2026 was missed" in Browser(app, "owen").page("/")  # its owner
    olivia.complete(ref, "follow_commitments", {"stage1_commitments": [
        {"action": "Fit extractor fan", "owner": "Owen Officer", "due": "2026-12-18", "delivered": True}]})
    assert [t["name"] for t in olivia.get("/tasks").get_json()] == ["escalation"]
