"""The public complaint form and the letter templates: errors next to their fields, bots and floods turned away,
representatives and adjustments carried to every page of the complaint, admins' wording used in the next letter,
and what residents typed escaped wherever staff see it."""

import re
import subprocess

import pytest

from service.outbound.mail import FolderMailer
from service.use_cases import send_outbox
from tests.conftest import csrf_token, london
from tests.web.test_browser_forms import Browser

GOOD = {"name": "Rita Resident", "email": "rita@example.org", "description": "Damp", "outcome_sought": "Fix it"}


def post(client, data):
    token = csrf_token(client.get("/complain").get_data(as_text=True))
    return client.post("/complain", data={**data, "csrf_token": token})


def test_bad_input_comes_back_with_errors_next_to_the_fields(app):
    client = app.test_client()
    page = client.get("/complain").get_data(as_text=True)
    assert '<label for="name">' in page and "<script" not in page  # labelled, works without JavaScript
    response = post(client, {"name": "", "email": "not-an-email", "description": "Mould <b>everywhere</b>",
                             "adjustments": "other_language", "tenancy_ended_on": "2999-01-01",
                             "representative_name": "Ann Advocate"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for message in ("This field is required.", "Invalid email address.", "Tell us which language",
                    "cannot be in the future", "Say how the person you are complaining for agreed"):
        assert message in html, message
    assert 'aria-invalid="true"' in html
    assert "Mould &lt;b&gt;everywhere&lt;/b&gt;" in html  # what was typed is kept, escaped
    nowhere = post(client, {"name": "X", "description": "Y"}).get_data(as_text=True)
    assert "Give us an email, a phone number or an address" in nowhere


def test_a_representative_and_adjustments_show_on_the_complaint_and_its_tasks(app, clock):
    clock(london(2027, 3, 1))
    response = post(app.test_client(), {**GOOD, "adjustments": ["large_print", "phone_at_set_times"],
                                        "adjustment_notes": "Mornings only", "vulnerabilities": "Asthma",
                                        "representative_name": "Ann Advocate", "representative_relationship":
                                        "advocate", "representative_consent": "Signed consent form, 1 March"})
    assert response.status_code == 200
    reference = re.search(r'id="reference">([^<]+)<', response.get_data(as_text=True)).group(1)
    staff = Browser(app, "olivia")
    complaint_page = staff.page(f"/complaints/{reference}")
    task_page = staff.page(staff.task_path("Triage: accept or refuse"))
    for html in (complaint_page, task_page):
        assert "large print" in html and "Mornings only" in html and "Asthma" in html
        assert "Ann Advocate" in html and "Signed consent form" in html


def test_bots_are_ignored_and_floods_are_limited(app):
    client = app.test_client()
    bot = post(client, {**GOOD, "website": "http://spam.example"})
    assert bot.status_code == 200 and 'id="reference"' not in bot.get_data(as_text=True)
    assert "CF-" not in Browser(app, "olivia").page("/complaints")  # nothing stored
    app.config["PUBLIC_FORM_LIMIT"] = 2
    statuses = [post(client, GOOD).status_code for _ in range(3)]
    assert statuses[-1] == 429


def test_admins_edit_letter_templates_and_the_next_letter_uses_them(app, api, ctx, clock, tmp_path):
    clock(london(2027, 3, 1))
    adam, olivia = Browser(app, "adam"), Browser(app, "olivia")
    token = csrf_token(olivia.page("/letters/acknowledgement"))
    assert olivia.client.post("/letters/acknowledgement", data={"subject": "x", "body": "y",
                                                                "csrf_token": token}).status_code == 403
    broken = adam.submit("/letters/acknowledgement", {"subject": "Got it {reference}",
                                                      "body": "<p>Dear {{ complainant.name }</p>"}, expect=422)
    assert "line 1" in broken.get_data(as_text=True)
    adam.submit("/letters/acknowledgement", {"subject": "Got it {reference}",
                                             "body": "<p>Hello {{ complainant.name }}, we will reply by "
                                                     "{{ due.stage1_response }} about {{ data.complaint_definition }}.</p>"})
    assert "<code>acknowledgement</code></td><td>1</td>" in adam.page("/letters")
    reference = re.search(r'id="reference">([^<]+)<', post(app.test_client(), {
        **GOOD, "name": "Rita <i>R</i>"}).get_data(as_text=True)).group(1)
    officer = api("olivia")
    officer.complete(reference, "triage", {"triage_decision": "accept"})
    officer.complete(reference, "stage1_acknowledge", {"stage1_acknowledged_on": "2027-03-01",
                                                       "complaint_definition": "<img src=x onerror=alert(1)>",
                                                       "outcome_sought": "Fix"})
    outbox = tmp_path / "outbox"
    assert send_outbox.run(ctx, FolderMailer(outbox)).sent == 1
    [eml] = outbox.glob("*.eml")
    assert f"Subject: Got it {reference}" in eml.read_text()
    [item] = officer.get(f"/complaints/{reference}/correspondence").get_json()
    pdf = officer.client.get(item["document_url"], headers=officer._headers()).data
    text = " ".join(subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                                   check=True).stdout.decode().split())
    assert "Hello Rita <i>R</i>, we will reply by 15 March 2027 about <img src=x onerror=alert(1)>." in text


@pytest.mark.parametrize("path", ["/letters", "/letters/refusal"])
def test_letter_pages_need_a_login(app, path):
    assert app.test_client().get(path).status_code == 302


def test_the_thank_you_page_gives_dates_as_residents_write_them(app, clock):
    clock(london(2027, 3, 1))
    page = post(app.test_client(), GOOD).get_data(as_text=True)
    assert "by <strong>8 March 2027</strong>" in page and "2027-03-08" not in page


def test_the_public_form_asks_who_you_are_first_marks_what_is_required_and_is_the_landlords(app):
    page = app.test_client().get("/complain").get_data(as_text=True)
    order = [page.index(f'for="{name}"') for name in ("name", "email", "description", "adjustments-0",
                                                       "representative_name")]
    assert order == sorted(order)  # the resident's own name first, someone complaining for them last
    assert 'Your name <span class="hint">(required)</span>' in page
    assert 'What happened <span class="hint">(required)</span>' in page
    assert "Email <span" not in page  # optional fields are not marked
    assert '<strong class="landlord">Example Homes</strong>' in page and "Complaintflow" not in page  # the landlord's page
