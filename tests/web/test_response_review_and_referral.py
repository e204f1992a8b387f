"""Who does the work beside the resident's procedure: seed-002's Performance Improvement Team reviews every
response without holding the complaint up, and the referral after Stage 2 goes to the role the landlord names
(seed-000: the Customer Excellence Leader; seed-001: the Head of Housing)."""

import pytest

from service.use_cases import annual_report
from tests.conftest import ANALYSIS, day, london, stage2
from tests.web.test_browser_forms import Browser
from tests.web.test_profile_journeys import acknowledge, log

REVIEW = {"response_met_policy": "partly", "response_shortfalls": "The letter did not give the Ombudsman's details",
          "learning_identified": "Template letters omit the Ombudsman's contact details"}


def stage1_response(officer, clock, on="2026-12-14", quick_fix=True, analysis=ANALYSIS):
    """A complaint logged, acknowledged and answered at Stage 1 on `on` (an ISO date)."""
    clock(day(on))
    ref = log(officer, on)
    if quick_fix:
        officer.complete(ref, "quick_fix", {"quick_fix_outcome": "not_resolved"})
    officer.complete(ref, "triage", {"triage_decision": "accept"})
    acknowledge(officer, ref, on)
    officer.complete(ref, "stage1_investigate", {"investigation_notes": "x", "stage1_next_step": "respond"})
    officer.complete(ref, "stage1_respond", {"stage1_responded_on": on, **analysis, "stage1_decision": "upheld",
                                             "stage1_reasons": "y"})
    return ref


def names(api, ref):
    """The names of the caller's open tasks on complaint `ref`."""
    return sorted(t["name"] for t in api.get("/tasks").get_json() if t["complaint_reference"] == ref)


@pytest.mark.parametrize("profile", ["seed-002"])
def test_seed_002_the_performance_improvement_team_reviews_each_response_while_the_complaint_goes_on(api, clock,
                                                                                                      ctx, app):
    cora, sam, pia = api("cora"), api("sam"), api("pia")
    ref = stage1_response(cora, clock)
    review = pia.task(ref, "review_stage1_response")
    assert review["lane"] == "review" and review["roles"] == ["performance_improvement"]
    assert review["title"] == "Review the Stage 1 response" and review["assignee"] is None
    page = Browser(app, "pia").page(f"/tasks/{review['id']}")  # in the staff app, the improvement work's owner
    assert "Learning identified" in page and '<option value="colin">Colin Complaints-Officer</option>' in page
    assert "review_stage1_response" not in names(cora, ref) + names(sam, ref)
    # The review holds nothing up: the resident escalates and Stage 2 starts while it is open.
    cora.complete(ref, "escalation", {"escalate": "yes", "escalation_requested_on": "2026-12-14"})
    assert names(sam, ref) == ["stage2_acknowledge"] and names(pia, ref) == ["review_stage1_response"]
    stage2(sam, clock, ref, "2026-12-15", "2026-12-16", "not_upheld")
    assert names(pia, ref) == ["review_stage1_response", "review_stage2_response"]
    # The team reads the complaint it reviews, and may not leave out where the response fell short.
    assert pia.get(f"/complaints/{ref}").status_code == 200
    short = pia.complete(ref, "review_stage1_response", {**REVIEW, "response_shortfalls": ""}, 422)
    assert "fell short" in short["errors"]["response_shortfalls"]
    ownerless = pia.complete(ref, "review_stage1_response", {**REVIEW, "improvement_action": "Fix the template"}, 422)
    assert set(ownerless["errors"]) == {"improvement_owner", "improvement_due_on"}
    clock(london(2026, 12, 17))
    pia.complete(ref, "review_stage1_response", {**REVIEW, "improvement_action": "Add the Ombudsman to the template",
                                                 "improvement_owner": "colin", "improvement_due_on": "2027-01-29"})
    view = pia.get(f"/complaints/{ref}").get_json()
    [action] = view["learning_actions"]
    assert (action["description"], action["owner"], action["due_on"]) == (
        "Add the Ombudsman to the template", "colin", "2027-01-29")
    reviewed = [h["summary"] for h in view["history"] if h["kind"] == "response_reviewed"]
    assert reviewed == ["Stage 1 response reviewed: Partly. Learning: Template letters omit the Ombudsman's "
                        "contact details"]
    # The learning is reported with the year's, beside the improvement work it led to.
    report = annual_report.annual(ctx, 2026)
    assert [(r.reference, r.response, r.met_policy, r.learning) for r in report["reviews"]] == [
        (ref, "Stage 1 response", "Partly", REVIEW["learning_identified"])]
    assert [a.description for a in report["actions"]] == ["Add the Ombudsman to the template"]


