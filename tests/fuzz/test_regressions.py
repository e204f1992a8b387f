"""Each input the fuzz tests found answered with a 5xx, sent again on its own: each now gets a 4xx that says what
was wrong and where (or, for the export, the file)."""

from __future__ import annotations

import io
import json
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from tests.conftest import csrf_token
from tests.fuzz.conftest import DAY, STEPS, Session, bearer

COMPLAINT = {"complainant": {"name": "Ada Resident", "phone": "0115 000 0000"}, "channel": "phone",
             "received_at": DAY, "description": "Damp"}


def log(client: FlaskClient, token: str, **changes: Any) -> Any:
    return client.post("/api/v1/complaints", headers=bearer(token), json={**COMPLAINT, **changes})


def walk_to(client: FlaskClient, tokens: dict[str, str], step: str) -> str:
    """A new complaint taken through STEPS up to `step`; the id of its task `step`."""
    reference = log(client, tokens["olivia"]).get_json()["reference"]
    for worker, name, data in STEPS:
        task = next(t for t in client.get("/api/v1/tasks", headers=bearer(tokens[worker])).get_json()
                    if t["complaint_reference"] == reference and t["name"] == name)
        if name == step:
            return str(task["id"])
        assert client.post(f"/api/v1/tasks/{task['id']}/complete", headers=bearer(tokens[worker]),
                           json={"data": data}).status_code == 200
    raise AssertionError(f"no step {step}")


IDS_PAST_THE_RANGE = ["/api/v1/restrictions/155354945857004994560",
                      "/api/v1/processes/complaint/versions/13417635307097882624/deploy",
                      "/api/v1/correspondence/101673395055137570816/document"]


def test_an_id_past_the_integer_range_is_not_found(fuzz_app: Flask, tokens: dict[str, str]) -> None:
    # Was: OverflowError (SQLite) / DataError (PostgreSQL) from the query.
    for path in IDS_PAST_THE_RANGE:
        method = "POST" if path.endswith("deploy") else "GET"
        response = fuzz_app.test_client().open(path, method=method, headers=bearer(tokens["adam"]))
        assert response.status_code == 404 and response.get_json()["error"] == "not_found", path


def test_a_moment_outside_the_calendar_in_utc_is_invalid(fuzz_app: Flask, tokens: dict[str, str]) -> None:
    # Was: OverflowError converting to UTC in forms/log_complaint.parse_received.
    for received_at in ("0001-01-01T00:00+00:01", "9999-12-31T23:59-00:01"):
        response = log(fuzz_app.test_client(), tokens["olivia"], received_at=received_at)
        assert response.status_code == 422
        assert "YYYY-MM-DD" in response.get_json()["errors"]["received_at"]


NEEDED_DATES = [
    ("stage1_investigate", {"investigation_notes": "x", "stage1_next_step": "extend", "stage1_extension_reasons": "Survey"},
     "stage1_extended_to", "Give the new response date."),
    ("escalation", {"escalate": "yes"}, "escalation_requested_on", "Give the date the resident asked to escalate."),
]


def test_a_date_needed_by_another_answer_is_required(fuzz_app: Flask, tokens: dict[str, str]) -> None:
    # Was: the blank date passed validation (Optional() stopped its check) and the procedure failed on it
    # (WorkflowTaskException evaluating reminder_time(stage1_response_due, ...)).
    client = fuzz_app.test_client()
    for step, data, field, message in NEEDED_DATES:
        task_id = walk_to(client, tokens, step)
        response = client.post(f"/api/v1/tasks/{task_id}/complete", headers=bearer(tokens["olivia"]),
                               json={"data": data})
        assert response.status_code == 422 and response.get_json()["errors"] == {field: message}


UNSTORABLE_JSON = [
    (json.dumps({**COMPLAINT, "description": "a\x00b"}), "description", "a NUL character (U+0000)"),
    (json.dumps({**COMPLAINT, "description": "a\ud800b"}), "description", "an unpaired surrogate (U+D800)"),
    (json.dumps({**COMPLAINT, "complainant": {"name": "x\x00"}}), "complainant.name", "a NUL character"),
    ("[" * 50_000, "body", "nested more than 32 levels deep"),
    (json.dumps({"a": json.loads("[" * 40 + "]" * 40)}), "a" + "[0]" * 32, "nested more than 32 levels deep"),
]


def test_json_that_cannot_be_stored_or_parsed_is_refused_with_its_place(fuzz_app: Flask,
                                                                         tokens: dict[str, str]) -> None:
    # Was: DataError (PostgreSQL cannot store NUL), UnicodeEncodeError (a lone surrogate on either database),
    # RecursionError (the JSON parser).
    for body, where, problem in UNSTORABLE_JSON:
        response = fuzz_app.test_client().post("/api/v1/complaints", data=body, content_type="application/json",
                                               headers=bearer(tokens["olivia"]))
        assert response.status_code == 422, response.get_data()[:300]
        errors = response.get_json()["errors"]
        assert list(errors) == [where] and problem in errors[where], errors


