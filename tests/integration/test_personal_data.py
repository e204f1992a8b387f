"""Personal data under UK GDPR: the retention job anonymises closed complaints after N years (with an audit
entry), a person's subject-access export, erasure on request, and the case-file export for the Ombudsman."""

import io
import json
import subprocess
import zipfile

from sqlalchemy import select

from service.persistence.models import Complainant, Complaint, Correspondence, HistoryEntry, WorkflowInstance
from tests.conftest import london
from tests.web.test_browser_forms import Browser
from workers.celery_app import celery_init_app

NAME, EMAIL, STORY = "Zelda Quillfeather", "zelda@example.org", "Mould behind the wardrobe since March"


def refused(api, clock, when, name=NAME):
    """A complaint logged and refused at triage on day `when` (it is then closed, with a refusal letter)."""
    clock(when)
    ref = api.post("/complaints", {"complainant": {"name": name, "email": EMAIL, "phone": "0115 496 0000",
                                                   "address": "1 Lark Rise"},
                                   "channel": "email", "received_at": when.date().isoformat(),
                                   "description": STORY, "outcome_sought": "Fix it"}).get_json()["reference"]
    api.complete(ref, "triage", {"triage_decision": "refuse", "exclusion": "legal_proceedings",
                                 "refusal_reasons": f"{name} has a claim at court", "ombudsman_informed": True})
    return ref


def everything_stored(ctx, ref):
    """Every text stored about complaint `ref`: its row, person, letters, instance states and history."""
    with ctx.uow() as uow:
        s = uow.session
        complaint = s.scalars(select(Complaint).where(Complaint.reference == ref)).one()
        person = s.get(Complainant, complaint.complainant_id)
        texts = [complaint.description, complaint.outcome_sought, person.name, person.email or "",
                 person.phone or "", person.address or ""]
        texts += [f"{c.subject} {c.body}" for c in s.scalars(select(Correspondence).where(
            Correspondence.complaint_id == complaint.id))]
        texts += [i.state for i in s.scalars(select(WorkflowInstance).where(WorkflowInstance.complaint_id == complaint.id))]
        texts += [f"{h.summary} {json.dumps(h.detail)}" for h in s.scalars(select(HistoryEntry).where(
            HistoryEntry.complainant_id == person.id))]
        return "\n".join(texts), person.id


def test_retention_job_anonymises_closed_complaints_after_the_period(api, app, ctx, clock):
    app.config["RETENTION_YEARS"] = 6
    olivia = api("olivia")
    old = refused(olivia, clock, london(2026, 12, 1))
    recent = refused(olivia, clock, london(2027, 6, 1), name="Yusuf Recent")
    clock(london(2032, 12, 1, 9))
    open_ref = olivia.post("/complaints", {"complainant": {"name": "Olga Open"}, "channel": "phone",
                                           "received_at": "2032-12-01", "description": "Still open"}).get_json()["reference"]
    stored, person = everything_stored(ctx, old)
    assert NAME in stored and STORY in stored and EMAIL in stored
    figures = olivia.get("/reports/tsm?year=2026").get_json()
    letter_id = olivia.get(f"/complaints/{old}/correspondence").get_json()[0]["id"]

    # The job, as beat runs it daily (the task's own code, in the app context a worker gives it).
    assert "apply-retention" in celery_init_app(app).conf.beat_schedule
    clock(london(2032, 12, 2, 9))
    with app.app_context():
        from workers.tasks import apply_retention
        assert apply_retention.run() == 1  # only the one closed more than six years ago

    stored, _ = everything_stored(ctx, old)
    for secret in (NAME, "Zelda", EMAIL, STORY, "Lark Rise", "0115 496 0000", "claim at court"):
        assert secret not in stored, secret
    view = olivia.get(f"/complaints/{old}").get_json()
    assert view["anonymised_at"].startswith("2032-12-02") and view["status"] == "refused"
    assert view["refusal_exclusion"] == "legal_proceedings" and view["received_on"] == "2026-12-01"
    assert view["complainant"]["name"] == f"Person {person} (anonymised)"
    assert olivia.client.get(f"/api/v1/correspondence/{letter_id}/document",
                             headers=olivia._headers()).status_code == 404
    entry = next(h for h in view["history"] if h["kind"] == "anonymised")
    assert entry["actor"] is None and entry["before"] == {"anonymised": False} and entry["after"] == {"anonymised": True}
    assert "retention" in entry["summary"]
    triage = next(h for h in view["history"] if h["kind"] == "task_completed")
    assert triage["redacted_at"] and triage["detail"]["data"]["exclusion"] == "legal_proceedings"
    assert triage["detail"]["data"]["refusal_reasons"] == "[removed]"
    assert olivia.get("/reports/tsm?year=2026").get_json() == figures  # the regulator's figures do not move

    # The recent one and the open one are untouched; a second run finds nothing more to do.
    assert NAME not in everything_stored(ctx, recent)[0] and "Yusuf Recent" in everything_stored(ctx, recent)[0]
    assert olivia.get(f"/complaints/{open_ref}").get_json()["anonymised_at"] is None
    with app.app_context():
        assert apply_retention.run() == 0


