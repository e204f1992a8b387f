"""Who may reach what: every rule of the app's URL map against every staff role of the active profile and
anonymous visitors, checked against ONE table of expectations; then the per-object rules (a task not offered to
you cannot be completed; an officer cannot approve a contact restriction).

A new route fails `test_every_route_is_in_the_table` until a line for it is added to EXPECTED below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.domain import access as access_rules
from service.use_cases import correspondence, queries, users
from service.use_cases.context import AppContext
from tests.conftest import csrf_token, london
from tests.web.test_browser_forms import Browser

EVERY_ROLE = "every staff role"
MANAGER = "the profile's Stage 2 role"  # `manager` in code-2024, `senior_manager` in seed-002…
CASE_ROLES = "every role that may read the people in complaints"  # all but process_owner (service.domain.access)


@dataclass(frozen=True)
class Access:
    """Who may pass a route's authorization: staff roles (names, EVERY_ROLE or MANAGER), and anonymous visitors."""

    roles: frozenset[str]
    anonymous: bool = False


PUBLIC = Access(frozenset({EVERY_ROLE}), anonymous=True)
STAFF = Access(frozenset({EVERY_ROLE}))
CASEWORK = Access(frozenset({CASE_ROLES}))  # personal data: test_personal_data_matrix reads what each returns
CASE_ENTRY = Access(frozenset({CASE_ROLES}))  # case work that shows no one's data yet (logging a complaint)
MANAGERS = Access(frozenset({MANAGER}))
MANAGERS_AND_ADMINS = Access(frozenset({MANAGER, "admin"}))
LINTERS = Access(frozenset({MANAGER, "process_owner", "admin"}))
EDITORS = Access(frozenset({"process_owner", "admin"}))
ADMINS = Access(frozenset({"admin"}))

