"""People on record offered as the officer types on the log-a-complaint page: who is found and why, how many,
who may ask, and what choosing one does to the complaint that is logged."""

from __future__ import annotations

import logging
import re

from tests.conftest import csrf_token, london
from tests.web.test_browser_forms import Browser
from tests.web.test_one_person_one_record import PROPOSAL, log

MATCHES = "/complaints/new/matches"


def on_record(officer, manager, name, email="", phone="", address="", restricted=False, **extra):
    """A person on record through a complaint logged by the API (restricted by an approved restriction)."""
    complainant = {key: value for key, value in
                   {"name": name, "email": email, "phone": phone, "address": address}.items() if value}
    logged = log(officer, complainant, **extra)
    assert logged.status_code == 201, logged.get_json()
    complaint = logged.get_json()
    if restricted:
        person = complaint["complainant"]["id"]
        restriction = officer.post(f"/complainants/{person}/restrictions", PROPOSAL).get_json()["id"]
        [decide] = [t for t in manager.get("/tasks").get_json() if t["restriction_id"] == restriction]
        decided = manager.post(f"/tasks/{decide['id']}/complete",
                               {"data": {"decision": "approve", "reasons": "Proportionate"}})
        assert decided.status_code == 200, decided.get_json()
    return complaint


def matches(browser, **typed):
    """The look-up as the page's script sends it."""
    response = browser.client.get(MATCHES, query_string=typed, headers={"Accept": "application/json"})
    return response


def test_people_on_record_are_found_by_name_email_phone_or_postcode(app, api, clock, caplog):
    clock(london(2026, 12, 1))
    olivia, maya = api("olivia"), api("maya")
    ada = on_record(olivia, maya, "Ada Lovell", "ada@example.org", "0115 000 0000", "4 Elm Row, NG1 1AA",
                    restricted=True, adjustments=["large_print"])["complainant"]["id"]
    on_record(olivia, maya, "Ada Lovell", "ada@example.org")  # her second complaint joins her record
    bea = on_record(olivia, maya, "Bea Marsh", "bea@example.org", address="9 Oak Lane, NG7 2RD")["complainant"]["id"]
    browser = Browser(app, "olivia")

    caplog.set_level(logging.INFO)
    found = matches(browser, complainant_name="ada lovel")  # a slip in the surname
    assert found.status_code == 200 and found.headers["Cache-Control"] == "no-store"
    [match] = found.get_json()["matches"]
    assert match == {"id": ada, "name": "Ada Lovell", "email": "ada@example.org", "phone": "0115 000 0000",
                     "postcode": "NG1 1AA", "open_complaints": 2, "restrictions": ["Contact in writing only"],
                     "adjustments": ["Large print letters"], "reasons": ["similar name"],
                     "record_url": f"/complainants/{ada}"}
    # What was typed is not logged: the request line is, with its path only.
    logged = [f"{r.getMessage()} {r.__dict__}" for r in caplog.records]
    assert any(MATCHES in line for line in logged), "the look-up was logged: the check below is not vacuous"
    assert not any("lovel" in line.lower() for line in logged)

    by_email = matches(browser, complainant_name="Someone", complainant_email=" ADA@example.org").get_json()
    assert [(m["id"], m["reasons"]) for m in by_email["matches"]] == [(ada, ["same email"])]
    by_phone = matches(browser, complainant_phone="+44 115 000 0000").get_json()["matches"]
    assert [(m["id"], m["reasons"]) for m in by_phone] == [(ada, ["same phone"])]
    # A shared postcode with a somewhat alike name is a match; a postcode alone is not (neighbours share one).
    near = matches(browser, complainant_name="Beatrice Marsh", complainant_address="flat 2, ng7 2rd").get_json()
    assert [(m["id"], m["reasons"]) for m in near["matches"]] == [(bea, ["similar name", "same postcode"])]
    assert matches(browser, complainant_name="Zed Quinn", complainant_address="NG7 2RD").get_json() == {
        "enough": True, "matches": []}
    # Nothing is looked up for under three letters; the wildcard characters of SQL are plain characters.
    assert matches(browser, complainant_name="Ad").get_json() == {"enough": False, "matches": []}
    assert matches(browser, complainant_name="%%%").get_json()["matches"] == []
    assert matches(browser, complainant_name="a_a").get_json()["matches"] == []


def test_at_most_eight_strongest_first_and_long_input_refused(app, api, clock):
    clock(london(2026, 12, 1))
    olivia, maya = api("olivia"), api("maya")
    for number in range(10):
        on_record(olivia, maya, f"Sam Carter{'son' * (number % 2)}", f"sam{number}@example.org")
    exact = on_record(olivia, maya, "Sam Carter", "sam@example.org")["complainant"]["id"]
    browser = Browser(app, "olivia")
    found = matches(browser, complainant_name="Sam Carter", complainant_email="sam@example.org").get_json()["matches"]
    assert len(found) == 8
    assert found[0]["id"] == exact and found[0]["reasons"] == ["same name", "same email"]
    assert [m["name"] for m in found[1:6]] == ["Sam Carter"] * 5  # the same name before a similar one

    too_long = matches(browser, complainant_name="x" * 201)
    assert too_long.status_code == 422
    assert too_long.get_json()["errors"] == {"complainant_name": "At most 200 characters are looked up."}


