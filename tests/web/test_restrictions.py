"""Contact restrictions through the API and the pages: propose, decide (never by the proposer), notice, banner,
review on the review date (lift, renew, amend), rejection."""

from service.use_cases import fire_due_timers
from tests.conftest import london
from tests.web.test_browser_forms import Browser

PROPOSAL = {"kinds": ["one_contact", "written_only"], "named_contact": "owen",
            "behaviour": "Forty calls in March 2026 (log attached), abusive voicemail on 12 March",
            "evidence": "Call log; voicemail transcript", "reasons": "Other residents' calls went unanswered",
            "equality_considerations": "No disability disclosed; letters offered in large print",
            "review_on": "2027-03-01"}


def complainant_of(api):
    ref = api.post("/complaints", {"complainant": {"name": "Pat Persistent"}, "channel": "phone",
                                   "received_at": "2026-12-01", "description": "Repairs"}).get_json()["reference"]
    return ref, api.get(f"/complaints/{ref}").get_json()["complainant"]["id"]


def decide_task(api, restriction_id):
    tasks = [t for t in api.get("/tasks").get_json() if t["restriction_id"] == restriction_id]
    assert len(tasks) == 1, tasks
    return tasks[0]


def test_propose_approve_notice_banner_and_review(api, app, ctx, clock):
    olivia, maya = api("olivia"), api("maya")
    clock(london(2026, 12, 1))
    ref, person = complainant_of(olivia)
    missing = olivia.post(f"/complainants/{person}/restrictions", {"kinds": ["other"], "review_on": "2026-11-01"})
    assert missing.status_code == 422
    assert {"behaviour", "evidence", "reasons", "equality_considerations"} <= set(missing.get_json()["errors"])
    # Well-formed, but "other" needs details and the review date has passed: the rules the schema cannot state.
    unreasoned = olivia.post(f"/complainants/{person}/restrictions", {**PROPOSAL, "kinds": ["other"],
                                                                      "review_on": "2026-11-01"})
    assert unreasoned.status_code == 422 and {"details", "review_on"} <= set(unreasoned.get_json()["errors"])
    assert olivia.post("/complainants/999/restrictions", PROPOSAL).status_code == 404
    created = olivia.post(f"/complainants/{person}/restrictions", PROPOSAL)
    assert created.status_code == 201 and created.get_json()["status"] == "proposed"
    rid = created.get_json()["id"]

    task = decide_task(maya, rid)
    assert task["name"] == "decide_restriction" and task["complaint_reference"] is None
    fields = {f["name"] for f in maya.get(f"/tasks/{task['id']}").get_json()["form"]["fields"]}
    assert {"decision", "reasons"} <= fields
    assert olivia.post(f"/tasks/{task['id']}/complete", {"data": {"decision": "approve",
                                                                  "reasons": "x"}}).status_code == 403
    done = maya.post(f"/tasks/{task['id']}/complete", {"data": {"decision": "approve",
                                                                "reasons": "Proportionate and time-limited"}})
    assert done.status_code == 200 and done.get_json()["restriction_status"] == "active"
    view = maya.get(f"/restrictions/{rid}").get_json()
    assert view["status"] == "active" and view["decided_by"] == "maya"
    assert "Contact in writing only" in view["notice"] and "01 March 2027" in view["notice"]
    assert "Owen Officer" in view["notice"] and "Housing Ombudsman" in view["notice"]

    complaint = olivia.get(f"/complaints/{ref}").get_json()
    assert [r["id"] for r in complaint["restrictions"]] == [rid]
    kinds = [h["kind"] for h in complaint["history"]]
    assert {"restriction_proposed", "restriction_decision", "restriction_notice"} <= set(kinds)
    browser = Browser(app, "olivia")
    for path in (f"/complaints/{ref}", f"/complainants/{person}",
                 f"/tasks/{olivia.task(ref, 'triage')['id']}"):  # the record, every complaint, every task
        page = browser.page(path)
        assert "Contact restriction in force" in page and "Owen Officer" in page, path
    # The complaint is still handled while the restriction is in force.
    olivia.complete(ref, "triage", {"triage_decision": "accept"})

    clock(london(2027, 2, 28, 23, 30))
    fire_due_timers.run(ctx)  # the complaint's own deadlines fire too; the review date has not come yet
    assert [t for t in maya.get("/tasks").get_json() if t["restriction_id"] == rid] == []
    clock(london(2027, 3, 1, 0, 30))
    assert fire_due_timers.run(ctx) == 1
    review = decide_task(maya, rid)
    assert review["name"] == "review_restriction" and review["due"] == "2027-03-01"
    maya.post(f"/tasks/{review['id']}/complete", {"data": {"review_outcome": "amend", "review_reasons": "Calmer",
                                                            "amended_kinds": ["call_times"],
                                                            "next_review_on": "2027-06-01"}})
    assert maya.get(f"/restrictions/{rid}").get_json()["kinds"] == ["call_times"]
    clock(london(2027, 6, 1, 1))
    assert fire_due_timers.run(ctx) >= 1
    review = decide_task(maya, rid)
    maya.post(f"/tasks/{review['id']}/complete", {"data": {"review_outcome": "lift", "review_reasons": "Resolved"}})
    lifted = maya.get(f"/restrictions/{rid}").get_json()
    assert lifted["status"] == "ended"
    assert olivia.get(f"/complaints/{ref}").get_json()["restrictions"] == []