def test_nul_in_a_form_a_path_or_a_query_is_refused_with_its_place(fuzz_app: Flask, tokens: dict[str, str],
                                                                   sessions: dict[str, Session]) -> None:
    # Was: DataError on PostgreSQL, wherever the text reached a query.
    resident = fuzz_app.test_client()
    token = csrf_token(resident.get("/complain").get_data(as_text=True))
    public = resident.post("/complain", data={"name": "Rita\x00", "email": "rita@example.org", "description": "Damp",
                                              "csrf_token": token})
    assert public.status_code == 422 and "name: contains a NUL character" in public.get_data(as_text=True)
    signing_in = resident.post("/login", data={"name": "olivia\x00", "password": "x", "csrf_token": token})
    assert signing_in.status_code == 422 and "name: contains a NUL character" in signing_in.get_data(as_text=True)
    officer = sessions["olivia"]
    page = officer.client.post("/complaints/new", data={"csrf_token": officer.csrf, "complainant_name": "Rita\x00"})
    assert page.status_code == 422 and "complainant_name: contains a NUL character" in page.get_data(as_text=True)
    client = fuzz_app.test_client()
    path = client.get("/api/v1/complaints/CF%00", headers=bearer(tokens["olivia"]))
    assert path.status_code == 422 and "path reference" in path.get_json()["errors"]
    query = client.get("/api/v1/reports/register.csv?q=%00", headers=bearer(tokens["olivia"]))
    assert query.status_code == 422 and "query q" in query.get_json()["errors"]


def test_report_pages_refuse_an_unknown_figure_or_year_with_400(fuzz_app: Flask, tokens: dict[str, str],
                                                                sessions: dict[str, Session]) -> None:
    # Was: Invalid from reports.working() uncaught on /reports/tsm?working=…; ValueError from int("²").
    manager = sessions["max"].client
    unknown = manager.get("/reports/tsm?working=nonsense")
    assert unknown.status_code == 400 and "figure: one of" in unknown.get_data(as_text=True)
    assert manager.get("/reports/tsm?year=%C2%B2").status_code == 400
    api = fuzz_app.test_client().get("/api/v1/reports/tsm?year=%C2%B2", headers=bearer(tokens["max"]))
    assert api.status_code == 422 and "year" in api.get_json()["errors"]  # the API's schema refuses it


def test_the_audit_trail_refuses_an_id_past_the_integer_range(sessions: dict[str, Session]) -> None:
    # Was: OverflowError / DataError from the query with before=99999999999999999999.
    for query in ("before=99999999999999999999", "person=99999999999999999999", "person=%C2%B2"):
        response = sessions["adam"].client.get(f"/audit?{query}")
        assert response.status_code == 400 and "whole numbers" in response.get_data(as_text=True)


def test_staff_pages_refuse_numbers_past_what_the_database_holds(sessions: dict[str, Session]) -> None:
    # Was: OverflowError (SQLite) / DataError "integer out of range" (PostgreSQL) from the query or insert, and
    # ValueError "year 99999 is out of range" building the annual report's dates.
    manager, admin = sessions["max"], sessions["adam"]
    modeler = admin.client.get("/processes/complaint/modeler?version=99999999999999999999")
    assert modeler.status_code == 404 and "no version 99999999999999999999" in modeler.get_data(as_text=True)
    for path in ("/reports/self-assessment?year=99999999999999999999", "/reports/annual-99999.pdf"):
        response = manager.client.get(path)
        assert response.status_code == 400 and "Give the year the reporting year starts" in response.get_data(as_text=True)
    cursor = manager.client.get("/reports/register?after=2027-01-01_99999999999999999999")
    assert cursor.status_code == 400 and "Not a page of this register" in cursor.get_data(as_text=True)
    homes = manager.client.post("/reports/homes", data={"csrf_token": manager.csrf, "year": "2026",
                                                        "low_cost_rental": "99999999999999999999"},
                                follow_redirects=True)
    assert homes.status_code == 200 and "Numbers of homes are at most 10,000,000" in homes.get_data(as_text=True)


def test_the_excel_register_leaves_out_characters_excel_cannot_hold(fuzz_app: Flask, tokens: dict[str, str]) -> None:
    # Was: openpyxl's IllegalCharacterError for the whole export once any complaint held a control character.
    client = fuzz_app.test_client()
    assert log(client, tokens["olivia"], complainant={"name": "Rita\x05 \x1bResident"}).status_code == 201
    response = client.get("/api/v1/reports/register.xlsx", headers=bearer(tokens["olivia"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet is not None
    assert "Rita Resident" in [cell.value for cell in sheet[2]]


def test_a_remedy_amount_that_is_not_a_number_is_refused(fuzz_app: Flask, tokens: dict[str, str],
                                                          sessions: dict[str, Session]) -> None:
    # Was: decimal.InvalidOperation comparing the total (NaN), or ValueError in WTForms' NumberRange (sNaN).
    reference = log(fuzz_app.test_client(), tokens["olivia"]).get_json()["reference"]
    officer = sessions["olivia"]
    for amount in ("NaN", "sNaN", "Infinity"):
        response = officer.client.post(f"/complaints/{reference}/remedies", data={
            "csrf_token": officer.csrf, "remedy_kinds": "financial", "remedy_description": "Compensation",
            "time_and_trouble": amount}, follow_redirects=True)
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "Remedy not proposed" in page and "Give an amount in pounds" in page
