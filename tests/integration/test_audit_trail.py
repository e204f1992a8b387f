"""The audit trail: every state change with actor, time and before/after — task completed, timer fired, deploy,
migration, restriction decision, sign-in, export — append-only (the database refuses any update or delete but
the one-way redaction), and viewable per complaint, per person and whole."""

import re
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import joinedload

from service.persistence.models import HistoryEntry
from service.use_cases import fire_due_timers
from tests.conftest import csrf_token, london
from tests.web.test_browser_forms import Browser
from tests.web.test_process_versions import INVESTIGATE, live_xml, upload
from tests.web.test_restrictions import PROPOSAL, decide_task

ROOT = Path(__file__).resolve().parents[2]


def entries(ctx, kind):
    with ctx.uow() as uow:
        return list(uow.session.query(HistoryEntry).options(joinedload(HistoryEntry.actor))
                    .filter(HistoryEntry.kind == kind).order_by(HistoryEntry.id))


def test_every_kind_of_change_is_recorded_with_who_when_before_and_after(api, app, ctx, clock):
    olivia, maya, priya = api("olivia"), api("maya"), api("priya")
    clock(london(2026, 12, 1, 9))
    ref = olivia.post("/complaints", {"complainant": {"name": "Ada Resident"}, "channel": "phone",
                                      "received_at": "2026-12-01", "description": "Damp"}).get_json()["reference"]
    person = olivia.get(f"/complaints/{ref}").get_json()["complainant"]["id"]

    # Sign-in (through the form, as staff do).
    Browser(app, "maya")
    login = entries(ctx, "login")[-1]
    assert login.actor.name == "maya" and (login.before, login.after) == (None, None)  # no lock state moved

    # A task completed: what the instance waited on before, and after.
    olivia.complete(ref, "triage", {"triage_decision": "accept"})
    done = entries(ctx, "task_completed")[-1]
    assert done.actor.name == "olivia" and done.at == london(2026, 12, 1, 9)
    assert done.before["open_tasks"] == ["triage"] and "stage1_acknowledge" in done.after["open_tasks"]
    assert "waiting_timers" not in done.before and "finished" not in done.after  # only what changed is kept

    # A timer fired by the sweep (no actor): the acknowledgement reminder, its deadline before and after.
    clock(london(2026, 12, 7, 9))
    assert fire_due_timers.run(ctx) >= 1
    reminder = entries(ctx, "reminder")[-1]
    assert reminder.actor_id is None and reminder.before["reminded_at"] is None
    assert reminder.after["reminded_at"].startswith("2026-12-07")

    # A restriction decision.
    rid = olivia.post(f"/complainants/{person}/restrictions", PROPOSAL).get_json()["id"]
    task = decide_task(maya, rid)
    maya.post(f"/tasks/{task['id']}/complete", {"data": {"decision": "approve", "reasons": "Proportionate"}})
    decision = entries(ctx, "restriction_decision")[-1]
    assert decision.actor.name == "maya" and decision.complainant_id == person
    assert (decision.before, decision.after) == ({"decision": None}, {"decision": "approve"})
    notice = entries(ctx, "restriction_notice")[-1]
    assert (notice.before["status"], notice.after["status"]) == ("proposed", "active")

    # A deploy, then a migration of the open complaint onto it.
    live, xml = live_xml(priya)
    draft = upload(priya, xml.replace(INVESTIGATE, INVESTIGATE.replace("Investigate (Stage 1)", "Investigate")), 201)
    assert priya.post(f"/processes/complaint/versions/{draft['version']}/deploy", {}).status_code == 200
    deploy = entries(ctx, "process_deployed")[-1]
    assert deploy.actor.name == "priya"
    assert (deploy.before["live_version"], deploy.after["live_version"]) == (live, draft["version"])
    moved = priya.post(f"/processes/complaint/versions/{draft['version']}/migration", {"dry_run": False})
    assert moved.status_code == 200, moved.get_json()
    migration = [e for e in entries(ctx, "instance_migrated") if e.complaint_id is not None][-1]
    assert (migration.before["version"], migration.after["version"]) == (live, draft["version"])

    # An export.
    browser = Browser(app, "maya")
    assert browser.client.get(f"/complaints/{ref}/case-file.zip").status_code == 200
    export = entries(ctx, "export")[-1]
    assert export.actor.name == "maya" and export.after["export"] == "ombudsman_case_file"

    # Viewable per complaint, per person and whole.
    page = browser.page(f"/complaints/{ref}")
    assert "Open tasks: Triage" in page and "Reminded at: 2026-12-07" in page  # the trail in words
    person_page = browser.page(f"/complainants/{person}")
    assert "Contact restriction: approve" in person_page and "Status: Proposed" in person_page
    whole = browser.page("/audit?kind=login")
    assert "Maya Manager signed in" in whole and "Triage" not in whole
    assert "Ombudsman case file exported" in browser.page(f"/audit?person={person}")
    assert Browser(app, "olivia").client.get("/audit").status_code == 403


