"""What-if replay: a month of recorded complaints replayed under a draft that shortens the Stage 1 response to
8 working days, against the live 10, with the breaches and on-time shares worked out by hand; the live records
are untouched."""

import hashlib
import json

import pytest
from sqlalchemy import text

from service.use_cases import what_if
from service.use_cases.context import Actor
from service.use_cases.errors import Invalid
from tests.conftest import ANALYSIS, london
from tests.web.test_process_versions import live_xml, upload

RESPONSE_DAYS = 'policy["stage1"]["response_days"]'
PRIYA = Actor(id=0, name="priya", role="process_owner")


def walk(api, clock, responded: str) -> str:
    """A complaint received Mon 1 March 2027, acknowledged on the 2nd, answered on `responded`, closed."""
    olivia = api("olivia")
    clock(london(2027, 3, 1))
    reference = olivia.post("/complaints", {"complainant": {"name": "Resident"}, "channel": "phone",
                                            "received_at": "2027-03-01", "description": "Leak"}).get_json()["reference"]
    olivia.complete(reference, "triage", {"triage_decision": "accept"})
    clock(london(2027, 3, 2))
    olivia.complete(reference, "stage1_acknowledge", {"stage1_acknowledged_on": "2027-03-02",
                                                      "complaint_definition": "Leak", "outcome_sought": "Fix"})
    month, day = (int(part) for part in responded.split("-")[1:])
    clock(london(2027, month, day))
    olivia.complete(reference, "stage1_investigate", {"investigation_notes": "x", "stage1_next_step": "respond"})
    olivia.complete(reference, "stage1_respond", {"stage1_responded_on": responded, **ANALYSIS,
                                                  "stage1_decision": "upheld", "stage1_reasons": "y"})
    olivia.complete(reference, "escalation", {"escalate": "no"})
    olivia.complete(reference, "close_complaint", {"ombudsman_route_explained": True})
    return reference


def live_records(app) -> str:
    """A digest of every row the complaints' records are made of."""
    engine = app.extensions["complaintflow_engine"]
    digest = hashlib.sha256()
    with engine.connect() as connection:
        for table in ("complaint", "workflow_instance", "task", "timer", "deadline", "history_entry", "notification"):
            rows = connection.execute(text(f"SELECT * FROM {table} ORDER BY id")).all()  # noqa: S608 - our names
            digest.update(json.dumps([list(map(str, row)) for row in rows]).encode())
    return digest.hexdigest()


def test_a_shorter_stage1_response_is_replayed_over_a_recorded_month(app, ctx, api, clock):
    # Live: due 10 WD after 2 March = Tue 16 March. Draft: 8 WD = Fri 12 March.
    on_time, late_under_draft, late_under_both = (walk(api, clock, day) for day in
                                                  ("2027-03-12", "2027-03-15", "2027-03-17"))
    clock(london(2027, 4, 1))
    priya = api("priya")
    live, xml = live_xml(priya)
    draft = upload(priya, xml.replace(RESPONSE_DAYS, "8", 1), 201)
    before = live_records(app)

    started = what_if.start(ctx, "complaint", draft["version"], PRIYA, london(2027, 3, 1).date(),
                            london(2027, 3, 31).date())
    assert (started["total"], started["done"], started["live_version"]) == (3, 0, live)
    assert what_if.report(ctx, started["id"])["finished"] is False
    assert what_if.run_pending(ctx) == 3
    report = what_if.report(ctx, started["id"])

    assert report["finished"] and report["replayed"] == 3
    draft_side, live_side = report["sides"]["draft"], report["sides"]["live"]
    assert live_side["missed"] == {"stage1_response": 1} and draft_side["missed"] == {"stage1_response": 2}
    assert live_side["responses"]["1"] == {"responded": 3, "on_time": 2, "share": 0.6667}
    assert draft_side["responses"]["1"] == {"responded": 3, "on_time": 1, "share": 0.3333}
    assert report["changed"] == [{"reference": late_under_draft, "changes": ["would miss stage1_response"]}]
    both = what_if.timelines(ctx, started["id"], late_under_both)
    assert both["draft"]["deadlines"]["stage1_response"] == {"due": "2027-03-12", "met_on": "2027-03-17"}
    assert both["live"]["deadlines"]["stage1_response"] == {"due": "2027-03-16", "met_on": "2027-03-17"}
    assert both["live"]["path"] == ["triage", "stage1_acknowledge", "stage1_investigate", "stage1_respond",
                                    "escalation", "close_complaint"]
    assert what_if.timelines(ctx, started["id"], on_time)["changes"] == []
    lines = list(what_if.rows_csv(ctx, started["id"]))
    assert lines[0].strip() == "reference,received_on,missed_live,missed_draft,changes"
    assert f"{late_under_draft},2027-03-01,,stage1_response,would miss stage1_response" in "".join(lines)

    assert live_records(app) == before  # the replay only read the records


def test_a_period_with_no_complaints_says_so(ctx, api, clock):
    clock(london(2027, 4, 1))
    priya = api("priya")
    _, xml = live_xml(priya)
    draft = upload(priya, xml.replace(RESPONSE_DAYS, "8", 1), 201)
    with pytest.raises(Invalid) as refused:
        what_if.start(ctx, "complaint", draft["version"], PRIYA, london(2026, 1, 1).date(), london(2026, 1, 31).date())
    assert "No complaints were received from 01 January 2026 to 31 January 2026" in str(refused.value)


def test_a_version_that_fails_its_own_checks_cannot_be_replayed(app, ctx, api, clock):
    from sqlalchemy import select

    from service.persistence.models import ProcessVersion

    walk(api, clock, "2027-03-12")
    clock(london(2027, 4, 1))
    priya = api("priya")
    _, xml = live_xml(priya)
    draft = upload(priya, xml.replace(RESPONSE_DAYS, "8", 1), 201)
    with ctx.uow() as uow:  # as a version stored before its checks ran would be, or one put in by hand
        version = uow.session.scalars(select(ProcessVersion).where(ProcessVersion.version == draft["version"])).one()
        version.findings = {**version.findings, "findings": [
            {"section": "diagram", "severity": "error", "message": "An expression failed when run", "where": "bpmn:x"}]}
        uow.commit()
    with pytest.raises(Invalid) as refused:
        what_if.start(ctx, "complaint", draft["version"], PRIYA, london(2027, 3, 1).date(), london(2027, 3, 31).date())
    assert f"Version {draft['version']} fails its own checks: fix it before replaying it." in str(refused.value)
