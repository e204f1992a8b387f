"""A complaint through both stages over the JSON API, with real dates across Christmas 2026."""

import re

from sqlalchemy import select

from service.persistence.models import Complaint, User
from tests.conftest import ANALYSIS, london


def log(api, **overrides):
    body = {"complainant": {"name": "Ada Resident", "phone": "0115 000 0000"}, "channel": "phone",
            "received_at": "2026-12-18", "description": "Damp in the bedroom, reported twice.",
            "outcome_sought": "Fix the damp"}
    body.update(overrides)
    return api.post("/complaints", body)


def test_whole_journey_through_both_stages(api, clock, ctx):
    olivia, maya, max_ = api("olivia"), api("maya"), api("max")
    clock(london(2026, 12, 21))  # Monday; the phone call came on Friday 18 December
    created = log(olivia)
    assert created.status_code == 201, created.get_json()
    complaint = created.get_json()
    ref = complaint["reference"]
    assert re.fullmatch(r"CF-2026-\d{6}", ref)
    assert complaint["handler"]["name"] == "olivia"
    assert complaint["deadlines"] == {"stage1_acknowledge": {"due": "2026-12-29", "met_on": None, "breached": False}}
    assert olivia.get(f"/complaints/{ref}").get_json()["complainant"]["name"] == "Ada Resident"

    olivia.complete(ref, "triage", {"triage_decision": "accept"})
    future = olivia.complete(ref, "stage1_acknowledge", {"stage1_acknowledged_on": "2026-12-22",
                                                           "complaint_definition": "Damp", "outcome_sought": "Fix"}, 422)
    assert "future" in future["errors"]["stage1_acknowledged_on"]
    clock(london(2026, 12, 22))
    done = olivia.complete(ref, "stage1_acknowledge", {"stage1_acknowledged_on": "2026-12-22",
                                                         "complaint_definition": "Damp in bedroom",
                                                         "outcome_sought": "Repair and redecoration"})
    assert [t["name"] for t in done["next"]] == ["stage1_investigate"]
    deadlines = olivia.get(f"/complaints/{ref}").get_json()["deadlines"]
    assert deadlines["stage1_acknowledge"] == {"due": "2026-12-29", "met_on": "2026-12-22", "breached": False}
    # 10 WD from acknowledgement, skipping 25 and 28 December and 1 January.
    assert deadlines["stage1_response"]["due"] == "2027-01-08"

    clock(london(2027, 1, 5))
    too_far = olivia.complete(ref, "stage1_investigate", {
        "investigation_notes": "Contractor booked", "stage1_next_step": "extend",
        "stage1_extended_to": "2027-01-25", "stage1_extension_reasons": "Survey needed"}, 422)
    assert "22 January 2027" in too_far["errors"]["stage1_extended_to"]
    no_reason = olivia.complete(ref, "stage1_investigate", {
        "investigation_notes": "Contractor booked", "stage1_next_step": "extend",
        "stage1_extended_to": "2027-01-15"}, 422)
    assert "stage1_extension_reasons" in no_reason["errors"]
    olivia.complete(ref, "stage1_investigate", {"investigation_notes": "Contractor booked",
                                                "stage1_next_step": "extend", "stage1_extended_to": "2027-01-15",
                                                "stage1_extension_reasons": "Damp survey needed"})
    assert olivia.get(f"/complaints/{ref}").get_json()["deadlines"]["stage1_response"]["due"] == "2027-01-15"

    clock(london(2027, 1, 14))
    olivia.complete(ref, "stage1_investigate", {"investigation_notes": "Survey done", "stage1_next_step": "respond"})
    olivia.complete(ref, "stage1_respond", {"stage1_responded_on": "2027-01-14", **ANALYSIS, "stage1_decision": "partly_upheld",
                                            "stage1_reasons": "Repair was late", "stage1_remedy": "£50"})
    clock(london(2027, 1, 18))
    olivia.complete(ref, "escalation", {"escalate": "yes", "escalation_requested_on": "2027-01-18"})
    view = olivia.get(f"/complaints/{ref}").get_json()
    assert view["stage"] == "stage2"
    assert view["deadlines"]["stage2_acknowledge"]["due"] == "2027-01-25"

    # Stage 2 is for managers, and (Code 6.13) not for whoever handled Stage 1.
    stage2_task = maya.task(ref, "stage2_acknowledge")
    assert olivia.post(f"/tasks/{stage2_task['id']}/complete", {"data": {}}).status_code == 403
    with ctx.uow() as uow:
        row = uow.session.scalars(select(Complaint).where(Complaint.reference == ref)).one()
        row.handler_id = uow.session.scalars(select(User.id).where(User.name == "maya")).one()
        uow.commit()
    denied = maya.post(f"/tasks/{stage2_task['id']}/complete", {"data": {}})
    assert denied.status_code == 403 and "6.13" in denied.get_json()["message"]
    assert [t for t in maya.get("/tasks").get_json() if t["complaint_reference"] == ref] == []

    clock(london(2027, 1, 19))
    max_.complete(ref, "stage2_acknowledge", {"stage2_acknowledged_on": "2027-01-19",
                                              "stage2_complaint_definition": "Delay in damp repair",
                                              "stage2_outcome_sought": "Compensation", "meeting_offered": True})
    assert max_.get(f"/complaints/{ref}").get_json()["deadlines"]["stage2_response"]["due"] == "2027-02-16"
    clock(london(2027, 2, 10))
    max_.complete(ref, "stage2_review", {"review_notes": "Stage 1 was fair", "stage2_next_step": "respond"})
    max_.complete(ref, "stage2_respond", {"stage2_responded_on": "2027-02-10", **ANALYSIS, "stage2_decision": "upheld",
                                          "stage2_reasons": "Service failure", "stage2_remedy": "£150"})
    close_id = olivia.task(ref, "close_complaint")["id"]  # offered to officers: the recorded handler is a manager
    assert maya.post(f"/tasks/{close_id}/complete", {"data": {}}).status_code == 403  # closing is an officer's task
    missing = olivia.post(f"/tasks/{close_id}/complete", {"data": {}})
    assert missing.status_code == 422 and "ombudsman_route_explained" in missing.get_json()["errors"]
    closed = olivia.post(f"/tasks/{close_id}/complete", {"data": {"ombudsman_route_explained": True}})
    assert closed.status_code == 200 and closed.get_json()["complaint_status"] == "closed"
    assert olivia.post(f"/tasks/{close_id}/complete", {"data": {"ombudsman_route_explained": True}}).status_code == 409

    final = olivia.get(f"/complaints/{ref}").get_json()
    assert final["status"] == "closed"
    assert final["deadlines"] == {
        "stage1_acknowledge": {"due": "2026-12-29", "met_on": "2026-12-22", "breached": False},
        "stage1_response": {"due": "2027-01-15", "met_on": "2027-01-14", "breached": False},
        "stage2_acknowledge": {"due": "2027-01-25", "met_on": "2027-01-19", "breached": False},
        "stage2_response": {"due": "2027-02-16", "met_on": "2027-02-10", "breached": False},
    }
    kinds = [h["kind"] for h in final["history"]]
    assert kinds[0] == "logged" and kinds[-1] == "status" and kinds.count("task_completed") == 10
    assert "deadline_extended" in kinds


