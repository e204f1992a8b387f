"""Tenure, which TSM CH01 figure a complaint counts in: asked on the public form in plain words, corrected by
staff with the change on the audit trail, and the figures follow it."""

from service.use_cases import reports
from tests.conftest import csrf_token, london
from tests.web.test_browser_forms import Browser
from tests.web.test_public_form import GOOD


def complain(client, **fields):
    token = csrf_token(client.get("/complain").get_data(as_text=True))
    page = client.post("/complain", data={**GOOD, **fields, "csrf_token": token}).get_data(as_text=True)
    reference = page.split('id="reference">', 1)[1].split("<", 1)[0]
    return reference.strip()


def test_the_resident_says_what_home_they_have_and_staff_correct_it_on_the_record(app, api, clock, ctx):
    clock(london(2026, 12, 1))
    form = app.test_client().get("/complain").get_data(as_text=True)
    assert "I part-own my home (shared ownership)" in form and "I am not sure" in form
    shared = complain(app.test_client(), tenure="low_cost_home_ownership")
    unsure = complain(app.test_client())
    olivia = api("olivia")
    assert olivia.get(f"/complaints/{shared}").get_json()["tenure"] == "low_cost_home_ownership"
    assert olivia.get(f"/complaints/{unsure}").get_json()["tenure"] == "unknown"
    reports.set_homes(ctx, 2026, 1000, 200)
    for ref in (shared, unsure):  # CH01 counts complaints once acknowledged, by the officer each was given to
        officer = api(olivia.get(f"/complaints/{ref}").get_json()["open_tasks"][0]["assignee"])
        officer.complete(ref, "triage", {"triage_decision": "accept"})
        officer.complete(ref, "stage1_acknowledge", {"stage1_acknowledged_on": "2026-12-01", "complaint_definition": "x",
                                                     "outcome_sought": "y"})
    ch01 = olivia.get("/reports/tsm?year=2026").get_json()["ch01"]
    assert ch01["low_cost_home_ownership"]["received"]["stage1"] == 1
    assert ch01["low_cost_rental"]["received"]["stage1"] == 0  # "not sure" is in neither until it is known

    browser = Browser(app, "olivia")
    page = browser.page(f"/complaints/{unsure}")
    done = browser.client.post(f"/complaints/{unsure}/tenure", data={
        "csrf_token": csrf_token(page), "tenure": "low_cost_rental"}, follow_redirects=True).get_data(as_text=True)
    assert "Tenure changed." in done
    entry = olivia.get(f"/complaints/{unsure}").get_json()["history"][-1]
    assert entry["kind"] == "tenure_changed" and entry["actor"] == "olivia"
    assert entry["summary"] == ("Tenure changed from \u201cNot known yet: ask the resident\u201d to \u201cLow-cost rental "
                                "(general needs, supported, housing for older people)\u201d")
    assert olivia.get("/reports/tsm?year=2026").get_json()["ch01"]["low_cost_rental"]["received"]["stage1"] == 1
    refused = browser.client.post(f"/complaints/{unsure}/tenure", data={"csrf_token": csrf_token(page),
                                                                        "tenure": "castle"}, follow_redirects=True)
    assert "Tenure not changed: Choose one of" in refused.get_data(as_text=True)