def test_a_manager_cannot_decide_their_own_proposal_and_renewal_needs_approval_again(api, app, ctx, clock):
    maya, max_ = api("maya"), api("max")
    clock(london(2026, 12, 1))
    _, person = complainant_of(maya)
    rid = maya.post(f"/complainants/{person}/restrictions", {**PROPOSAL, "review_on": "2027-01-04"}).get_json()["id"]
    assert [t for t in maya.get("/tasks").get_json() if t["restriction_id"] == rid] == []  # not offered to her
    task = decide_task(max_, rid)
    own = maya.post(f"/tasks/{task['id']}/complete", {"data": {"decision": "approve",
                                                               "reasons": "x"}})
    assert own.status_code == 403 and "proposed" in own.get_json()["message"]
    amended = max_.post(f"/tasks/{task['id']}/complete", {"data": {"decision": "amend",
                                                                   "reasons": "Writing only is enough",
                                                                   "amended_kinds": ["written_only"]}})
    assert amended.status_code == 200
    assert max_.get(f"/restrictions/{rid}").get_json()["kinds"] == ["written_only"]
    clock(london(2027, 1, 4, 9))
    fire_due_timers.run(ctx)
    review = decide_task(max_, rid)
    max_.post(f"/tasks/{review['id']}/complete", {"data": {"review_outcome": "renew", "review_reasons": "Still needed",
                                                            "next_review_on": "2027-04-01"}})
    renewal = decide_task(max_, rid)
    assert renewal["name"] == "decide_restriction"
    assert maya.post(f"/tasks/{renewal['id']}/complete", {"data": {"decision": "approve",
                                                                  "reasons": "x"}}).status_code == 403
    max_.post(f"/tasks/{renewal['id']}/complete", {"data": {"decision": "approve",
                                                             "reasons": "Renewed"}})
    view = max_.get(f"/restrictions/{rid}").get_json()
    assert view["status"] == "active" and view["review_on"] == "2027-04-01"


def test_rejection_and_the_proposal_page(api, app, clock):
    from tests.conftest import csrf_token

    olivia, maya = api("olivia"), api("maya")
    clock(london(2026, 12, 1))
    _, person = complainant_of(olivia)
    browser = Browser(app, "olivia")
    page = browser.page(f"/complainants/{person}/restrictions/new")
    bad = browser.client.post(f"/complainants/{person}/restrictions/new",
                              data={"kinds": "one_contact", "csrf_token": csrf_token(page)})
    assert bad.status_code == 422 and "Choose the named member of staff." in bad.get_data(as_text=True)
    posted = browser.client.post(f"/complainants/{person}/restrictions/new", data={
        **{k: v for k, v in PROPOSAL.items() if k != "kinds"}, "kinds": ["one_contact", "written_only"],
        "csrf_token": csrf_token(page)})
    assert posted.status_code == 302
    rid = int(posted.headers["Location"].rsplit("/", 1)[1])
    approvals = Browser(app, "maya").page("/approvals")
    assert "Forty calls in March 2026" in approvals  # the evidence is on the approvals page
    task = decide_task(maya, rid)
    maya.post(f"/tasks/{task['id']}/complete", {"data": {"decision": "reject",
                                                          "reasons": "Not proportionate yet"}})
    assert maya.get(f"/restrictions/{rid}").get_json()["status"] == "rejected"
    assert "rejected" in Browser(app, "maya").page("/approvals")


def test_proposer_cannot_approve_through_the_form_either(api, app, clock):
    from tests.conftest import csrf_token

    maya = api("maya")
    clock(london(2026, 12, 1))
    _, person = complainant_of(maya)
    rid = maya.post(f"/complainants/{person}/restrictions", PROPOSAL).get_json()["id"]
    task_id = decide_task(api("max"), rid)["id"]
    browser = Browser(app, "maya")
    page = browser.page(f"/tasks/{task_id}")
    assert "You cannot complete this task" in page and "proposed" in page
    posted = browser.client.post(f"/tasks/{task_id}", data={"decision": "approve", "reasons": "mine",
                                                            "csrf_token": csrf_token(page)})
    assert posted.status_code == 302 and "Not saved" in browser.page("/")
    assert maya.get(f"/restrictions/{rid}").get_json()["status"] == "proposed"


def test_contact_may_be_restricted_to_one_channel_phone_email_or_letter_never_two(api, clock):
    # seed-002 4.2: "communication is restricted to only one type such as phone, email or letter".
    olivia, maya = api("olivia"), api("maya")
    clock(london(2026, 12, 1))
    _ref, person = complainant_of(olivia)
    two = olivia.post(f"/complainants/{person}/restrictions", {**PROPOSAL, "kinds": ["phone_only", "email_only"]})
    assert two.status_code == 422
    assert two.get_json()["errors"]["kinds"] == ("Choose one way of contacting us, not several: contact by telephone "
                                                 "only and contact by email only.")
    created = olivia.post(f"/complainants/{person}/restrictions", {**PROPOSAL, "kinds": ["one_contact", "email_only"]})
    assert created.status_code == 201
    rid = created.get_json()["id"]
    task = decide_task(maya, rid)
    amended = maya.post(f"/tasks/{task['id']}/complete", {"data": {"decision": "amend", "reasons": "By letter instead",
                                                                   "amended_kinds": ["email_only", "letter_only"]}})
    assert amended.status_code == 422 and "not several" in amended.get_json()["errors"]["amended_kinds"]
    assert maya.post(f"/tasks/{task['id']}/complete", {"data": {"decision": "amend", "reasons": "By letter instead",
                                                                "amended_kinds": ["letter_only"]}}).status_code == 200
    assert maya.get(f"/restrictions/{rid}").get_json()["kinds"] == ["letter_only"]
