"""A procedure change is untrusted input: escapes refused at save and unable to run even when put in the database
by hand; misspelt names refused with the nearest known ones; a draft proven by running its scenarios before it may
go live (a Code-breaking timescale and a foreign diagram refused, naming the provision and the scenario)."""

from pathlib import Path

import pytest
from sqlalchemy import select

from service.persistence.models import ProcessVersion
from service.use_cases import submit_complaint
from service.use_cases.context import Actor
from service.use_cases.processes import deploy_version, next_number
from service.workflow import specs
from service.workflow.runtime import ProcedureFailed
from tests.conftest import london
from tests.web.test_process_versions import live_xml, upload, versions

ACK_TIMER = "breach_time(stage1_acknowledge_due)"
RESPONSE_SCRIPT = 'add_working_days(stage1_response_from, policy["stage1"]["response_days"])'


def escapes(marker: Path) -> dict[str, tuple[str, str, str]]:
    """Escape routes put into the shipped diagram: (text replaced, replacement, what the refusal says)."""
    shell = f"'touch {marker}'"
    return {
        "helper __globals__": (ACK_TIMER, f"(add_working_days.__globals__['builtins'].__import__('os').system({shell}),"
                                          f" {ACK_TIMER})[1]", '"__globals__" is an invalid attribute name'),
        "__subclasses__": (ACK_TIMER, f"(().__class__.__base__.__subclasses__(), {ACK_TIMER})[1]",
                           '"__subclasses__" is an invalid attribute name'),
        "gi_frame / f_globals": (ACK_TIMER, f"((x for x in [1]).gi_frame.f_globals, {ACK_TIMER})[1]",
                                 '"gi_frame" is a restricted name'),
        "str.format walk": (ACK_TIMER, f"('{{0.__globals__}}'.format(add_working_days), {ACK_TIMER})[1]",
                            "no attribute 'format'"),
        "getattr": (ACK_TIMER, f"(getattr(add_working_days, 'x'), {ACK_TIMER})[1]", "'getattr', which is not known"),
        "vars / type": (ACK_TIMER, f"(vars(type(add_working_days)), {ACK_TIMER})[1]", "'vars', which is not known"),
        "__import__": (ACK_TIMER, f"(__import__('os').system({shell}), {ACK_TIMER})[1]",
                       '"__import__" is an invalid variable name'),
        "range(10**9)": (RESPONSE_SCRIPT, "add_working_days(stage1_response_from, len(range(10**9)))",
                         "a range of more than 100,000 numbers"),
        "endless loop": (RESPONSE_SCRIPT, "add_working_days(stage1_response_from, [10 for x in range(99999) "
                         "for y in range(99999)][0])", "more than 100,000 steps"),
    }


@pytest.mark.parametrize("case", ["helper __globals__", "__subclasses__", "gi_frame / f_globals", "str.format walk",
                                  "getattr", "vars / type", "__import__", "range(10**9)", "endless loop"])
def test_each_escape_route_is_refused_at_save_and_nothing_runs(api, case, tmp_path):
    priya = api("priya")
    marker = tmp_path / "pwned"
    live, xml = live_xml(priya)
    old, new, message = escapes(marker)[case]
    changed = xml.replace(old, new, 1)
    assert changed != xml
    errors = upload(priya, changed, 422)["errors"]
    assert any(message in e["message"] and e["element"] for e in errors), [e["message"] for e in errors]
    assert versions(priya) == {live: "live"}
    assert not marker.exists()


def _deploy_unchecked(app, xml: str) -> None:
    """What an attacker with the database could do: store and deploy a diagram that skipped every check."""
    process = specs.compile_process("complaint", {"complaint.bpmn": xml})
    with app.extensions["complaintflow"].uow() as uow:
        session = uow.session
        version = ProcessVersion(process_id="complaint", version=next_number(session, "complaint"),
                                 content_hash=process.content_hash, sources={"complaint.bpmn": xml},
                                 spec_json=process.spec_json, state="draft")
        session.add(version)
        session.flush()
        deploy_version(session, version)
        uow.commit()


ACK_DAYS = 'policy["stage1"]["acknowledge_days"])'


@pytest.mark.parametrize("case", ["helper __globals__", "__import__", "str.format walk", "getattr", "range(10**9)",
                                  "endless loop"])
def test_a_diagram_deployed_by_database_cannot_escape_at_run_time(app, ctx, api, clock, case, tmp_path):
    clock(london(2027, 3, 1))
    marker = tmp_path / "pwned"
    _, xml = live_xml(api("priya"))
    old, new, message = escapes(marker)[case]
    if old == RESPONSE_SCRIPT:  # run the same at the start, in the acknowledgement deadline's script
        old, new = ACK_DAYS, new.replace("add_working_days(stage1_response_from, ", "")[:-1] + ")"
    changed = xml.replace(old, new, 1)
    assert changed != xml
    _deploy_unchecked(app, changed)
    olivia = Actor(id=1, name="olivia", role="officer")
    data = {"complainant_name": "Resident", "channel": "phone", "received_at": "2027-03-01", "description": "Leak"}
    with pytest.raises(ProcedureFailed) as failed:
        submit_complaint.run(ctx, data, olivia)
    expected = {"getattr": "name 'getattr' is not defined"}.get(case, message)
    assert expected in str(failed.value) and failed.value.element in ("stage1_acknowledge_breach",
                                                                      "set_stage1_acknowledge_due"), failed.value
    assert not marker.exists()
    # Nothing of the failed complaint was stored; the app still answers.
    assert api("olivia").get("/tasks").status_code == 200


