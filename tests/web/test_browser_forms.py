"""The same journey through the staff UI's server-rendered forms, with CSRF tokens, as a browser posts them."""

import re

from tests.conftest import ANALYSIS, csrf_token, london


class Browser:
    def __init__(self, app, name):
        self.client = app.test_client()
        page = self.client.get("/login").get_data(as_text=True)
        response = self.client.post("/login", data={"name": name, "password": "complaintflow",
                                                    "csrf_token": csrf_token(page)})
        assert response.status_code == 302, "login failed"

    def page(self, path):
        response = self.client.get(path)
        assert response.status_code == 200, path
        return response.get_data(as_text=True)

    def submit(self, path, data, expect=302, form_on=None):
        """Post `data` to `path` as the form on page `form_on` (by default `path` itself) would, with the page's
        CSRF token and the version of what it edits (its hidden loaded_version, where it has one)."""
        page = self.page(form_on or path)
        loaded = re.search(r'name="loaded_version" value="([^"]*)"', page)
        hidden = {"loaded_version": loaded.group(1)} if loaded else {}
        response = self.client.post(path, data={**hidden, **data, "csrf_token": csrf_token(page)})
        assert response.status_code == expect, response.get_data(as_text=True)[:2000]
        return response

    def task_path(self, title):
        inbox = self.page("/")
        match = re.search(r'href="(/tasks/[0-9a-f-]+)">' + re.escape(title) + "<", inbox)
        assert match, f"{title} not in the inbox"
        return match.group(1)


def test_journey_through_the_browser_forms(app, clock):
    clock(london(2026, 12, 21))
    olivia, max_ = Browser(app, "olivia"), Browser(app, "max")
    logged = olivia.submit("/complaints/new", {"complainant_name": "Dev Resident", "channel": "phone",
                                               "received_at": "2026-12-18", "description": "Leaking roof"})
    complaint_path = logged.headers["Location"]
    page = olivia.page(complaint_path)
    assert "2026-12-29" in page and "Olivia Officer" in page
    assert '<span class="badge">Open</span> <span class="badge">Stage 1</span>' in page  # words, not keys
    assert re.search(r"<td>29 Dec 2026</td>\s*<td>4</td>", page), "4 working days left on 21 December"

    path = olivia.task_path("Triage: accept or refuse")
    triaged = olivia.submit(path, {"triage_decision": "accept"})
    # The officer lands on their next step, not back on the complaint.
    assert triaged.headers["Location"] == olivia.task_path("Acknowledge (Stage 1)")
    history = olivia.page(complaint_path).split("<h3>History</h3>")[-1]
    # The trail in words: who by display name, what the procedure waited on by task and timer name.
    assert "<td>Olivia Officer</td>" in history and "Open tasks: Stage 1 acknowledge" in history
    assert "waiting_timers" not in history and "<td>olivia</td>" not in history
    bad = olivia.submit(olivia.task_path("Acknowledge (Stage 1)"), {"stage1_acknowledged_on": "2026-12-17",
                                                                     "acknowledged_by": "phone",
                                                                     "complaint_definition": "Roof leak",
                                                                     "outcome_sought": ""}, expect=422)
    html = bad.get_data(as_text=True)
    assert "cannot be before the complaint was received" in html and "This field is required." in html
    assert "Roof leak" in html  # what was typed is kept
    olivia.submit(olivia.task_path("Acknowledge (Stage 1)"), {"stage1_acknowledged_on": "2026-12-21",
                                                              "acknowledged_by": "phone",
                                                              "complaint_definition": "Roof leak",
                                                              "outcome_sought": "Repair"})
    olivia.submit(olivia.task_path("Investigate (Stage 1)"), {"investigation_notes": "Roofer visited",
                                                              "stage1_next_step": "respond"})
    olivia.submit(olivia.task_path("Respond (Stage 1)"), {"stage1_responded_on": "2026-12-21",
                                                          **ANALYSIS, "stage1_decision": "upheld",
                                                          "stage1_reasons": "Late repair"})
    escalated = olivia.submit(olivia.task_path("Record escalation or closure"), {"escalate": "yes",
                                                                                 "escalation_requested_on": "2026-12-21"})
    assert escalated.headers["Location"] == "/"  # Stage 2 is a manager's: back to the inbox
    claim_path = max_.task_path("Acknowledge (Stage 2)")
    max_.submit(claim_path, {"stage2_acknowledged_on": "2026-12-21", "stage2_complaint_definition": "Roof",
                             "stage2_outcome_sought": "Compensation", "meeting_offered": "y"})
    max_.submit(max_.task_path("Review (Stage 2)"), {"review_notes": "Checked", "stage2_next_step": "respond"})
    max_.submit(max_.task_path("Final response (Stage 2)"), {"stage2_responded_on": "2026-12-21",
                                                              **ANALYSIS, "stage2_decision": "upheld",
                                                              "stage2_reasons": "Agreed"})
    olivia.submit(olivia.task_path("Close the complaint"), {"ombudsman_route_explained": "y"})
    page = olivia.page(complaint_path)
    assert ">Closed<" in page and "Max Manager" in page


def test_forms_refuse_posts_without_a_csrf_token(app, clock):
    clock(london(2026, 12, 21))
    olivia = Browser(app, "olivia")
    response = olivia.client.post("/complaints/new", data={"complainant_name": "X", "channel": "phone",
                                                           "received_at": "2026-12-18", "description": "Y"})
    assert response.status_code == 400


def test_pages_need_a_login(app):
    client = app.test_client()
    assert client.get("/").status_code == 302
    bad = client.post("/login", data={"name": "olivia", "password": "wrong",
                                      "csrf_token": csrf_token(client.get("/login").get_data(as_text=True))})
    assert "do not match" in bad.get_data(as_text=True)
