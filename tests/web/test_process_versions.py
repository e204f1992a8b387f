"""Process versions through the API: checked drafts, bad diagrams that never replace the live version, deploy,
rollback, who may do it, and migrating running complaints (dry run, bulk move, revert)."""

import pytest

from service.cli import prepare
from tests.conftest import london

PROCESSES = "/processes"
INVESTIGATE = 'id="stage1_investigate" name="Investigate (Stage 1)"'


def live_xml(api):
    listing = api.get(PROCESSES).get_json()["processes"]
    live = next(p for p in listing if p["id"] == "complaint")["live"]
    return live, api.get(f"/processes/complaint/versions/{live}").get_json()["xml"]


def versions(api):
    listing = api.get(PROCESSES).get_json()["processes"]
    return {v["version"]: v["state"] for v in next(p for p in listing if p["id"] == "complaint")["versions"]}


def upload(api, xml, status):
    response = api.client.post("/api/v1/processes/complaint/versions?comment=test", data=xml,
                                headers={**api._headers(), "Content-Type": "application/xml"})
    assert response.status_code == status, response.get_json()
    return response.get_json()


def log(api, received="2027-03-01"):
    response = api.post("/complaints", {"complainant": {"name": "Resident"}, "channel": "phone",
                                        "received_at": received, "description": "Leak"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["reference"]


def unknown_element(xml):
    start = xml.index('<bpmn:userTask id="triage"')
    end = xml.index("</bpmn:userTask>", start)
    block = xml[start:end].replace("<bpmn:userTask", "<bpmn:humanTask", 1) + "</bpmn:humanTask>"
    return xml[:start] + block + xml[end + len("</bpmn:userTask>"):]


BAD = {
    "malformed XML": (lambda xml: xml.replace("</bpmn:process>", "</bpmn:proces>", 1), None, "malformed"),
    "unknown element": (lambda xml: unknown_element(xml), "triage", "humanTask"),
    "missing form": (lambda xml: xml.replace('name="form" value="stage1_investigate"',
                                             'name="form" value="site_survey"', 1),
                     "stage1_investigate", "the form 'site_survey' does not exist"),
    "bad timer expression": (lambda xml: xml.replace("breach_time(stage1_acknowledge_due)",
                                                     "breach_time(stage1_acknowledge_due", 1),
                             "stage1_acknowledge_breach", "not valid Python"),
    "naive timer date": (lambda xml: xml.replace("breach_time(stage1_acknowledge_due)",
                                                 'stage1_acknowledge_due + "T17:00:00"', 1),
                         "stage1_acknowledge_breach", "no time zone"),
    "duplicate id": (lambda xml: xml.replace('id="stage1_investigate"', 'id="triage"', 1), "triage", "used twice"),
    "reserved id": (lambda xml: xml.replace('id="stage1_investigate"', 'id="End"', 1), "End", "reserved"),
    "lane without a role": (lambda xml: xml.replace('name="manager"', 'name="directors"', 1), "lane_manager",
                            "maps to no role"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_diagram_names_its_element_and_never_replaces_the_live_version(api, case):
    priya = api("priya")
    live, xml = live_xml(priya)
    change, element, message = BAD[case]
    changed = change(xml)
    assert changed != xml, "the case must change the diagram"
    errors = upload(priya, changed, 422)["errors"]
    assert any(message in e["message"] and (element is None or e["element_id"] == element) for e in errors), errors
    if case == "malformed XML":
        assert errors[0]["line"] == changed[:changed.index("</bpmn:proces>")].count("\n") + 1
    assert versions(priya) == {live: "live"}


def test_only_process_owners_and_admins_change_the_procedure(api, app):
    olivia, priya, adam = api("olivia"), api("priya"), api("adam")
    live, xml = live_xml(olivia)
    renamed = xml.replace(INVESTIGATE, INVESTIGATE.replace("Investigate (Stage 1)", "Investigate"))
    assert upload(olivia, renamed, 403)["error"] == "forbidden"
    draft = upload(priya, renamed, 201)
    assert draft["state"] == "draft" and draft["changes"] == {"added": [], "removed": [],
                                                              "changed": ["stage1_investigate"]}
    assert olivia.post(f"/processes/complaint/versions/{draft['version']}/deploy", {}).status_code == 403
    assert olivia.post(f"/processes/complaint/versions/{draft['version']}/migration", {}).status_code == 403
    assert versions(olivia) == {live: "live", draft["version"]: "draft"}
    assert adam.post(f"/processes/complaint/versions/{draft['version']}/deploy", {}).status_code == 200
    # Staff may look at the editor pages; only editors are offered the buttons.
    client = app.test_client()
    from tests.web.test_browser_forms import Browser
    officer = Browser(app, "olivia")
    assert 'id="save"' not in officer.page("/processes/complaint/modeler")
    assert "Roll back" not in officer.page("/processes/complaint")
    assert 'id="save"' in Browser(app, "priya").page("/processes/complaint/modeler")
    assert client.get("/processes").status_code == 302  # signed-out visitors go to the login page


def test_deploy_keeps_running_complaints_and_rollback_survives_a_restart(api, app, clock):
    clock(london(2027, 3, 1))
    priya, olivia = api("priya"), api("olivia")
    live, xml = live_xml(priya)
    before = log(olivia)
    renamed = upload(priya, xml.replace("Triage: accept or refuse", "Decide whether to accept"), 201)
    assert priya.post(f"/processes/complaint/versions/{renamed['version']}/deploy", {}).status_code == 200
    after = log(olivia)
    titles = {t["complaint_reference"]: t["title"] for t in olivia.get("/tasks").get_json()}
    assert titles == {before: "Triage: accept or refuse", after: "Decide whether to accept"}
    prepare(app)  # a restart stores the shipped diagram again: it must not undo the process owner's deploy
    assert versions(priya) == {live: "retired", renamed["version"]: "live"}
    assert priya.post(f"/processes/complaint/versions/{live}/deploy", {}).status_code == 200  # roll back
    assert versions(priya) == {live: "live", renamed["version"]: "retired"}
    third = log(olivia)
    assert olivia.task(third, "triage")["title"] == "Triage: accept or refuse"


def test_migration_dry_run_bulk_move_and_revert(api, clock):
    clock(london(2027, 3, 1))
    priya, olivia = api("priya"), api("olivia")
    live, xml = live_xml(priya)
    at_triage, investigating, responding = log(olivia), log(olivia), log(olivia)
    for ref in (investigating, responding):
        olivia.complete(ref, "triage", {"triage_decision": "accept"})
        olivia.complete(ref, "stage1_acknowledge", {"stage1_acknowledged_on": "2027-03-01",
                                                    "complaint_definition": "Leak", "outcome_sought": "Fix"})
    olivia.complete(responding, "stage1_investigate", {"investigation_notes": "x", "stage1_next_step": "respond"})
    renamed = xml.replace(INVESTIGATE, INVESTIGATE.replace("Investigate", "Investigate the complaint"))
    new = upload(priya, renamed, 201)["version"]

    plan = priya.get(f"/processes/complaint/versions/{new}/migration").get_json()
    assert sorted(i["reference"] for i in plan["movable"]) == sorted([at_triage, investigating])
    [blocked] = plan["blocked"]
    assert blocked["reference"] == responding
    assert blocked["reasons"] == ["Investigate (Stage 1) (stage1_investigate) was completed and has been changed "
                                  "in the new version"]

    result = priya.post(f"/processes/complaint/versions/{new}/migration", {}).get_json()
    assert sorted(i["reference"] for i in result["moved"]) == sorted([at_triage, investigating])
    assert [i["reference"] for i in result["blocked"]] == [responding]
    assert olivia.task(investigating, "stage1_investigate")["title"] == "Investigate the complaint (Stage 1)"
    history = olivia.get(f"/complaints/{investigating}").get_json()["history"]
    assert any(f"to version {new}" in h["summary"] for h in history)

    # A moved complaint carries on under the new version (and can no longer be put back).
    olivia.complete(investigating, "stage1_investigate", {"investigation_notes": "y", "stage1_next_step": "respond"})

    by_ref = {m["instance_id"]: m for m in result["moved"]}
    moved_on = next(m for m in by_ref.values() if m["reference"] == investigating)
    untouched = next(m for m in by_ref.values() if m["reference"] == at_triage)
    assert priya.post(f"/migrations/{moved_on['migration_id']}/revert", {}).status_code == 409  # moved on since
    assert olivia.post(f"/migrations/{untouched['migration_id']}/revert", {}).status_code == 403
    reverted = priya.post(f"/migrations/{untouched['migration_id']}/revert", {})
    assert reverted.status_code == 200 and reverted.get_json()["version"] == live
    assert priya.post(f"/migrations/{untouched['migration_id']}/revert", {}).status_code == 409  # only once
    assert olivia.task(at_triage, "triage")["title"] == "Triage: accept or refuse"