def test_process_owners_and_visitors_may_not_look_people_up(app, api, clock):
    clock(london(2026, 12, 1))
    olivia, maya = api("olivia"), api("maya")
    on_record(olivia, maya, "Ada Lovell", "ada@example.org")
    refused = matches(Browser(app, "priya"), complainant_name="Ada Lovell")
    assert refused.status_code == 403 and "Ada" not in refused.get_data(as_text=True)
    anonymous = app.test_client().get(MATCHES, query_string={"complainant_name": "Ada Lovell"})
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login")


def test_look_ups_are_limited_per_member_of_staff(app, clock):
    clock(london(2026, 12, 1))
    app.config["MATCH_LIMIT"] = 3
    olivia, owen = Browser(app, "olivia"), Browser(app, "owen")
    statuses = [matches(olivia, complainant_name="Ada").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert matches(owen, complainant_name="Ada").status_code == 200  # counted per person, not per address


def _log_form(browser, data, expect):
    page = browser.page("/complaints/new")
    response = browser.client.post("/complaints/new", data={
        "channel": "phone", "received_at": "2026-12-01", "description": "Still leaking", **data,
        "csrf_token": csrf_token(page)})
    assert response.status_code == expect, response.get_data(as_text=True)[:2000]
    return response


def test_choosing_a_match_adds_the_complaint_to_their_record(app, api, clock):
    clock(london(2026, 12, 1))
    olivia, maya = api("olivia"), api("maya")
    first = on_record(olivia, maya, "Ada Lovell", "ada@example.org", restricted=True)
    ada = first["complainant"]["id"]
    browser = Browser(app, "olivia")
    form = browser.page("/complaints/new")
    assert 'name="complainant_id"' in form and "person_matches.js" in form and "<script>" not in form

    # Typed differently (no email, a short name): only the officer's choice links them.
    logged = _log_form(browser, {"complainant_name": "Ada L", "complainant_id": str(ada),
                                 "adjustments": ["large_print", "bsl"]}, 302)
    reference = re.search(r"/complaints/(CF-[\d-]+)", logged.headers["Location"]).group(1)
    view = olivia.get(f"/complaints/{reference}").get_json()
    assert view["complainant"]["id"] == ada
    assert [r["kinds"] for r in view["restrictions"]] == [["written_only"]]
    record = olivia.get(f"/complaints/{reference}").get_json()["complainant"]
    assert record["email"] == "ada@example.org" and set(record["adjustments"]) == {"large_print", "bsl"}
    page = browser.page(f"/complaints/{reference}")
    assert "Contact in writing only" in page  # the restriction shows on the new complaint
    # Without a choice, the same short name is someone new.
    other = _log_form(browser, {"complainant_name": "Ada L"}, 302)
    other_ref = re.search(r"/complaints/(CF-[\d-]+)", other.headers["Location"]).group(1)
    assert olivia.get(f"/complaints/{other_ref}").get_json()["complainant"]["id"] != ada


def test_an_unknown_or_forged_person_is_refused_on_the_field(app, api, clock):
    clock(london(2026, 12, 1))
    olivia = api("olivia")
    browser = Browser(app, "olivia")
    before = len(olivia.get("/tasks").get_json())
    for forged in ("424242", "1 OR 1=1", "-3"):
        refused = _log_form(browser, {"complainant_name": "Ada Lovell", "complainant_email": "ada@example.org",
                                      "complainant_id": forged}, 422)
        html = refused.get_data(as_text=True)
        error = re.search(r'<span class="error" id="complainant_id-error">([^<]+)</span>', html)
        assert error, html[:3000]
        assert "Choose again from the people found, or carry on with a new person." in error.group(1)
        assert 'aria-invalid="true" aria-describedby="complainant_id-error"' in html
        assert 'value="Ada Lovell"' in html and "Still leaking" in html  # nothing typed is lost
        assert 'name="complainant_id" id="complainant_id" value=""' in html  # the refused id is not sent again
    assert "There is no person 424242 on record." in _log_form(
        browser, {"complainant_name": "Ada", "complainant_id": "424242"}, 422).get_data(as_text=True)
    assert len(olivia.get("/tasks").get_json()) == before  # nothing was logged


def test_a_chosen_person_is_kept_when_another_field_is_refused(app, api, clock):
    clock(london(2026, 12, 1))
    olivia, maya = api("olivia"), api("maya")
    ada = on_record(olivia, maya, "Ada Lovell", "ada@example.org")["complainant"]["id"]
    browser = Browser(app, "olivia")
    html = _log_form(browser, {"complainant_name": "Ada Lovell", "complainant_id": str(ada), "description": ""},
                     422).get_data(as_text=True)
    assert f'name="complainant_id" id="complainant_id" value="{ada}"' in html
    assert "added to the record of <strong>Ada Lovell</strong> (ada@example.org)" in html
