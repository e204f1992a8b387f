"""bin/backup and bin/restore on this run's database (the SQLite file, or PostgreSQL when
COMPLAINTFLOW_TEST_DATABASE_URL is set): a complaint part-way through the procedure is backed up, its data
destroyed and restored, and a freshly built app finds it exactly as it was and carries it on."""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import create_engine, inspect, select, text

from service import app_context, create_app
from service.persistence.models import Timer, User
from service.use_cases import fire_due_timers
from tests.conftest import PG_URL, Api, london

ROOT = Path(__file__).resolve().parents[2]


def run(command: str, database_url: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run bin/<command> as an operator would, pointed at `database_url` like the app."""
    environment = {**os.environ, "COMPLAINTFLOW_DATABASE_URL": database_url, **env}
    return subprocess.run([str(ROOT / "bin" / command), *args], env=environment, capture_output=True, text=True,
                          timeout=120)


def log(api: Api) -> str:
    created = api.post("/complaints", {"complainant": {"name": "Ada Resident", "phone": "0115 000 0000"},
                                       "channel": "phone", "received_at": "2026-12-18",
                                       "description": "Damp in the bedroom, reported twice.",
                                       "outcome_sought": "Fix the damp"})
    assert created.status_code == 201, created.get_json()
    return str(created.get_json()["reference"])


def state(api: Api, ctx: Any, reference: str) -> dict[str, Any]:
    """Everything the journey depends on: the complaint as the API shows it (status, stage, deadlines, history,
    open tasks), the officer's open tasks with their ids and due dates, and the waiting timer rows."""
    with ctx.uow() as uow:
        timers = [(t.name, t.task_id, t.due_at.isoformat())
                  for t in uow.session.scalars(select(Timer).order_by(Timer.due_at, Timer.task_id))]
    complaint, tasks = api.get(f"/complaints/{reference}"), api.get("/tasks")
    assert complaint.status_code == tasks.status_code == 200, (complaint.get_json(), tasks.get_json())
    return {"complaint": complaint.get_json(),
            "tasks": [t for t in tasks.get_json() if t["complaint_reference"] == reference],
            "timers": timers}


def rebuild(app: Flask) -> Flask:
    """A new app with the same settings: nothing carried over in memory, and not migrated or seeded again."""
    return create_app({key: app.config[key] for key in ("DATABASE_URL", "TESTING", "SECRET_KEY", "PROFILE",
                                                        "DEMO_USERS", "BROKER_URL", "RESULT_BACKEND")})


def names(complaint: dict[str, Any]) -> list[str]:
    """The names of a complaint's open tasks."""
    return sorted(task["name"] for task in complaint["open_tasks"])


def destroy(database_url: str) -> None:
    """Lose the data: drop PostgreSQL's public schema, or delete the SQLite file (and its write-ahead log)."""
    if PG_URL:
        engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
        with engine.connect() as conn:
            assert inspect(conn).get_table_names() == []
        engine.dispose()
    else:
        path = Path(database_url.removeprefix("sqlite:///"))
        for lost in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            lost.unlink(missing_ok=True)
        assert not path.exists()


def test_a_restored_database_carries_the_journey_on(app, api, clock, ctx, database_url, tmp_path):
    olivia = api("olivia")
    clock(london(2026, 12, 21))
    ref = log(olivia)
    olivia.complete(ref, "triage", {"triage_decision": "accept"})
    clock(london(2026, 12, 22))
    olivia.complete(ref, "stage1_acknowledge", {"stage1_acknowledged_on": "2026-12-22",
                                                "complaint_definition": "Damp in bedroom", "outcome_sought": "Repair"})
    clock(london(2027, 1, 5))
    olivia.complete(ref, "stage1_investigate", {"investigation_notes": "Contractor booked",
                                                "stage1_next_step": "extend", "stage1_extended_to": "2027-01-15",
                                                "stage1_extension_reasons": "Damp survey needed"})
    before = state(olivia, ctx, ref)
    assert before["complaint"]["status"] == "open" and names(before["complaint"]) == ["stage1_investigate"]
    assert before["complaint"]["deadlines"]["stage1_response"] == {"due": "2027-01-15", "met_on": None,
                                                                   "breached": False}
    assert len(before["timers"]) == 2  # the extended response deadline's reminder and breach

    # Backed up while the app still holds its connections (on SQLite, recent writes may sit in the WAL).
    backups = tmp_path / "backups"
    backups.mkdir()
    backed_up = run("backup", database_url, str(backups))
    assert backed_up.returncode == 0, backed_up.stderr
    [backup] = list(backups.iterdir())
    assert backup.suffix == (".dump" if PG_URL else ".sqlite3")
    assert f"wrote {backup}, {backup.stat().st_size} bytes" in backed_up.stdout

    app.extensions["complaintflow_engine"].dispose()
    destroy(database_url)
    restored = run("restore", database_url, str(backup))
    assert restored.returncode == 0, restored.stderr
    assert f"restored {backup}" in restored.stdout

    # A new app on the restored database: the old bearer tokens still work.
    fresh = rebuild(app)
    try:
        client = fresh.test_client()
        olivia = Api(client, olivia.token)
        fresh_ctx = app_context(fresh)
        assert state(olivia, fresh_ctx, ref) == before

        # New rows take new numbers (PostgreSQL's sequences came back with the tables).
        second = log(olivia)
        assert int(second[-6:]) > int(ref[-6:])

        # The restored timer rows fire: the reminder two working days before the extended deadline.
        clock(london(2027, 1, 13, 10))
        assert fire_due_timers.run(fresh_ctx) == 1
        assert [h["kind"] for h in olivia.get(f"/complaints/{ref}").get_json()["history"]].count("reminder") == 1

        clock(london(2027, 1, 14))
        olivia.complete(ref, "stage1_investigate", {"investigation_notes": "Survey done", "stage1_next_step": "respond"})
        olivia.complete(ref, "stage1_respond", {"stage1_responded_on": "2027-01-14", "complaint_category": "repairs",
                                                "root_cause": "delay", "stage1_decision": "partly_upheld",
                                                "stage1_reasons": "Repair was late", "stage1_remedy": "£50"})
        after = olivia.get(f"/complaints/{ref}").get_json()
        assert after["deadlines"]["stage1_response"] == {"due": "2027-01-15", "met_on": "2027-01-14", "breached": False}
        assert names(after) == ["escalation"]
        assert len(after["history"]) > len(before["complaint"]["history"]) + 2
    finally:
        fresh.extensions["complaintflow_engine"].dispose()


def test_restore_over_live_data_puts_back_the_backup_and_drops_what_came_after(app, api, clock, database_url,
                                                                              tmp_path):
    olivia = api("olivia")
    clock(london(2026, 12, 21))
    ref = log(olivia)
    backup = tmp_path / "before.bak"
    assert run("backup", database_url, str(backup)).returncode == 0
    olivia.complete(ref, "triage", {"triage_decision": "accept"})
    later = log(olivia)

    app.extensions["complaintflow_engine"].dispose()  # the procedure: stop the app, then restore
    restored = run("restore", database_url, str(backup))
    assert restored.returncode == 0, restored.stderr
    fresh = rebuild(app)
    try:
        olivia = Api(fresh.test_client(), olivia.token)
        assert names(olivia.get(f"/complaints/{ref}").get_json()) == ["triage"]
        assert olivia.get(f"/complaints/{later}").status_code == 404
    finally:
        fresh.extensions["complaintflow_engine"].dispose()


def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(app, ctx, database_url, tmp_path):
    with ctx.uow() as uow:
        staff = sorted(uow.session.scalars(select(User.name)))
    assert staff
    junk = tmp_path / "junk.dump"
    junk.write_text("not a backup\n")
    refused = run("restore", database_url, str(junk))
    assert refused.returncode != 0
    assert ("not a pg_dump custom-format archive" if PG_URL else "is not a SQLite database") in refused.stderr
    with ctx.uow() as uow:
        assert sorted(uow.session.scalars(select(User.name))) == staff


def test_backup_and_restore_fail_clearly(tmp_path):
    out = str(tmp_path / "out")
    unknown = run("backup", "mysql://db/complaints", out)
    assert unknown.returncode == 1 and "unknown database URL scheme 'mysql'" in unknown.stderr

    missing_db = run("backup", f"sqlite:///{tmp_path / 'absent.db'}", out)
    assert missing_db.returncode == 1 and f"no SQLite database at {tmp_path / 'absent.db'}" in missing_db.stderr
    assert not (tmp_path / "absent.db").exists()

    missing_src = run("restore", f"sqlite:///{tmp_path / 'absent.db'}", str(tmp_path / "absent.sqlite3"))
    assert missing_src.returncode == 1 and "no backup file at" in missing_src.stderr

    no_pg_dump = run("backup", "postgresql+psycopg://cf:s3cret@127.0.0.1:1/none", out, PG_DUMP="/nonexistent/pg_dump")
    assert no_pg_dump.returncode == 1 and "pg_dump not found" in no_pg_dump.stderr

    unreachable = run("backup", "postgresql+psycopg://cf:s3cret@127.0.0.1:1/none", out)
    assert unreachable.returncode == 1 and "pg_dump failed for postgresql+psycopg://cf:***@127.0.0.1:1/none" in \
        unreachable.stderr and "s3cret" not in unreachable.stderr
    assert list(tmp_path.iterdir()) == []  # nothing half-written left behind

    memory = run("backup", "sqlite://", out)
    assert memory.returncode == 1 and "in-memory database" in memory.stderr


def test_the_default_database_is_the_apps(tmp_path):
    # Without COMPLAINTFLOW_DATABASE_URL both the app and bin/backup use complaintflow.db in COMPLAINTFLOW_VAR_DIR.
    env = {key: value for key, value in os.environ.items() if key != "COMPLAINTFLOW_DATABASE_URL"}
    env["COMPLAINTFLOW_VAR_DIR"] = str(tmp_path)
    apps = subprocess.run([sys.executable, "-c", "from service.config import load_settings; "
                           "print(load_settings()['DATABASE_URL'])"],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=60, check=True).stdout.strip()
    assert apps == f"sqlite:///{tmp_path / 'complaintflow.db'}"
    backed_up = subprocess.run([str(ROOT / "bin" / "backup"), str(tmp_path / "out")], env=env, capture_output=True,
                               text=True, timeout=60)
    assert backed_up.returncode == 1 and f"no SQLite database at {tmp_path / 'complaintflow.db'}" in backed_up.stderr
