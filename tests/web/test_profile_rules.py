"""Rules the seed policies word for themselves, walked through the real diagram: how a complaint is acknowledged
(seed-000: "by telephone or e-mail"; seed-001: "by telephone ... and confirm this in writing") and how an extension
is agreed (seeds 000 and 001: "we will telephone you to agree when you will get a full response")."""

import pytest

from service.use_cases import fire_due_timers
from tests.conftest import ANALYSIS, london, pdf_text, stage2
from tests.web.test_browser_forms import Browser


def log_and_accept(officer, received):
    """A complaint logged by phone on `received`, past the quick fix and accepted at triage."""
    response = officer.post("/complaints", {"complainant": {"name": "Resident"}, "channel": "phone",
                                            "received_at": received, "description": "Leak"})
    assert response.status_code == 201, response.get_json()
    ref = response.get_json()["reference"]
    officer.complete(ref, "quick_fix", {"quick_fix_outcome": "not_resolved"})
    officer.complete(ref, "triage", {"triage_decision": "accept"})
    return ref


def acknowledge(officer, ref, on, status=200, **data):
    return officer.complete(ref, "stage1_acknowledge", {"stage1_acknowledged_on": on, "complaint_definition": "Leak",
                                                        "outcome_sought": "Fix", **data}, status)


@pytest.mark.parametrize("profile", ["seed-001"])
def test_seed_001_acknowledges_by_phone_and_in_writing_both_recorded(api, clock):
    olivia = api("olivia")
    clock(london(2026, 12, 21))
    ref = log_and_accept(olivia, "2026-12-21")
    letter_only = acknowledge(olivia, ref, "2026-12-21", 422, acknowledged_by=["letter"])
    assert letter_only["errors"]["acknowledged_by"] == (
        "This procedure says: “Acknowledge your complaint by telephone within three working days and confirm this "
        "in writing”. Record the acknowledgement by phone.")
    nothing = acknowledge(olivia, ref, "2026-12-21", 422)
    assert nothing["errors"]["acknowledged_by"].endswith("Record the acknowledgement by phone and in writing (email or "
                                                         "letter).")
    phone_only = acknowledge(olivia, ref, "2026-12-21", 422, acknowledged_by=["phone"])
    assert phone_only["errors"]["acknowledged_by"].endswith("Record the acknowledgement in writing (email or letter).")
    acknowledge(olivia, ref, "2026-12-21", acknowledged_by=["phone", "letter"])
    history = olivia.get(f"/complaints/{ref}").get_json()["history"]
    [entry] = [h for h in history if h["kind"] == "task_completed" and h["detail"]["task"] == "stage1_acknowledge"]
    assert entry["detail"]["data"]["acknowledged_by"] == ["phone", "letter"]


@pytest.mark.parametrize("profile", ["seed-000"])
def test_seed_000_acknowledges_by_phone_or_email_not_by_letter_alone(api, clock):
    olivia = api("olivia")
    clock(london(2026, 12, 21))
    ref = log_and_accept(olivia, "2026-12-21")
    letter_only = acknowledge(olivia, ref, "2026-12-21", 422, acknowledged_by=["letter"])
    assert letter_only["errors"]["acknowledged_by"] == (
        "This procedure says: “Acknowledge the complaint by telephone or e-mail within five working days”. Record "
        "the acknowledgement by phone or by email.")
    acknowledge(olivia, ref, "2026-12-21", acknowledged_by=["email"])
    assert [t["name"] for t in olivia.get("/tasks").get_json()] == ["stage1_investigate"]


@pytest.mark.parametrize("profile", ["seed-004"])
def test_seed_004_the_officer_calls_to_discuss_and_acknowledges_in_writing(api, clock):
    cleo = api("cleo")
    clock(london(2026, 12, 21))
    ref = cleo.post("/complaints", {"complainant": {"name": "Resident"}, "channel": "phone",
                                    "received_at": "2026-12-21", "description": "Leak"}).get_json()["reference"]
    cleo.complete(ref, "triage", {"triage_decision": "accept"})
    email_only = acknowledge(cleo, ref, "2026-12-21", 422, acknowledged_by=["email"])
    assert email_only["errors"]["acknowledged_by"] == (
        "This procedure says: “acknowledged by a Complaint Officer, who will contact you to discuss your complaint. "
        "They will provide a written acknowledgement”. Record the acknowledgement by phone.")
    acknowledge(cleo, ref, "2026-12-21", acknowledged_by=["phone", "email"])