# One line per method and URL rule, as `app.url_map` spells the rule. STAFF on an action means any signed-in
# member of staff reaches the view; where the object decides (whose task, whose learning action) the use case
# refuses, and the tests below prove it.
EXPECTED: dict[str, Access] = {
    # No sign-in: residents, load balancers, assets, the API's description.
    "GET /login": PUBLIC,
    "POST /login": PUBLIC,
    "POST /logout": PUBLIC,  # signed in or not, it ends at the login page
    "GET /complain": PUBLIC,
    "POST /complain": PUBLIC,
    "GET /complain/confirm/<token>": PUBLIC,
    "GET /my-complaint": PUBLIC,
    "POST /my-complaint": PUBLIC,
    "GET /my-complaint/<token>": PUBLIC,
    "POST /my-complaint/<token>/escalate": PUBLIC,
    "POST /my-complaint/<token>/withdraw": PUBLIC,
    "GET /my-complaint/<token>/letters/<int:correspondence_id>.pdf": PUBLIC,
    "POST /my-complaint/<token>/evidence": PUBLIC,
    "POST /my-complaint/<token>/adjustments": PUBLIC,
    "GET /compliment": PUBLIC,
    "GET /logo": PUBLIC,
    "POST /compliment": PUBLIC,
    "POST /complain/confirm/<token>": PUBLIC,
    "GET /healthz": PUBLIC,
    "GET /static/<path:filename>": PUBLIC,
    "GET /editor-static/<path:filename>": PUBLIC,
    "GET /assets/bpmn-js/<path:filename>": PUBLIC,
    "GET /assets/minimap/<path:filename>": PUBLIC,
    "GET /api/v1/openapi.json": PUBLIC,
    # Staff UI: inbox, complaints, tasks.
    "GET /": STAFF,
    "GET /team": MANAGERS,
    "GET /processes/lint": LINTERS,
    "GET /complaints": CASEWORK,
    "GET /complaints/new": CASE_ENTRY,
    "POST /complaints/new": CASE_ENTRY,
    "GET /complaints/new/matches": CASEWORK,  # people on record who match what is typed
    "GET /complaints/<reference>": CASEWORK,
    "GET /complaints/<reference>/case-file": CASEWORK,
    "GET /complaints/<reference>/evidence/<int:evidence_id>": CASEWORK,
    "POST /complaints/<reference>/withdraw": CASEWORK,
    "POST /complaints/<reference>/tenure": CASEWORK,
    "POST /complaints/<reference>/records": STAFF,
    "POST /complaints/<reference>/ombudsman": STAFF,
    "POST /complaints/<reference>/remedies": STAFF,
    "GET /tasks/<task_id>": CASEWORK,
    "POST /tasks/<task_id>": STAFF,  # whose task it is: test_a_task_not_offered_to_you_cannot_be_completed
    "POST /tasks/<task_id>/claim": STAFF,
    "POST /tasks/<task_id>/reassign": MANAGERS,
    # Contact restrictions (deciding one is a task: test_an_officer_cannot_approve_a_restriction).
    "GET /complainants/<int:complainant_id>": CASEWORK,
    "GET /complainants/<int:complainant_id>/restrictions/new": CASEWORK,
    "POST /complainants/<int:complainant_id>/restrictions/new": CASEWORK,
    "GET /restrictions/<int:restriction_id>": CASEWORK,
    "GET /approvals": CASEWORK,
    # Correspondence and the letters admin.
    "POST /complaints/<reference>/correspondence": STAFF,
    "GET /correspondence/<int:correspondence_id>.pdf": CASEWORK,
    "GET /letters": STAFF,
    "GET /letters/<key>": STAFF,
    "POST /letters/<key>": ADMINS,
    # Reports, learning and compliments.
    "GET /reports/register": CASEWORK,
    "GET /reports/register.<any(csv, xlsx):kind>": CASEWORK,
    "GET /reports/dashboard": STAFF,
    "GET /reports/tsm": STAFF,
    "POST /reports/homes": MANAGERS_AND_ADMINS,
    "GET /reports/self-assessment": STAFF,
    "POST /reports/self-assessment": MANAGERS_AND_ADMINS,
    "GET /reports/compensation-review": MANAGERS_AND_ADMINS,  # its reviewers: the Stage 2 role here
    "POST /reports/compensation-review": MANAGERS,
    "GET /reports/self-assessment.<any(xlsx, pdf):kind>": STAFF,
    "GET /reports/annual-<int:year>.pdf": STAFF,
    "GET /reports/half-year-<int:year>-<int:half>.pdf": STAFF,
    "GET /reports/quarter-<int:year>-<int:quarter>.pdf": STAFF,  # published: counts only
    "GET /learning": STAFF,
    "POST /learning": STAFF,
    "POST /complaints/<reference>/learning": STAFF,
    "POST /learning/<int:action_id>/done": STAFF,  # then only its owner or a manager (the use case)
    "GET /compliments": CASEWORK,
    "POST /compliments": STAFF,
    "POST /compliments/<int:compliment_id>/acknowledged": STAFF,
    # The process editor: everyone looks, editors change.
    "GET /processes": STAFF,
    "GET /processes/<process_id>": STAFF,
    "GET /processes/<process_id>/modeler": STAFF,
    "GET /processes/<process_id>/versions/<int:number>.bpmn": STAFF,
    "GET /processes/<process_id>/versions/<int:number>/migration": STAFF,
    "POST /processes/<process_id>/drafts": EDITORS,
    "POST /processes/<process_id>/versions/<int:number>/deploy": EDITORS,
    "GET /processes/<process_id>/versions/<int:number>/deploy": EDITORS,
    "POST /processes/<process_id>/versions/<int:number>/migration": EDITORS,
    "POST /migrations/<int:migration_id>/revert": EDITORS,
    "GET /forms": STAFF,
    "GET /forms/new": STAFF,
    "POST /forms/new": EDITORS,
    "GET /forms/<name>/edit": STAFF,
    "POST /forms/<name>/edit": EDITORS,
    "POST /forms/preview": STAFF,
    # The JSON API (bearer tokens).
    "POST /api/v1/complaints": STAFF,
    "GET /api/v1/complaints/<reference>": CASEWORK,
    "GET /api/v1/complaints/<reference>/correspondence": CASEWORK,
    "POST /api/v1/complaints/<reference>/withdraw": CASEWORK,
    "GET /api/v1/correspondence/<int:correspondence_id>/document": CASEWORK,
    "POST /api/v1/complainants/<int:complainant_id>/restrictions": STAFF,
    "GET /api/v1/restrictions/<int:restriction_id>": CASEWORK,
    "GET /api/v1/tasks": STAFF,
    "GET /api/v1/tasks/<task_id>": STAFF,
    "POST /api/v1/tasks/<task_id>/complete": STAFF,  # whose task it is: the use case
    "GET /api/v1/reports/dashboard": STAFF,
    "GET /api/v1/reports/register.<any(csv, xlsx):kind>": CASEWORK,
    "GET /api/v1/reports/tsm": STAFF,
    "GET /api/v1/reports/tsm/working": STAFF,
    "GET /api/v1/processes": STAFF,
    "GET /api/v1/processes/<process_id>/versions/<int:number>": STAFF,
    "GET /api/v1/processes/<process_id>/versions/<int:number>/migration": STAFF,
    "POST /api/v1/processes/<process_id>/versions": EDITORS,
    "POST /api/v1/processes/<process_id>/versions/<int:number>/deploy": EDITORS,
    "POST /api/v1/processes/<process_id>/versions/<int:number>/migration": EDITORS,
    "POST /api/v1/migrations/<int:migration_id>/revert": EDITORS,
    "POST /api/v1/processes/<process_id>/versions/<int:number>/replays": EDITORS,
    "GET /api/v1/replays/<int:run_id>": STAFF,
    "GET /api/v1/replays/<int:run_id>/complaints/<reference>": STAFF,
    "GET /api/v1/replays/<int:run_id>/complaints.csv": STAFF,
    "POST /processes/<process_id>/versions/<int:number>/replays": EDITORS,
    "GET /replays/<int:run_id>": STAFF,
    "GET /processes/<process_id>/versions/<int:number>/heat.json": STAFF,
    "GET /processes/<process_id>/versions/<int:number>/elements/<element>": STAFF,
    "GET /replays/<int:run_id>/complaints/<reference>": STAFF,
    "GET /replays/<int:run_id>/complaints.csv": STAFF,
    "DELETE /api/v1/tokens/current": STAFF,
    # audit trail and personal data
    "GET /audit": MANAGERS_AND_ADMINS,
    "GET /complainants/<int:complainant_id>/export.zip": MANAGERS_AND_ADMINS,
    "GET /complaints/<reference>/case-file.zip": MANAGERS_AND_ADMINS,
    "POST /complainants/<int:complainant_id>/erase": ADMINS,
}

