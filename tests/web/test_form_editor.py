"""Forms built in the browser: a bad definition is shown next to its fields and keeps what was typed; names of
forms written in code are refused; only process owners and admins save; the preview renders the form."""

from tests.conftest import csrf_token
from tests.web.test_browser_forms import Browser

ROW = {"field-0-name": "visit_on", "field-0-label": "Visited on", "field-0-kind": "date", "field-0-required": "y",
       "field-1-name": "", "field-1-label": "", "field-1-kind": "text"}


def test_a_bad_form_definition_is_refused_field_by_field(app):
    priya = Browser(app, "priya")
    bad = priya.submit("/forms/new", {"name": "Site Visit", "title": "", **ROW, "field-0-kind": "choice",
                                      "field-0-choices": "only one"}, expect=422).get_data(as_text=True)
    assert "Use lower-case letters" in bad and "Give the form a title." in bad and "Give at least two choices." in bad
    assert 'value="Visited on"' in bad  # what was typed is kept
    taken = priya.submit("/forms/new", {"name": "triage", "title": "Mine", **ROW}, expect=422).get_data(as_text=True)
    assert "is a form written in code" in taken
    priya.submit("/forms/new", {"name": "site_visit", "title": "Site visit", **ROW})
    assert "site_visit" in priya.page("/forms")
    again = priya.submit("/forms/site_visit/edit", {"name": "site_visit", "title": "Site visit (v2)", **ROW})
    assert again.status_code == 302 and "Site visit (v2)" in priya.page("/forms")


def test_only_editors_save_forms_and_the_preview_renders_it(app):
    olivia = Browser(app, "olivia")
    token = csrf_token(olivia.page("/forms/new"))
    refused = olivia.client.post("/forms/new", data={"name": "x_form", "title": "X", **ROW, "csrf_token": token})
    assert refused.status_code == 403
    preview = olivia.client.post("/forms/preview", headers={"X-CSRFToken": token}, json={
        "name": "x_form", "title": "X", "fields": [{"name": "seen_on", "label": "Seen <b>on</b>", "kind": "date"}]})
    html = preview.get_data(as_text=True)
    assert 'name="seen_on"' in html and "Seen &lt;b&gt;on&lt;/b&gt;" in html
    broken = olivia.client.post("/forms/preview", headers={"X-CSRFToken": token}, json={"fields": "nope"})
    assert "Add at least one field." in broken.get_data(as_text=True)