def test_the_code_profile_records_the_way_without_requiring_one(api, clock):
    olivia = api("olivia")
    clock(london(2026, 12, 21))
    response = olivia.post("/complaints", {"complainant": {"name": "Resident"}, "channel": "phone",
                                           "received_at": "2026-12-21", "description": "Leak"})
    ref = response.get_json()["reference"]
    olivia.complete(ref, "triage", {"triage_decision": "accept"})
    acknowledge(olivia, ref, "2026-12-21")
    assert [t["name"] for t in olivia.get("/tasks").get_json()] == ["stage1_investigate"]


@pytest.mark.parametrize("profile", ["seed-000"])
def test_seed_000_agrees_a_stage1_extension_by_phone(api, clock):
    olivia = api("olivia")
    clock(london(2026, 12, 21))
    ref = log_and_accept(olivia, "2026-12-21")
    acknowledge(olivia, ref, "2026-12-21", acknowledged_by=["phone"])
    extend = {"investigation_notes": "Waiting for the roofer", "stage1_next_step": "extend",
              "stage1_extended_to": "2027-01-20", "stage1_extension_reasons": "A specialist must inspect"}
    by_letter = olivia.complete(ref, "stage1_investigate", {**extend, "stage1_extension_agreed_by": "letter"}, 422)
    assert by_letter["errors"]["stage1_extension_agreed_by"] == (
        "This procedure says: “If further investigation is needed, which will take longer than 10 working days, we "
        "will telephone you to agree when you will get a full response”. Agree the new date with the resident by "
        "phone and record it.")
    olivia.complete(ref, "stage1_investigate", {**extend, "stage1_extension_agreed_by": "phone"})
    due = olivia.get(f"/complaints/{ref}").get_json()["deadlines"]["stage1_response"]["due"]
    assert due == "2027-01-20"


def to_stage2(olivia, hana, clock):
    """A seed-001 complaint of 21 December 2026, answered at Stage 1 that day, escalated and acknowledged at Stage 2
    on the 22nd."""
    clock(london(2026, 12, 21))
    ref = log_and_accept(olivia, "2026-12-21")
    acknowledge(olivia, ref, "2026-12-21", acknowledged_by=["phone", "email"])
    olivia.complete(ref, "stage1_investigate", {"investigation_notes": "x", "stage1_next_step": "respond"})
    olivia.complete(ref, "stage1_respond", {"stage1_responded_on": "2026-12-21", **ANALYSIS,
                                            "stage1_decision": "not_upheld", "stage1_reasons": "y"})
    olivia.complete(ref, "escalation_in_window", {"escalate": "yes", "escalation_requested_on": "2026-12-21",
                                                  "escalation_reasons": "Still leaking", "escalation_outcome_sought": "Fix"})
    hana.complete(ref, "escalation_decision", {"escalation_decision": "accept"})
    clock(london(2026, 12, 22))
    hana.complete(ref, "stage2_acknowledge", {"stage2_acknowledged_on": "2026-12-22", "stage2_complaint_definition": "x",
                                              "stage2_outcome_sought": "y", "meeting_offered": True})
    return ref


@pytest.mark.parametrize("profile", ["seed-001"])
def test_seed_001_agrees_a_stage2_extension_by_phone(api, clock):
    olivia, hana = api("olivia"), api("hana")
    ref = to_stage2(olivia, hana, clock)
    extend = {"review_notes": "Surveyor's report awaited", "stage2_next_step": "extend",
              "stage2_extended_to": "2027-01-29", "stage2_extension_reasons": "A survey is needed"}
    unrecorded = hana.complete(ref, "stage2_review", extend, 422)
    assert "we will agree with you by telephone and notify you in writing" in \
        unrecorded["errors"]["stage2_extension_agreed_by"]
    hana.complete(ref, "stage2_review", {**extend, "stage2_extension_agreed_by": "phone"})
    due = hana.get(f"/complaints/{ref}").get_json()["deadlines"]["stage2_response"]["due"]
    assert due == "2027-01-29"