# Cells that end the caller's own session or token: each is sent with credentials of its own.
ENDS_CREDENTIALS = {"POST /logout", "DELETE /api/v1/tokens/current"}
# Path parameters only one rule has (a file that exists, or a made-up one where the folder is absent).
RULE_PARAMS = {
    "/static/<path:filename>": {"filename": "no-such-file.css"},
    "/editor-static/<path:filename>": {"filename": "modeler.js"},
    "/assets/bpmn-js/<path:filename>": {"filename": "bpmn-modeler.production.min.js"},
    "/assets/minimap/<path:filename>": {"filename": "dist/diagram-minimap.umd.prod.js"},
    # Refused by the view (400) after authorization, short of a PDF render that takes seconds: test_reports
    # renders these reports.
    "/reports/annual-<int:year>.pdf": {"year": 1999},
    "/complain/confirm/<token>": {"token": "not-a-signed-link"},  # refused (400) after authorization
    "/my-complaint/<token>": {"token": "not-a-signed-link"},
    "/my-complaint/<token>/escalate": {"token": "not-a-signed-link"},
    "/my-complaint/<token>/withdraw": {"token": "not-a-signed-link"},
    "/my-complaint/<token>/letters/<int:correspondence_id>.pdf": {"token": "not-a-signed-link"},
    "/my-complaint/<token>/evidence": {"token": "not-a-signed-link"},
    "/my-complaint/<token>/adjustments": {"token": "not-a-signed-link"},
    "/reports/half-year-<int:year>-<int:half>.pdf": {"half": 3},
    "/reports/quarter-<int:year>-<int:quarter>.pdf": {"quarter": 5},
    "/reports/self-assessment.<any(xlsx, pdf):kind>": {"kind": "xlsx"},  # the quick one of the two
}
UNKNOWN_ID = 999_999  # for objects whose rules depend on who owns them (learning actions) or that are costly


