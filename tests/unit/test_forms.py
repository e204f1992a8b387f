"""Task forms validate against their context: dates, extensions, exclusions."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

import time_machine
from werkzeug.datastructures import MultiDict

from forms import UnknownForm, describe, form_class
from service.domain.policy import load_policy
from service.use_cases.errors import Invalid
from service.use_cases.formdata import validated

POLICY = load_policy("code-2024").params


@dataclass
class FakeDeadline:
    due: date
    original_due: date


def context(today, **deadlines):
    return {"today": today, "earliest_event_date": date(2026, 12, 18), "policy": POLICY, "deadlines": deadlines}


def errors(name, data, ctx):
    try:
        validated(form_class(name), MultiDict(data), ctx)
    except Invalid as error:
        return error.errors
    return {}


def test_extension_is_refused_once_the_deadline_has_passed():
    ctx = context(date(2027, 1, 11), stage1_response=FakeDeadline(date(2027, 1, 8), date(2027, 1, 8)))
    found = errors("stage1_investigate", {"investigation_notes": "x", "stage1_next_step": "extend",
                                          "stage1_extended_to": "2027-01-15", "stage1_extension_reasons": "y"}, ctx)
    assert "before the deadline passes" in found["stage1_extended_to"]


def test_extension_cap_counts_from_the_original_deadline_at_each_stage():
    s1 = context(date(2027, 1, 12), stage1_response=FakeDeadline(date(2027, 1, 15), date(2027, 1, 8)))
    data = {"investigation_notes": "x", "stage1_next_step": "extend", "stage1_extension_reasons": "y"}
    assert errors("stage1_investigate", {**data, "stage1_extended_to": "2027-01-22"}, s1) == {}
    assert "at most 10 working days" in errors("stage1_investigate", {**data, "stage1_extended_to": "2027-01-25"},
                                               s1)["stage1_extended_to"]
    assert "after the current deadline" in errors("stage1_investigate", {**data, "stage1_extended_to": "2027-01-14"},
                                                  s1)["stage1_extended_to"]
    s2 = context(date(2027, 2, 1), stage2_response=FakeDeadline(date(2027, 2, 16), date(2027, 2, 16)))
    data2 = {"review_notes": "x", "stage2_next_step": "extend", "stage2_extension_reasons": "y"}
    assert errors("stage2_review", {**data2, "stage2_extended_to": "2027-03-16"}, s2) == {}
    assert "20 working days" in errors("stage2_review", {**data2, "stage2_extended_to": "2027-03-17"}, s2)[
        "stage2_extended_to"]


def test_responding_needs_no_extension_fields():
    ctx = context(date(2027, 1, 5))
    assert errors("stage1_investigate", {"investigation_notes": "x", "stage1_next_step": "respond"}, ctx) == {}


def test_event_dates_default_to_today_and_refuse_future_and_before_receipt():
    ctx = context(date(2026, 12, 22))
    with time_machine.travel(datetime(2026, 12, 22, 12, tzinfo=UTC), tick=False):
        form = form_class("stage1_acknowledge")(MultiDict({"complaint_definition": "a", "outcome_sought": "b"}),
                                                context=ctx)
        assert form.validate() and form.task_data()["stage1_acknowledged_on"] == "2026-12-22"
    assert "future" in errors("stage1_acknowledge", {"stage1_acknowledged_on": "2026-12-23", "complaint_definition": "a",
                                                     "outcome_sought": "b"}, ctx)["stage1_acknowledged_on"]
    assert "before the complaint was received" in errors(
        "escalation", {"escalate": "yes", "escalation_requested_on": "2026-12-17"}, ctx)["escalation_requested_on"]
    assert "Not a valid date" in errors("stage1_respond", {"stage1_responded_on": "31/12/2026"}, ctx)[
        "stage1_responded_on"]


def test_escalation_needs_no_reasons():
    assert errors("escalation", {"escalate": "yes", "escalation_requested_on": "2026-12-21"},
                  context(date(2026, 12, 22))) == {}


def test_every_form_describes_itself_and_unknown_forms_are_refused():
    for name in ("triage", "stage1_acknowledge", "stage1_investigate", "stage1_respond", "escalation",
                 "stage2_acknowledge", "stage2_review", "stage2_respond", "close_complaint", "breach_review"):
        fields = describe(form_class(name)(context=context(date(2026, 12, 22))))
        assert fields and all({"name", "type", "label", "required"} <= set(f) for f in fields)
    for bad in ("nope", "base", "../etc", "Triage"):
        try:
            form_class(bad)
        except UnknownForm:
            continue
        raise AssertionError(f"{bad} accepted")


def test_a_profile_without_an_extension_cap_agrees_any_later_date():
    policy = load_policy("seed-003").params
    ctx = {**context(date(2027, 1, 5), stage1_response=FakeDeadline(date(2027, 1, 8), date(2027, 1, 8))),
           "policy": policy}
    data = {"investigation_notes": "x", "stage1_next_step": "extend", "stage1_extension_reasons": "y"}
    assert errors("stage1_investigate", {**data, "stage1_extended_to": "2027-03-01"}, ctx) == {}
    assert "after the current deadline" in errors("stage1_investigate", {**data, "stage1_extended_to": "2027-01-08"},
                                                  ctx)["stage1_extended_to"]