def final_letter(api, ref, key="stage2_response"):
    """Letter `key` (by default the Stage 2 final response) of complaint `ref`, as its PDF reads, on one line."""
    [letter] = [item for item in api.get(f"/complaints/{ref}/correspondence").get_json() if item["letter"] == key]
    return " ".join(pdf_text(api.client.get(letter["document_url"], headers=api._headers()).data).split())


@pytest.mark.parametrize("profile", ["seed-001"])
def test_seed_001_letters_ask_for_reasons_by_the_window_and_name_the_stage2_reviewer(api, clock):
    olivia, hana = api("olivia"), api("hana")
    ref = to_stage2(olivia, hana, clock)
    stage1 = final_letter(olivia, ref, "stage1_response")
    # 20 working days after Monday 21 December 2026, skipping 25 and 28 December and 1 January: 21 January.
    assert ("you can ask us to escalate your complaint to Stage 2 by 21 January 2027. Please tell Olivia Officer what "
            "you disagree with and the outcome you would like by phone, email or letter") in stage1
    assert "You do not have to give reasons" not in stage1
    stage2_ack = final_letter(hana, ref, "stage2_acknowledgement")
    assert "It will be reviewed by Hana Head-of" in stage2_ack  # pdftotext may drop the hyphen at a line break
    assert "(Head of Service (not previously involved)), who was not involved at Stage 1" in stage2_ack


@pytest.mark.parametrize("profile", ["seed-001"])
def test_seed_001_final_response_explains_the_panel_and_when_the_ombudsman_can_be_asked(api, clock):
    olivia, hana = api("olivia"), api("hana")
    ref = to_stage2(olivia, hana, clock)
    hana.complete(ref, "stage2_review", {"review_notes": "n", "stage2_next_step": "respond"})
    hana.complete(ref, "stage2_respond", {"stage2_responded_on": "2026-12-22", "stage2_decision": "not_upheld",
                                          "stage2_reasons": "r", **ANALYSIS})
    text = final_letter(hana, ref)
    assert ("If you remain unhappy, you can: • Ask for your complaint to be heard by our Independent Complaints "
            "Panel: tell us and we will arrange it. • Refer your complaint to the Housing Ombudsman once the panel "
            "has met, or 8 weeks after the date of this letter, whichever comes first.") in text
    assert "Ombudsman now" not in text


def test_the_codes_final_response_says_the_ombudsman_can_be_asked_now(api, clock):
    olivia, maya = api("olivia"), api("maya")
    clock(london(2026, 12, 21))
    ref = olivia.post("/complaints", {"complainant": {"name": "Resident"}, "channel": "phone",
                                      "received_at": "2026-12-21", "description": "Leak"}).get_json()["reference"]
    olivia.complete(ref, "triage", {"triage_decision": "accept"})
    acknowledge(olivia, ref, "2026-12-21")
    olivia.complete(ref, "stage1_investigate", {"investigation_notes": "x", "stage1_next_step": "respond"})
    olivia.complete(ref, "stage1_respond", {"stage1_responded_on": "2026-12-21", **ANALYSIS,
                                            "stage1_decision": "not_upheld", "stage1_reasons": "y"})
    olivia.complete(ref, "escalation", {"escalate": "yes", "escalation_requested_on": "2026-12-21"})
    stage2(maya, clock, ref, "2026-12-22", "2026-12-22", "not_upheld")
    assert "If you remain unhappy, you can: • Refer your complaint to the Housing Ombudsman now." in \
        final_letter(maya, ref)
    assert "You do not have to give reasons; please tell Olivia Officer by phone, email or letter" in \
        final_letter(olivia, ref, "stage1_response")