def served_rules(app: Flask) -> dict[str, Any]:
    """Every `METHOD rule` the app serves (HEAD and OPTIONS aside), with its werkzeug Rule."""
    return {f"{method} {rule.rule}": rule for rule in app.url_map.iter_rules()
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"})}


def table_problems(app: Flask) -> list[str]:
    """Rules missing from EXPECTED and EXPECTED lines that match no rule."""
    served = served_rules(app)
    return ([f"route not in the authorization table: {key} (endpoint {served[key].endpoint})"
             for key in sorted(served.keys() - EXPECTED.keys())]
            + [f"table line with no such route: {key}" for key in sorted(EXPECTED.keys() - served.keys())])


def test_every_route_is_in_the_table(app):
    problems = table_problems(app)
    assert not problems, "\n".join(problems)


def allowed_roles(access: Access, ctx: AppContext) -> set[str]:
    """The profile's role names an Access lets in."""
    if EVERY_ROLE in access.roles:
        return set(ctx.policy.roles)
    if CASE_ROLES in access.roles:
        return {role for role in ctx.policy.roles if access_rules.reads_personal_data(role)}
    return {ctx.manager_role if role == MANAGER else role for role in access.roles}


def fill(rule: str, params: dict[str, Any]) -> str:
    """The rule with each `<converter:name>` replaced by params[name]."""
    values = {**params, **RULE_PARAMS.get(rule, {})}
    return re.sub(r"<(?:[^:<>]+:)?(\w+)>", lambda m: str(values[m.group(1)]), rule)


def outcome(response: Any) -> str:
    """`unauthorized` (401), `forbidden` (403), `login` (sent to sign in), else `passed`."""
    if response.status_code == 401:
        return "unauthorized"
    if response.status_code == 403:
        return "forbidden"
    if response.status_code in (301, 302, 303, 307, 308):
        target = urlparse(response.headers.get("Location", ""))
        if target.path == "/login" and "next" in parse_qs(target.query):
            return "login"
    return "passed"


def first_user_per_role(ctx: AppContext) -> dict[str, str]:
    """One demo user (their name) for every role of the active profile."""
    chosen: dict[str, str] = {}
    for name, _, role, _ in users.demo_users(ctx):
        chosen.setdefault(role, name)
    assert set(chosen) == set(ctx.policy.roles), "every role needs a demo user"
    return chosen


def signed_in(app: Flask, name: str) -> FlaskClient:
    """A client with a real session for `name` (CSRF is off in the matrix app)."""
    client = app.test_client()
    response = client.post("/login", data={"name": name, "password": users.DEMO_PASSWORD})
    assert response.status_code == 302 and urlparse(response.headers["Location"]).path == "/", f"{name} not signed in"
    return client


def real_objects(app: Flask, ctx: AppContext, officer: str) -> dict[str, Any]:
    """URL parameters naming real objects, so that allowed cells reach their view's work."""
    client = app.test_client()
    bearer = {"Authorization": f"Bearer {users.issue_token(ctx, officer)}"}
    logged = client.post("/api/v1/complaints", headers=bearer, json={
        "complainant": {"name": "Pat Matrix"}, "channel": "phone", "received_at": "2026-12-01",
        "description": "Leaking roof"})
    assert logged.status_code == 201, logged.get_json()
    complaint = logged.get_json()
    person = complaint["complainant"]["id"]
    restriction = client.post(f"/api/v1/complainants/{person}/restrictions", headers=bearer, json={
        "kinds": ["written_only"], "behaviour": "b", "evidence": "e", "reasons": "r",
        "equality_considerations": "none", "review_on": "2027-03-01"})
    assert restriction.status_code == 201, restriction.get_json()
    actor = users.actor_for_token(ctx, bearer["Authorization"].split()[1])
    assert actor is not None
    # A call in the correspondence log: a real row, whose PDF routes answer 404 (it is not a letter).
    call = correspondence.record_contact(ctx, complaint["reference"], {
        "kind": "call", "channel": "phone", "direction": "in", "summary": "Rang about the roof"}, actor)
    process_id = ctx.policy.params["process"]
    versions = client.get("/api/v1/processes", headers=bearer).get_json()["processes"]
    live = next(v["version"] for p in versions if p["id"] == process_id for v in p["versions"] if v["state"] == "live")
    return {"reference": complaint["reference"], "task_id": complaint["open_tasks"][0]["id"],
            "complainant_id": person, "restriction_id": restriction.get_json()["id"], "correspondence_id": call,
            "process_id": process_id, "number": live, "key": "acknowledgement", "name": "no_such_form",
            "migration_id": UNKNOWN_ID, "compliment_id": UNKNOWN_ID, "run_id": UNKNOWN_ID,
            "element": "triage", "action_id": UNKNOWN_ID, "evidence_id": UNKNOWN_ID,
            "year": 2026, "half": 1, "kind": "csv"}


def send(client: FlaskClient, method: str, path: str, token: str | None) -> Any:
    """One request with an empty body; `token` as the bearer for the API."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.open(path, method=method, headers=headers, data={} if method == "POST" else None)


# seed-002 and seed-000 add roles of their own (the Performance Improvement Team; the Customer Excellence Leader).
@pytest.mark.parametrize("profile", ["code-2024", "seed-002", "seed-000"])
def test_authorization_matrix(app, ctx, clock, profile):
    # Empty POSTs reach the views: CSRF is tested on its own (test_security.py); limits are not authorization.
    app.config.update(WTF_CSRF_ENABLED=False, LOGIN_LIMIT=10_000, PUBLIC_FORM_LIMIT=10_000)
    clock(london(2026, 12, 1, 11))
    people = first_user_per_role(ctx)
    params = real_objects(app, ctx, people[ctx.policy.stage_role("1")])
    sessions = {role: signed_in(app, name) for role, name in people.items()}
    tokens = {role: users.issue_token(ctx, name) for role, name in people.items()}
    anonymous = app.test_client()

    failures, cells = [], 0
    for key, rule in sorted(served_rules(app).items()):
        if key not in EXPECTED:
            continue  # named by table_problems below; every other cell is still checked
        method, pattern = key.split(" ", 1)
        path, api = fill(pattern, params), pattern.startswith("/api/v1/")
        allowed = allowed_roles(EXPECTED[key], ctx)
        for role in [*ctx.policy.roles, None]:
            if role is None:
                client, token, expect_in = anonymous, None, EXPECTED[key].anonymous
                refusal = "unauthorized" if api else "login"
            elif api:
                own = users.issue_token(ctx, people[role]) if key in ENDS_CREDENTIALS else tokens[role]
                client, token, expect_in, refusal = anonymous, own, role in allowed, "forbidden"
            else:
                client = signed_in(app, people[role]) if key in ENDS_CREDENTIALS else sessions[role]
                token, expect_in, refusal = None, role in allowed, "forbidden"
            response = send(client, method, path, token)
            response.get_data()  # streamed exports run to the end inside their own request
            response.close()
            if key == "POST /logout" and role:
                sessions[role] = signed_in(app, people[role])  # signing out ended every session of theirs
            cells += 1
            got = outcome(response)
            who = role or "anonymous"
            if expect_in and (got != "passed" or response.status_code in (405, 500)):
                failures.append(f"{key} [{rule.endpoint}] as {who}: expected to pass, got {response.status_code} "
                                f"{response.headers.get('Location', '')}")
            elif not expect_in and got != refusal:
                failures.append(f"{key} [{rule.endpoint}] as {who}: expected {refusal}, got {response.status_code} "
                                f"{response.headers.get('Location', '')}")
    print(f"authorization matrix ({profile}): {cells} cells = {cells // (len(ctx.policy.roles) + 1)} method-rules x "
          f"({len(ctx.policy.roles)} roles + anonymous)")
    problems = table_problems(app)
    assert not problems and not failures, "\n".join(
        [*problems, f"{len(failures)} of {cells} cells wrong:", *failures])
    assert cells == len(served_rules(app)) * (len(ctx.policy.roles) + 1)


# --- Object level: who may complete this task ----------------------------------------------------------------

PROPOSAL = {"kinds": ["written_only"], "behaviour": "Forty calls in March", "evidence": "Call log",
            "reasons": "Other residents' calls went unanswered", "equality_considerations": "None disclosed",
            "review_on": "2027-03-01"}


def open_task(api: Any, name: str, **match: Any) -> dict[str, Any]:
    """The one open task `name` a client sees in its own list (matching `match` fields)."""
    found = [t for t in api.get("/tasks").get_json() if t["name"] == name
             and all(t[k] == v for k, v in match.items())]
    assert len(found) == 1, found
    return found[0]


def still_ready(ctx: AppContext, task_id: str) -> bool:
    """Whether the task is still waiting to be done (nothing was completed)."""
    return queries.find_task_or_404(ctx, task_id).status == "ready"


def test_a_task_not_offered_to_you_cannot_be_completed(app, api, ctx, clock):
    clock(london(2026, 12, 1, 11))
    olivia, owen, maya = api("olivia"), api("owen"), api("maya")
    ref = olivia.post("/complaints", {"complainant": {"name": "Pat"}, "channel": "phone",
                                      "received_at": "2026-12-01", "description": "Damp"}).get_json()["reference"]
    triage = olivia.task(ref, "triage")  # olivia logged it, so she handles Stage 1: the task is hers
    assert triage["assignee"] == "olivia"
    assert ref not in {t["complaint_reference"] for t in owen.get("/tasks").get_json()}

    refused = owen.post(f"/tasks/{triage['id']}/complete", {"data": {"triage_decision": "accept"}})
    assert refused.status_code == 403
    assert refused.get_json() == {"error": "forbidden", "message": "this task is assigned to someone else"}
    assert maya.post(f"/tasks/{triage['id']}/complete", {"data": {"triage_decision": "accept"}}).status_code == 403

    # The same through the HTML form: nothing saved, and the reason shown.
    owen_browser = Browser(app, "owen")
    page = owen_browser.page(f"/tasks/{triage['id']}")
    posted = owen_browser.client.post(f"/tasks/{triage['id']}", data={"triage_decision": "accept",
                                                                       "csrf_token": csrf_token(page)})
    assert posted.status_code == 302 and posted.headers["Location"] == "/"
    assert "Not saved: this task is assigned to someone else." in owen_browser.page("/")
    claimed = owen_browser.client.post(f"/tasks/{triage['id']}/claim", data={"csrf_token": csrf_token(page)})
    assert claimed.status_code == 302 and "Could not claim" in owen_browser.page("/")
    assert still_ready(ctx, triage["id"]) and olivia.task(ref, "triage")["assignee"] == "olivia"

    olivia.complete(ref, "triage", {"triage_decision": "accept"})
    again = olivia.post(f"/tasks/{triage['id']}/complete", {"data": {"triage_decision": "accept"}})
    assert again.status_code == 409 and "no longer ready" in again.get_json()["message"]


def test_an_officer_cannot_approve_a_restriction(app, api, ctx, clock):
    clock(london(2026, 12, 1, 11))
    olivia, owen, maya, max_ = api("olivia"), api("owen"), api("maya"), api("max")
    ref = olivia.post("/complaints", {"complainant": {"name": "Pat"}, "channel": "phone",
                                      "received_at": "2026-12-01", "description": "Calls"}).get_json()["reference"]
    person = olivia.get(f"/complaints/{ref}").get_json()["complainant"]["id"]
    rid = olivia.post(f"/complainants/{person}/restrictions", PROPOSAL).get_json()["id"]
    decide = open_task(maya, "decide_restriction", restriction_id=rid)
    assert decide["assignee"] is None and decide["roles"] == ["manager"]
    approve = {"decision": "approve", "reasons": "Proportionate"}

    # Neither the proposer nor another officer: the decision is offered to managers only.
    for officer in (olivia, owen):
        refused = officer.post(f"/tasks/{decide['id']}/complete", {"data": approve})
        assert refused.status_code == 403
        assert refused.get_json()["message"] == "this task is for the manager role"
    owen_browser = Browser(app, "owen")
    token = csrf_token(owen_browser.page(f"/tasks/{decide['id']}"))
    posted = owen_browser.client.post(f"/tasks/{decide['id']}", data={**approve, "csrf_token": token})
    assert posted.status_code == 302
    assert "Not saved: this task is for the manager role." in owen_browser.page("/")
    assert still_ready(ctx, decide["id"]) and maya.get(f"/restrictions/{rid}").get_json()["status"] == "proposed"

    # A manager who proposes one cannot decide it either; another manager can.
    mine = maya.post(f"/complainants/{person}/restrictions", PROPOSAL).get_json()["id"]
    own = open_task(max_, "decide_restriction", restriction_id=mine)
    refused = maya.post(f"/tasks/{own['id']}/complete", {"data": approve})
    assert refused.status_code == 403 and refused.get_json()["message"] == "whoever proposed a restriction cannot decide on it"
    assert max_.post(f"/tasks/{own['id']}/complete", {"data": approve}).status_code == 200
    assert max_.get(f"/restrictions/{mine}").get_json()["status"] == "active"
