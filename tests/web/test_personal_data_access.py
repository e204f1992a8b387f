"""The role × data matrix: every route that returns complainants' personal data (names, contact details, disclosed
vulnerabilities, letters), read by every role of the profile. Case roles and admins read it; a process owner gets
403 and not a byte of it. A route added to the authorization table as CASEWORK must be listed here, and each listed
route must really return personal data to the roles allowed it, so the two lists cannot drift."""

from __future__ import annotations

import io
import re
import subprocess

import openpyxl
import pytest

from service.domain.access import reads_personal_data
from service.use_cases import users
from tests.conftest import london
from tests.web.test_authorization import CASEWORK, EXPECTED, fill, first_user_per_role
from tests.web.test_browser_forms import Browser
from tests.web.test_public_form import post

NAME, EMAIL, HEALTH = "Zephyrine Quill", "zephyrine@example.org", "Uses a hoist, HEALTH-7D1"
ROUTES = sorted(key for key, rule in EXPECTED.items() if rule is CASEWORK and key.startswith("GET "))
# Routes that answer about what is asked for in the query string: what to ask.
QUERIES = {"GET /complaints/new/matches": "?complainant_name=Zephyrine"}


def readable(response) -> str:
    """The response as text: PDFs through pdftotext, spreadsheets cell by cell."""
    kind = response.headers.get("Content-Type", "")
    if kind.startswith("application/pdf"):
        return subprocess.run(["pdftotext", "-", "-"], input=response.data, capture_output=True,
                              check=True).stdout.decode()
    if "spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
        return "\n".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row)
    return response.get_data(as_text=True)


def personal(text: str) -> set[str]:
    """Which of the complainant's details `text` holds."""
    return {marker for marker in (NAME, EMAIL, HEALTH) if marker in text}


@pytest.fixture
def world(app, api, ctx, clock):
    """One complaint from the public form with a disclosed vulnerability, acknowledged (a letter), a contact
    restriction on the person approved, and a compliment from them; the URL parameters that name each."""
    clock(london(2026, 12, 1, 11))
    page = post(app.test_client(), {"name": NAME, "email": EMAIL, "description": "Damp", "outcome_sought": "Fix",
                                    "vulnerabilities": HEALTH}).get_data(as_text=True)
    reference = re.search(r'id="reference">([^<]+)<', page).group(1)
    officer = api("olivia")
    officer.complete(reference, "triage", {"triage_decision": "accept"})
    officer.complete(reference, "stage1_acknowledge", {"complaint_definition": "Damp", "outcome_sought": "Fix"})
    complaint = officer.get(f"/complaints/{reference}").get_json()
    person = complaint["complainant"]["id"]
    restriction = officer.post(f"/complainants/{person}/restrictions", {
        "kinds": ["written_only"], "behaviour": "b", "evidence": "e", "reasons": "r",
        "equality_considerations": "none", "review_on": "2027-03-01"})
    assert restriction.status_code == 201, restriction.get_json()
    maya = api("maya")
    [decide] = [t for t in maya.get("/tasks").get_json() if t["restriction_id"] == restriction.get_json()["id"]]
    assert maya.post(f"/tasks/{decide['id']}/complete", {"data": {"decision": "approve",
                                                                   "reasons": "Proportionate"}}).status_code == 200
    [letter] = officer.get(f"/complaints/{reference}/correspondence").get_json()
    Browser(app, "olivia").submit("/compliments", {"from_name": NAME, "channel": "letter", "received_on": "2026-11-30",
                                                   "about_staff": "owen", "description": "Thank you"})
    # A file the resident added on their own page: a letter of theirs, naming them.
    from sqlalchemy import select

    from service.outbound import pdf as pdf_renderer
    from service.persistence.models import Complaint
    from service.use_cases import evidence

    with ctx.uow() as uow:
        complaint_id = uow.session.scalar(select(Complaint.id).where(Complaint.reference == reference))
    evidence.add(ctx, complaint_id, "my letter.pdf", pdf_renderer.render(f"<p>From {NAME}</p>"))
    [added] = officer.get(f"/complaints/{reference}").get_json()["evidence"]
    return {"reference": reference, "complainant_id": person, "restriction_id": restriction.get_json()["id"],
            "evidence_id": added["id"],
            "correspondence_id": letter["id"], "task_id": officer.task(reference, "stage1_investigate")["id"],
            "kind": "csv"}


@pytest.mark.parametrize("route", ROUTES)
def test_personal_data_matrix(app, ctx, world, route):
    method, pattern = route.split(" ", 1)
    kinds = ["csv", "xlsx"] if "<any(csv, xlsx):kind>" in pattern else ["csv"]
    people = first_user_per_role(ctx)
    for kind in kinds:
        path = fill(pattern, {**world, "kind": kind}) + QUERIES.get(route, "")
        for role, name in people.items():
            if pattern.startswith("/api/v1/"):
                token = users.issue_token(ctx, name)
                response = app.test_client().get(path, headers={"Authorization": f"Bearer {token}"})
            else:
                response = Browser(app, name).client.get(path)
            text = readable(response) if response.status_code == 200 else response.get_data(as_text=True)
            if reads_personal_data(role):
                assert response.status_code == 200, (route, role, response.status_code)
                assert personal(text), f"{route} as {role}: returns none of the complainant's details"
            else:
                assert response.status_code == 403, (route, role, response.status_code)
                assert not personal(text), (route, role)
                assert "Process owners see the procedure" in text