def test_the_trail_is_append_only(api, app, ctx, clock):
    olivia = api("olivia")
    clock(london(2026, 12, 1))
    olivia.post("/complaints", {"complainant": {"name": "R"}, "channel": "phone", "received_at": "2026-12-01",
                                "description": "d"})
    engine = app.extensions["complaintflow_engine"]
    with engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM history_entry")).scalar()
    assert count >= 2
    for statement in ("UPDATE history_entry SET summary = 'rewritten'",
                      "UPDATE history_entry SET actor_id = NULL",
                      "UPDATE history_entry SET summary = 'x', redacted_at = CURRENT_TIMESTAMP, kind = 'other'",
                      "DELETE FROM history_entry"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    # Through the ORM too: a changed entry cannot be flushed.
    with ctx.uow() as uow:
        entry = uow.session.query(HistoryEntry).first()
        entry.summary = "rewritten"
        with pytest.raises(DBAPIError, match="append-only"):
            uow.session.flush()
    # The one change allowed, redaction of the content, happens once only.
    with engine.begin() as conn:
        conn.execute(text("UPDATE history_entry SET summary = 'removed', redacted_at = CURRENT_TIMESTAMP "
                          "WHERE kind = 'logged'"))
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text("UPDATE history_entry SET summary = 'again', redacted_at = CURRENT_TIMESTAMP "
                          "WHERE kind = 'logged'"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM history_entry")).scalar() == count

    # And the application has no path that updates or deletes an entry: none of its code issues one.
    offenders = []
    for path in (ROOT / "service").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        source = path.read_text()
        if re.search(r"(update|delete)\(\s*HistoryEntry|history_entry\s+SET|FROM\s+history_entry", source, re.I):
            offenders.append(str(path))
        if re.search(r"session\.delete\(\s*(entry|history)", source):
            offenders.append(str(path))
    assert offenders == []


def test_sign_in_is_rate_limited_and_locks_after_wrong_passwords(app, ctx, clock):
    app.config.update(LOGIN_LIMIT=30, LOCKOUT_AFTER=5, LOCKOUT_MINUTES=15)
    clock(london(2026, 12, 1, 9))
    client = app.test_client()

    def attempt(password, name="olivia", address="127.0.0.1"):
        token = csrf_token(client.get("/login").get_data(as_text=True))
        return client.post("/login", data={"name": name, "password": password, "csrf_token": token},
                           environ_base={"REMOTE_ADDR": address})

    for _ in range(4):
        assert attempt("wrong").status_code == 200
    locked = attempt("wrong")
    assert locked.status_code == 403 and "paused until 09:15 UTC" in locked.get_data(as_text=True)
    refused = attempt("complaintflow")  # the right password, while locked from this address
    assert refused.status_code == 403
    assert len(entries(ctx, "login_failed")) == 5 and len(entries(ctx, "login_refused")) == 1
    assert entries(ctx, "login_failed")[-1].after["locked_until"].startswith("2026-12-01T09:15")
    assert attempt("complaintflow", "maya").status_code == 302  # others are not affected
    # Whoever locked it, olivia still signs in from her own desk: the lock holds only where the guesses came from.
    assert attempt("complaintflow", address="10.1.2.3").status_code == 302
    # A name nobody has locks the same way, with the same words: a lock tells nothing of who exists.
    for _ in range(4):
        assert attempt("wrong", "nobody-here").status_code == 200
    unknown = attempt("wrong", "nobody-here")
    assert unknown.status_code == 403 and "paused until 09:15 UTC" in unknown.get_data(as_text=True)
    clock(london(2026, 12, 1, 9, 16))
    assert attempt("complaintflow").status_code == 302
    assert entries(ctx, "login")[-1].before == {"locked_until": "2026-12-01T09:15:00+00:00"}
    assert entries(ctx, "login")[-1].after == {"locked_until": None}

    # Too many attempts from one address in a minute: 429, whatever the account.
    app.config["LOGIN_LIMIT"] = 3
    statuses = [attempt("x", "nobody").status_code for _ in range(6)]
    assert statuses[-1] == 429 and 200 in statuses
