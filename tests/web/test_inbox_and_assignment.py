"""The inbox (urgent first, overdue marked), claiming, and managers reassigning."""

from tests.conftest import ANALYSIS, london
from tests.web.test_browser_forms import Browser


def log(api, received):
    return api.post("/complaints", {"complainant": {"name": "R"}, "channel": "phone", "received_at": received,
                                    "description": "d"}).get_json()["reference"]


def test_inbox_puts_the_most_urgent_first_and_marks_overdue(api, clock, app):
    olivia = api("olivia")
    clock(london(2026, 12, 1))
    later = log(olivia, "2026-11-30")    # acknowledgement due 7 December
    earlier = log(olivia, "2026-11-20")  # due 27 November: already overdue
    tasks = [t for t in olivia.get("/tasks").get_json()]
    assert [t["complaint_reference"] for t in tasks] == [earlier, later]
    assert [t["overdue"] for t in tasks] == [True, False]
    assert Browser(app, "olivia").page("/").count("overdue") >= 1
    # A page of the most urgent: the limit keeps the order; a limit out of range is a field error.
    assert [t["complaint_reference"] for t in olivia.get("/tasks?limit=1").get_json()] == [earlier]
    refused = olivia.get("/tasks?limit=0")
    assert refused.status_code == 422 and "limit" in refused.get_json()["errors"]


def test_claim_and_reassign(api, clock, app):
    olivia, owen, maya = api("olivia"), api("owen"), api("maya")
    clock(london(2026, 12, 1))
    ref = maya.post("/complaints", {"complainant": {"name": "R"}, "channel": "phone", "received_at": "2026-11-30",
                                    "description": "d"}).get_json()["reference"]
    # Logged by a manager: the officer with the fewest open tasks handles it.
    handler = olivia.get(f"/complaints/{ref}").get_json()["handler"]["name"]
    other = {"olivia": owen, "owen": olivia}[handler]
    triage = api(handler).task(ref, "triage")
    assert other.post(f"/tasks/{triage['id']}/complete", {"data": {"triage_decision": "accept"}}).status_code == 403

    manager = Browser(app, "maya")
    assert "Team tasks" in manager.page("/team")
    target = {"olivia": "owen", "owen": "olivia"}[handler]
    team = manager.page("/team")
    token = team.split('name="csrf_token" value="')[1].split('"')[0]
    # The form sends who holds the task as the page showed it (a change since is refused: test_concurrent_edits).
    loaded = team.split(f'/tasks/{triage["id"]}/reassign')[1].split('name="loaded_version" value="')[1].split('"')[0]
    response = manager.client.post(f"/tasks/{triage['id']}/reassign", data={"assignee": target, "csrf_token": token,
                                                                          "loaded_version": loaded})
    assert response.status_code == 302
    view = olivia.get(f"/complaints/{ref}").get_json()
    assert view["handler"]["name"] == target and view["open_tasks"][0]["assignee"] == target
    assert any(h["kind"] == "reassigned" for h in view["history"])
    officer_browser = Browser(app, "olivia")
    token = officer_browser.page("/").split('name="csrf_token" value="')[1].split('"')[0]
    assert officer_browser.client.get("/team").status_code == 403
    denied = officer_browser.client.post(f"/tasks/{triage['id']}/reassign", data={"assignee": "owen", "csrf_token": token})
    assert denied.status_code == 403


def test_breach_reviews_are_offered_to_managers_and_claimed(api, clock, ctx, app):
    from service.use_cases import fire_due_timers

    olivia, maya, max_ = api("olivia"), api("maya"), api("max")
    clock(london(2026, 12, 1))
    ref = log(olivia, "2026-11-20")
    fire_due_timers.run(ctx)
    review = maya.task(ref, "stage1_acknowledge_breach_review")
    assert review["assignee"] is None and max_.task(ref, "stage1_acknowledge_breach_review")["id"] == review["id"]
    browser = Browser(app, "maya")
    token = browser.page("/").split('name="csrf_token" value="')[1].split('"')[0]
    assert browser.client.post(f"/tasks/{review['id']}/claim", data={"csrf_token": token}).status_code == 302
    assert maya.task(ref, "stage1_acknowledge_breach_review")["assignee"] == "maya"
    assert [t for t in max_.get("/tasks").get_json() if t["complaint_reference"] == ref] == []
    assert max_.post(f"/tasks/{review['id']}/complete", {"data": {"breach_action": "x"}}).status_code == 403


def test_whoever_took_part_before_stage2_is_not_offered_its_stage2_work_and_is_told_why(api, clock, ctx, app):
    # Code 6.13, seeds 000-002 ("not previously involved"): a manager who did the Stage 1 breach review took part.
    from service.use_cases import fire_due_timers

    olivia, maya, max_ = api("olivia"), api("maya"), api("max")
    clock(london(2026, 12, 1))
    ref = log(olivia, "2026-11-20")
    fire_due_timers.run(ctx)  # the acknowledgement was due on 27 November
    maya.complete(ref, "stage1_acknowledge_breach_review", {"breach_action": "Called the resident to apologise"})
    olivia.complete(ref, "triage", {"triage_decision": "accept"})
    olivia.complete(ref, "stage1_acknowledge", {"stage1_acknowledged_on": "2026-12-01", "complaint_definition": "Leak",
                                                "outcome_sought": "Fix"})
    olivia.complete(ref, "stage1_investigate", {"investigation_notes": "Seen", "stage1_next_step": "respond"})
    olivia.complete(ref, "stage1_respond", {"stage1_responded_on": "2026-12-01", **ANALYSIS,
                                            "stage1_decision": "not_upheld", "stage1_reasons": "Fixed already"})
    clock(london(2026, 12, 2))
    olivia.complete(ref, "escalation", {"escalate": "yes", "escalation_requested_on": "2026-12-02"})

    stage2 = max_.task(ref, "stage2_acknowledge")  # offered to the manager who took no part
    assert [t for t in maya.get("/tasks").get_json() if t["complaint_reference"] == ref] == []
    refused = maya.post(f"/tasks/{stage2['id']}/complete", {"data": {}})
    assert refused.status_code == 403 and "took part in this complaint before Stage 2" in refused.get_json()["message"]
    inbox = Browser(app, "maya").page("/")
    assert "Not offered to you" in inbox and ref in inbox.split("Not offered to you")[1]
    assert "(Code 6.13)" in inbox.split("Not offered to you")[1]
    assert "Not offered to you" not in Browser(app, "max").page("/")
    max_.complete(ref, "stage2_acknowledge", {"stage2_acknowledged_on": "2026-12-02", "stage2_complaint_definition": "Leak",
                                              "stage2_outcome_sought": "Fix", "meeting_offered": True})