@pytest.mark.parametrize("profile", ["seed-002"])
def test_seed_002_a_complaint_closes_with_its_review_open_and_the_review_finishes_after(api, clock):
    cora, pia = api("cora"), api("pia")
    ref = stage1_response(cora, clock, analysis={"complaint_category": "repairs", "root_cause": "delay"})
    cora.complete(ref, "escalation", {"escalate": "no"})
    cora.complete(ref, "close_complaint", {"ombudsman_route_explained": True})
    view = cora.get(f"/complaints/{ref}").get_json()
    # Closed for the resident; the review of the response it was given is still the team's to do.
    assert view["status"] == "closed" and [t["name"] for t in view["open_tasks"]] == ["review_stage1_response"]
    pia.complete(ref, "review_stage1_response", {"response_met_policy": "met",
                                                 "learning_identified": "None identified"})
    view = cora.get(f"/complaints/{ref}").get_json()
    assert view["status"] == "closed" and view["open_tasks"] == [] and view["learning_actions"] == []
    assert view["root_cause"] == "delay"


@pytest.mark.parametrize("profile", ["seed-002"])
def test_seed_002_a_late_review_does_not_undo_what_stage_2_recorded(api, clock):
    cora, sam, pia = api("cora"), api("sam"), api("pia")
    ref = stage1_response(cora, clock, analysis={"complaint_category": "repairs", "root_cause": "delay"})
    cora.complete(ref, "escalation", {"escalate": "yes", "escalation_requested_on": "2026-12-14"})
    stage2(sam, clock, ref, "2026-12-15", "2026-12-16", "upheld", complaint_category="repairs",
           root_cause="poor_communication")
    # The Stage 1 review's branch carries the Stage 1 answers; completing it keeps Stage 2's.
    pia.complete(ref, "review_stage1_response", {"response_met_policy": "met", "learning_identified": "None"})
    view = cora.get(f"/complaints/{ref}").get_json()
    assert view["root_cause"] == "poor_communication" and view["outcomes"]["stage2"] == "upheld"


def test_a_profile_without_response_review_gets_no_review_task(api, clock):
    olivia = api("olivia")
    ref = stage1_response(olivia, clock, quick_fix=False)
    view = olivia.get(f"/complaints/{ref}").get_json()
    assert [t["name"] for t in view["open_tasks"]] == ["escalation"]


def through_stage2(officer, manager, clock, on="2026-11-23"):
    """A complaint answered at Stage 1, escalated with reasons and answered at Stage 2, all on `on`."""
    ref = stage1_response(officer, clock, on)
    escalation = {"escalate": "yes", "escalation_requested_on": on, "escalation_reasons": "Disagree",
                  "escalation_outcome_sought": "Apology"}
    if names(officer, ref) == ["escalation_in_window"]:
        officer.complete(ref, "escalation_in_window", escalation)
        manager.complete(ref, "escalation_decision", {"escalation_decision": "accept"})
    else:
        officer.complete(ref, "escalation", escalation)
    acknowledge(manager, ref, on, stage="2")
    manager.complete(ref, "stage2_review", {"review_notes": "z", "stage2_next_step": "respond"})
    manager.complete(ref, "stage2_respond", {"stage2_responded_on": on, **ANALYSIS, "stage2_decision": "not_upheld",
                                             "stage2_reasons": "r"})
    return ref


@pytest.mark.parametrize("profile, officer, manager, leader, role", [
    ("seed-000", "olivia", "sam", "carys", "customer_excellence_leader"),
    ("seed-001", "olivia", "hana", "hattie", "head_of_housing"),
])
def test_the_referral_after_stage2_goes_to_the_role_the_landlord_names(api, clock, profile, officer, manager, leader,
                                                                        role):
    officer, manager, leader = api(officer), api(manager), api(leader)
    ref = through_stage2(officer, manager, clock)
    referral = leader.task(ref, "refer_after_stage2")
    assert referral["lane"] == "referral" and referral["roles"] == [role] and referral["assignee"] is None
    assert names(officer, ref) == [] and names(manager, ref) == []
    refused = officer.post(f"/tasks/{referral['id']}/complete", {"data": {"referral_route": "none"}})
    assert refused.status_code == 403 and refused.get_json()["message"] == f"this task is for the {role} role"
    assert leader.get(f"/complaints/{ref}").status_code == 200  # they read the complaint they refer
    leader.complete(ref, "refer_after_stage2", {"referral_route": "icp", "referred_on": "2026-11-23"})
    assert names(officer, ref) == [] and names(leader, ref) == ["referral_outcome"]
    leader.complete(ref, "referral_outcome", {"referral_met_on": "2026-11-23", "referral_outcome": "Upheld by ICP"})
    assert names(officer, ref) == ["close_complaint"]