def test_a_misspelt_name_is_refused_with_the_nearest_known_name(api):
    priya = api("priya")
    live, xml = live_xml(priya)
    errors = upload(priya, xml.replace(ACK_TIMER, "breach_time(stage1_acknowledg_due)", 1), 422)["errors"]
    assert any(e["element"] == "stage1_acknowledge_breach" and "'stage1_acknowledg_due'" in e["message"]
               and "did you mean 'stage1_acknowledge_due'" in e["message"] and e["line"] for e in errors), errors
    assert versions(priya) == {live: "live"}


def test_a_code_breaking_timescale_is_shown_at_save_and_refused_at_deploy(api, clock):
    clock(london(2027, 3, 1))
    priya, olivia = api("priya"), api("olivia")
    live, xml = live_xml(priya)
    draft = upload(priya, xml.replace(RESPONSE_SCRIPT, "add_working_days(stage1_response_from, 25)", 1), 201)
    assert any(f["section"] == "6.3" and "25 working days" in f["message"] for f in draft["code_findings"]), draft
    assert draft["change_notes"] == [
        'deadline "Stage 1 response": 10 → 25 working days',
        'script "Set the Stage 1 response deadline": script stage1_response_due = add_working_days('
        'stage1_response_from, policy["stage1"]["response_days"]) → stage1_response_due = '
        'add_working_days(stage1_response_from, 25)']
    response = priya.post(f"/processes/complaint/versions/{draft['version']}/deploy", {})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    six_three = [e for e in errors if e.get("provision") == "6.3"]
    assert six_three and six_three[0]["element"] == "set_stage1_response_due", errors
    assert "the Code allows 10 working days from acknowledgement" in six_three[0]["message"]
    assert "received" in six_three[0]["scenario"] and "stage1_acknowledge" in six_three[0]["scenario"]
    assert versions(priya)[live] == "live" and versions(priya)[draft["version"]] == "draft"
    # New complaints still start on the live version.
    logged = olivia.post("/complaints", {"complainant": {"name": "R"}, "channel": "phone",
                                         "received_at": "2027-03-01", "description": "Leak"})
    assert logged.status_code == 201, logged.get_json()


FOREIGN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <bpmn:process id="complaint" isExecutable="true">
    <bpmn:startEvent id="begin"><bpmn:outgoing>a</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="a" sourceRef="begin" targetRef="notify"/>
    <bpmn:sendTask id="notify" name="Send"><bpmn:incoming>a</bpmn:incoming><bpmn:outgoing>b</bpmn:outgoing></bpmn:sendTask>
    <bpmn:sequenceFlow id="b" sourceRef="notify" targetRef="finish"/>
    <bpmn:endEvent id="finish"><bpmn:incoming>b</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>
"""


def test_a_foreign_diagram_is_refused_naming_what_a_complaint_procedure_lacks(api, app):
    priya = api("priya")
    live, _ = live_xml(priya)
    draft = upload(priya, FOREIGN, 201)
    response = priya.post(f"/processes/complaint/versions/{draft['version']}/deploy", {})
    assert response.status_code == 422
    [error] = [e for e in response.get_json()["errors"] if e.get("provision") == "5.1"]
    assert error["element"] == "complaint"
    for lacking in ("user tasks for staff", "Stage 1 acknowledgement deadline (Code 6.2)",
                    "Stage 1 response deadline (Code 6.3)", "Stage 2 response deadline (Code 6.14)",
                    "a Stage 2 user task"):
        assert lacking in error["message"], error["message"]
    assert versions(priya)[live] == "live"
    with app.extensions["complaintflow"].uow() as uow:
        stored = uow.session.scalars(select(ProcessVersion).where(ProcessVersion.version == draft["version"],
                                                                  ProcessVersion.process_id == "complaint")).one()
        assert stored.state == "draft"


def test_a_draft_that_only_changes_wording_deploys_with_its_proof_recorded(api):
    priya = api("priya")
    live, xml = live_xml(priya)
    draft = upload(priya, xml.replace("Triage: accept or refuse", "Decide whether to accept"), 201)
    assert draft["code_findings"] == [] and draft["proof"]["paths"] > 50 and not draft["proof"]["truncated"]
    response = priya.post(f"/processes/complaint/versions/{draft['version']}/deploy", {})
    assert response.status_code == 200, response.get_json()
    assert versions(priya)[draft["version"]] == "live"


def test_deploying_is_confirmed_on_a_page_that_shows_what_blocks_it_and_who_is_running(app, api, clock):
    from tests.web.test_browser_forms import Browser

    clock(london(2027, 3, 1))
    priya, olivia = api("priya"), api("olivia")
    live, xml = live_xml(priya)
    olivia.post("/complaints", {"complainant": {"name": "R"}, "channel": "phone", "received_at": "2027-03-01",
                                "description": "Leak"})
    broken = upload(priya, xml.replace(RESPONSE_SCRIPT, "add_working_days(stage1_response_from, 25)", 1), 201)
    page = Browser(app, "priya").page(f"/processes/complaint/versions/{broken['version']}/deploy")
    assert "It cannot be deployed" in page and "Code 6.3" in page and 'id="confirm-deploy"' not in page
    assert "1 running on version 1: they stay on it" in page
    assert "Stage 1 response&#34;: 10 → 25 working days" in page
    wording = upload(priya, xml.replace("Triage: accept or refuse", "Decide whether to accept"), 201)
    page = Browser(app, "priya").page(f"/processes/complaint/versions/{wording['version']}/deploy")
    assert 'id="confirm-deploy"' in page and "It cannot be deployed" not in page
    assert versions(priya) == {live: "live", broken["version"]: "draft", wording["version"]: "draft"}