def test_refusal_records_the_exclusion_and_the_ombudsman_route(api, clock):
    olivia = api("olivia")
    clock(london(2026, 11, 23))
    ref = log(olivia, received_at="2026-11-20").get_json()["reference"]
    errors = olivia.complete(ref, "triage", {"triage_decision": "refuse"}, 422)["errors"]
    assert set(errors) == {"exclusion", "refusal_reasons", "ombudsman_informed"}
    bad = olivia.complete(ref, "triage", {"triage_decision": "refuse", "exclusion": "no_such_thing",
                                          "refusal_reasons": "x", "ombudsman_informed": True}, 422)
    assert "exclusion" in bad["errors"]
    olivia.complete(ref, "triage", {"triage_decision": "refuse", "exclusion": "legal_proceedings",
                                    "refusal_reasons": "Claim filed at court", "ombudsman_informed": True})
    view = olivia.get(f"/complaints/{ref}").get_json()
    assert view["status"] == "refused" and view["open_tasks"] == []
    triage = next(h for h in view["history"] if h["kind"] == "task_completed")
    assert triage["detail"]["data"]["exclusion"] == "legal_proceedings"


def test_api_refuses_bad_requests_with_clear_answers(api, app, clock):
    olivia = api("olivia")
    clock(london(2026, 11, 23))
    client = app.test_client()
    assert client.get("/api/v1/tasks").status_code == 401
    assert client.get("/api/v1/tasks", headers={"Authorization": "Bearer nonsense"}).status_code == 401
    assert olivia.get("/complaints/CF-2026-999999").status_code == 404
    assert olivia.get("/tasks/not-a-task").status_code == 404
    assert olivia.post("/tasks/not-a-task/complete", {"data": {}}).status_code == 404
    future = log(olivia, received_at="2026-11-24")
    assert future.status_code == 422 and "future" in future.get_json()["errors"]["received_at"]
    nonsense = log(olivia, received_at="18/12/2026", channel="pigeon", complainant={"name": ""})
    assert set(nonsense.get_json()["errors"]) == {"received_at", "channel", "complainant.name"}
    assert olivia.post("/complaints", ["not", "an", "object"]).status_code == 422
    raw = client.post("/api/v1/complaints", data="{broken", content_type="application/json",
                      headers={"Authorization": f"Bearer {olivia.token}"})
    assert raw.status_code == 422
    ref = log(olivia, received_at="2026-11-20T16:30:00").get_json()["reference"]
    triage = olivia.task(ref, "triage")
    unknown = olivia.post(f"/tasks/{triage['id']}/complete", {"data": {"triage_decision": "accept", "colour": "red"}})
    assert unknown.status_code == 422 and unknown.get_json()["errors"] == {"colour": "Not a field of this form."}
    described = olivia.get(f"/tasks/{triage['id']}").get_json()
    assert described["form"]["name"] == "triage"
    assert {f["name"] for f in described["form"]["fields"]} >= {"triage_decision", "exclusion", "ombudsman_informed"}
    assert olivia.client.get("/api/v1/openapi.json").get_json()["openapi"].startswith("3.1")