def test_subject_access_export_holds_everything_about_the_person(api, app, ctx, clock):
    olivia = api("olivia")
    ref = refused(olivia, clock, london(2026, 12, 1))
    person = olivia.get(f"/complaints/{ref}").get_json()["complainant"]["id"]
    others = olivia.post("/complaints", {"complainant": {"name": "Someone Else"}, "channel": "phone",
                                         "received_at": "2026-12-01", "description": "Noise"}).get_json()["reference"]
    assert Browser(app, "olivia").client.get(f"/complainants/{person}/export.zip").status_code == 403
    response = Browser(app, "maya").client.get(f"/complainants/{person}/export.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    details = json.loads(archive.read("person.json"))
    assert details["name"] == NAME and details["email"] == EMAIL and details["address"] == "1 Lark Rise"
    complaints = [n for n in names if n.startswith("complaints/")]
    assert f"complaints/{ref}.json" in complaints
    assert json.loads(archive.read(f"complaints/{ref}.json"))["description"] == STORY
    letters = [n for n in names if n.startswith(f"letters/{ref}/") and n.endswith(".pdf")]
    assert letters, names
    pdf = archive.read(letters[0])
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert ref in text
    assert complaints == [f"complaints/{ref}.json"] and others not in archive.read("person.json").decode()
    assert "Someone Else" not in b"".join(archive.read(n) for n in names if n.endswith(".json")).decode()
    audit = olivia.get(f"/complaints/{ref}").get_json()
    with ctx.uow() as uow:
        export = uow.session.scalars(select(HistoryEntry).where(HistoryEntry.kind == "export")).one()
        assert export.complainant_id == person and export.after["export"] == "subject_access"
    assert audit["status"] == "refused"


def test_erasure_on_request_is_refused_while_open_then_anonymises(api, app, ctx, clock):
    olivia = api("olivia")
    ref = refused(olivia, clock, london(2026, 12, 1))
    person = olivia.get(f"/complaints/{ref}").get_json()["complainant"]["id"]
    clock(london(2026, 12, 3))
    busy_ref = olivia.post("/complaints", {"complainant": {"name": "Busy Person"}, "channel": "phone",
                                           "received_at": "2026-12-03", "description": "Open"}).get_json()["reference"]
    busy = olivia.get(f"/complaints/{busy_ref}").get_json()["complainant"]["id"]
    admin, manager = Browser(app, "adam"), Browser(app, "maya")
    form = f"/complainants/{busy}"
    manager.submit(f"/complainants/{busy}/erase", {"reason": "Asked on 2 Dec"}, expect=403, form_on=f"/complaints/{ref}")
    admin.submit(f"/complainants/{busy}/erase", {"reason": "Asked on 2 Dec"}, form_on=form)
    page = admin.page(form)
    assert f"close or withdraw these complaints first: {busy_ref}" in page and "Busy Person" in page
    admin.submit(f"/complainants/{person}/erase", {"reason": ""}, form_on=f"/complainants/{person}")
    assert NAME in admin.page(f"/complainants/{person}")  # no reason given: nothing erased

    admin.submit(f"/complainants/{person}/erase", {"reason": "Email of 2 December 2026"}, form_on=f"/complainants/{person}")
    stored, _ = everything_stored(ctx, ref)
    assert NAME not in stored and STORY not in stored and EMAIL not in stored
    page = admin.page(f"/complainants/{person}")
    assert "Anonymised on 2026-12-03" in page and "Erased on request by Adam Admin" in page
    with ctx.uow() as uow:
        erased = uow.session.scalars(select(HistoryEntry).where(HistoryEntry.kind == "erased")).one()
        assert erased.detail["reason"] == "erasure on request: Email of 2 December 2026"
        assert erased.actor_id is not None and erased.complainant_id == person
    admin.submit(f"/complainants/{person}/erase", {"reason": "again"}, form_on=f"/complainants/{busy}")
    assert "already anonymised" in admin.page(f"/complainants/{person}")


def test_case_file_for_the_ombudsman(api, app, ctx, clock):
    olivia = api("olivia")
    ref = refused(olivia, clock, london(2026, 12, 1))
    assert Browser(app, "olivia").client.get(f"/complaints/{ref}/case-file.zip").status_code == 403
    response = Browser(app, "maya").client.get(f"/complaints/{ref}/case-file.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    case = json.loads(archive.read("case.json"))
    assert case["reference"] == ref and case["refusal_exclusion"] == "legal_proceedings"
    assert [h["kind"] for h in case["history"]][:1] == ["logged"]
    printable = subprocess.run(["pdftotext", "-", "-"], input=archive.read("case-file.pdf"), capture_output=True,
                               check=True).stdout.decode()
    assert ref in printable and NAME in printable
    assert any(n.startswith("letters/") and n.endswith(".pdf") for n in archive.namelist())
    assert Browser(app, "maya").client.get("/complaints/NOPE/case-file.zip").status_code == 404