@pytest.mark.parametrize("profile", ["seed-001"])
def test_seed_001_overall_eight_week_target_shown_on_the_complaint_and_reported(app, api, clock, ctx):
    olivia = api("olivia")
    clock(london(2026, 12, 1))  # Tuesday 1 December 2026
    settled = olivia.post("/complaints", {"complainant": {"name": "Quick Fix"}, "channel": "phone",
                                          "received_at": "2026-12-01", "description": "Bin not emptied"})
    settled = settled.get_json()["reference"]
    olivia.complete(settled, "quick_fix", {"quick_fix_outcome": "resolved", "quick_fix_resolved_on": "2026-12-01",
                                           "quick_fix_agreed": "Collected today", "confirmation_sent": True})
    late = log_and_accept(olivia, "2026-12-01")
    clock(london(2026, 12, 9, 1))  # the five working days to go formal have passed: the quick fix closes
    assert fire_due_timers.run(ctx) >= 1
    clock(london(2027, 1, 20))
    recent = log_and_accept(olivia, "2027-01-20")

    clock(london(2027, 2, 1))  # 1 December + 8 weeks = 26 January 2027
    view = olivia.get(f"/complaints/{settled}").get_json()["overall_target"]
    assert view == {"weeks": 8, "due": "2027-01-26", "met": True, "closed_on": "2026-12-09", "days_left": None}
    assert olivia.get(f"/complaints/{late}").get_json()["overall_target"]["met"] is False
    assert olivia.get(f"/complaints/{recent}").get_json()["overall_target"] == {
        "weeks": 8, "due": "2027-03-17", "met": None, "closed_on": None, "days_left": 44}
    figures = olivia.get("/reports/dashboard?year=2026").get_json()["overall_target"]
    assert figures == {"weeks": 8, "decided": 2, "within": 1, "percent": 50.0}

    page = Browser(app, "olivia").page(f"/complaints/{late}")
    assert "Overall target for all stages: 8 weeks, by 26 January 2027 —" in " ".join(page.split())
    dashboard = " ".join(Browser(app, "hana").page("/reports/dashboard?year=2026").split())
    assert "1 of 2 complaints (50.0%) finished within 8 weeks of receipt" in dashboard


def test_a_procedure_without_an_overall_target_shows_none(api, clock):
    olivia = api("olivia")
    clock(london(2026, 12, 1))
    ref = olivia.post("/complaints", {"complainant": {"name": "Resident"}, "channel": "phone",
                                      "received_at": "2026-12-01", "description": "Leak"}).get_json()["reference"]
    assert olivia.get(f"/complaints/{ref}").get_json()["overall_target"] is None
    assert olivia.get("/reports/dashboard?year=2026").get_json()["overall_target"] is None


def test_an_undelivered_commitment_lapses_with_the_complaint_and_stage2_tasks_show_their_own_due(api, clock, app):
    olivia, maya = api("olivia"), api("maya")
    clock(london(2026, 12, 14))
    ref = olivia.post("/complaints", {"complainant": {"name": "Resident"}, "channel": "phone",
                                      "received_at": "2026-12-14", "description": "Leak"}).get_json()["reference"]
    olivia.complete(ref, "triage", {"triage_decision": "accept"})
    acknowledge(olivia, ref, "2026-12-14")
    olivia.complete(ref, "stage1_investigate", {"investigation_notes": "x", "stage1_next_step": "respond"})
    olivia.complete(ref, "stage1_respond", {
        "stage1_responded_on": "2026-12-14", **ANALYSIS, "stage1_decision": "upheld", "stage1_reasons": "Late repair",
        "stage1_commitments": [{"action": "Fit extractor fan", "owner": "Owen Officer", "due": "2027-01-29"}]})
    clock(london(2026, 12, 15))
    olivia.complete(ref, "follow_commitments", {"resident_asks_to_escalate": True, "stage1_commitments": [
        {"action": "Fit extractor fan", "owner": "Owen Officer", "due": "2027-01-29"}]})
    olivia.complete(ref, "escalation", {"escalate": "yes", "escalation_requested_on": "2026-12-15"})
    ack = maya.task(ref, "stage2_acknowledge")
    assert ack["due"] == olivia.get(f"/complaints/{ref}").get_json()["deadlines"]["stage2_acknowledge"]["due"]
    assert ack["due"] != "2027-01-29"  # the Stage 2 task's own deadline, never the commitment's
    stage2(maya, clock, ref, "2026-12-16", "2026-12-16", "upheld")
    olivia.complete(ref, "close_complaint", {"ombudsman_route_explained": True})
    view = olivia.get(f"/complaints/{ref}").get_json()
    assert view["status"] == "closed"
    [commitment] = [d for d in view["deadline_details"] if d["key"] == "commitment"]
    assert commitment["met_on"] is None and commitment["lapsed"] is True and commitment["working_days_left"] is None
    page = " ".join(Browser(app, "olivia").page(f"/complaints/{ref}").split())
    assert "Commitment from the response</td> <td>29 Jan 2027</td> <td>none: the complaint is closed</td>" in page
