"""One person, one record: a complaint logged for someone already known is added to their record — their
restrictions, adjustments and history follow them — whether staff name them (`complainant: {"id": N}`) or give
the same name and email. The public form, whose email nobody has verified, always starts a new record."""

from tests.conftest import london
from tests.web.test_public_form import post

PROPOSAL = {"kinds": ["written_only"], "behaviour": "Many calls", "evidence": "Call log", "reasons": "Welfare",
            "equality_considerations": "None known", "review_on": "2027-03-01"}


def log(api, complainant, **extra):
    body = {"complainant": complainant, "channel": "phone", "received_at": "2026-12-01", "description": "Leak",
            **extra}
    return api.post("/complaints", body)


def test_a_second_complaint_from_a_known_person_joins_their_record(api, app, clock):
    clock(london(2026, 12, 1))
    olivia, maya = api("olivia"), api("maya")
    first = log(olivia, {"name": "Ada Lovell", "email": "ada@example.org", "phone": "0115 000 0000"}).get_json()
    person = first["complainant"]["id"]
    restriction = olivia.post(f"/complainants/{person}/restrictions", PROPOSAL).get_json()["id"]
    [decide] = [t for t in maya.get("/tasks").get_json() if t["restriction_id"] == restriction]
    maya.post(f"/tasks/{decide['id']}/complete", {"data": {"decision": "approve", "reasons": "Proportionate"}})

    # Same name and email, told apart only by case and spacing: the same person.
    second = log(olivia, {"name": "  ada  LOVELL ", "email": "ADA@example.org", "address": "4 Elm Row"})
    assert second.status_code == 201, second.get_json()
    view = second.get_json()
    assert view["complainant"]["id"] == person
    assert [r["id"] for r in view["restrictions"]] == [restriction]  # the restriction follows the person
    [logged] = [entry for entry in view["history"] if entry["kind"] == "logged"]
    assert "already on record" in logged["summary"]
    # Chosen by id, without a name: the record's name is used.
    third = log(olivia, {"id": person})
    assert third.status_code == 201, third.get_json()
    third = third.get_json()
    assert third["complainant"] == {**third["complainant"], "id": person, "name": "Ada Lovell"}
    record = olivia.get(f"/complaints/{third['reference']}").get_json()["complainant"]
    assert record["address"] == "4 Elm Row" and record["phone"] == "0115 000 0000"  # nothing on it was lost

    # A different email, or none, is someone else until staff say otherwise.
    assert log(olivia, {"name": "Ada Lovell", "email": "other@example.org"}).get_json()["complainant"]["id"] != person
    assert log(olivia, {"name": "Ada Lovell"}).get_json()["complainant"]["id"] != person
    # The public form's email is not verified: it never joins a record by itself.
    page = post(app.test_client(), {"name": "Ada Lovell", "email": "ada@example.org", "description": "Damp",
                                    "outcome_sought": "Fix"}).get_data(as_text=True)
    reference = page.split('id="reference">')[1].split("<")[0]
    assert olivia.get(f"/complaints/{reference}").get_json()["complainant"]["id"] != person


def test_an_unknown_person_is_refused_naming_the_field(api, clock):
    clock(london(2026, 12, 1))
    olivia = api("olivia")
    unknown = log(olivia, {"id": 424242})
    assert unknown.status_code == 422 and "complainant.id" in unknown.get_json()["errors"]
    neither = log(olivia, {})
    assert neither.status_code == 422 and "complainant.name" in neither.get_json()["errors"]
    assert log(olivia, {"id": None, "name": "Bea"}).status_code == 201  # a null id is no id
