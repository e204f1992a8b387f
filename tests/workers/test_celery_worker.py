"""Real Celery workers and beat fire due timers. The broker is Redis when COMPLAINTFLOW_TEST_REDIS_URL is set
(as in CI), else the embedded SQLite broker; the database is the test database of the run."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import redis
from sqlalchemy import func, select

from service.persistence.models import HistoryEntry, Task, Timer
from tests.conftest import REDIS_URL


def _start(args, env, log):
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "workers.celery_app", *args],
                            env=env, stdout=log, stderr=subprocess.STDOUT)


@contextmanager
def celery_running(app, tmp_path, concurrency=2, **settings):
    """A real worker and beat on this test's database, sweeping every second; yields the log and processes."""
    broker = REDIS_URL or f"sqla+sqlite:///{tmp_path / 'broker.db'}"
    if REDIS_URL:
        redis.Redis.from_url(REDIS_URL).flushdb()  # fails the test if Redis is down: no silent skip
    env = {**os.environ, "COMPLAINTFLOW_DATABASE_URL": app.config["DATABASE_URL"],
           "COMPLAINTFLOW_BROKER_URL": broker, "COMPLAINTFLOW_RESULT_BACKEND": f"db+sqlite:///{tmp_path / 'r.db'}",
           "COMPLAINTFLOW_TIMER_SWEEP_SECONDS": "1", "COMPLAINTFLOW_SECRET_KEY": "test",
           "COMPLAINTFLOW_VAR_DIR": str(tmp_path), "COMPLAINTFLOW_DEMO_USERS": "false",
           **{f"COMPLAINTFLOW_{key}": str(value) for key, value in settings.items()}}
    path = tmp_path / "celery.log"
    with open(path, "w") as log:
        worker = _start(["worker", "--loglevel", "INFO", "--concurrency", str(concurrency), "--without-gossip",
                         "--without-mingle"], env, log)
        beat = _start(["beat", "--loglevel", "INFO", "--schedule", str(tmp_path / "beat-schedule")], env, log)
        try:
            yield path, (worker, beat)
        finally:
            for process in (beat, worker):
                process.terminate()
            for process in (beat, worker):
                process.wait(timeout=30)


def wait_for(condition, log_path, processes, seconds=90):
    """Poll `condition` once a second until it holds; fail with the Celery log if it never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(1)
        assert all(p.poll() is None for p in processes), log_path.read_text()[-3000:]
        if condition():
            return
    raise AssertionError(log_path.read_text()[-3000:])


def test_worker_and_beat_fire_a_due_breach_exactly_once(api, ctx, clock, app, tmp_path):
    olivia = api("olivia")
    # Log the complaint five weeks ago: by now its acknowledgement deadline has passed in real time.
    clock(datetime.now(UTC) - timedelta(days=35))
    ref = olivia.post("/complaints", {"complainant": {"name": "Cara"}, "channel": "email",
                                      "received_at": datetime.now(UTC).date().isoformat(),
                                      "description": "No hot water"}).get_json()["reference"]
    clock(datetime.now(UTC) + timedelta(days=35))  # back to (about) the real present, frozen
    with ctx.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Timer)) == 2

    with celery_running(app, tmp_path) as (log_path, processes):
        wait_for(lambda: olivia.get(f"/complaints/{ref}").get_json()["deadlines"]["stage1_acknowledge"]["breached"],
                 log_path, processes)
        time.sleep(3)  # further sweeps must not fire anything again
    with ctx.uow() as uow:
        s = uow.session
        kinds = list(s.scalars(select(HistoryEntry.kind)))
        assert kinds.count("breach") == 1 and kinds.count("reminder") == 1
        review_tasks = select(func.count()).select_from(Task).where(Task.name == "stage1_acknowledge_breach_review")
        assert s.scalar(review_tasks) == 1
        assert s.scalar(select(func.count()).select_from(Timer)) == 0


def test_worker_fires_a_restriction_review(api, ctx, clock, app, tmp_path):
    olivia, maya = api("olivia"), api("maya")
    clock(datetime.now(UTC) - timedelta(days=10))  # proposed and approved ten days ago
    ref = olivia.post("/complaints", {"complainant": {"name": "Dee"}, "channel": "phone",
                                      "received_at": datetime.now(UTC).date().isoformat(),
                                      "description": "Calls"}).get_json()["reference"]
    person = olivia.get(f"/complaints/{ref}").get_json()["complainant"]["id"]
    review_on = (datetime.now(UTC) + timedelta(days=5)).date().isoformat()
    rid = olivia.post(f"/complainants/{person}/restrictions", {
        "kinds": ["written_only"], "behaviour": "b", "evidence": "e", "reasons": "r",
        "equality_considerations": "q", "review_on": review_on}).get_json()["id"]
    task = next(t for t in maya.get("/tasks").get_json() if t["restriction_id"] == rid)
    assert maya.post(f"/tasks/{task['id']}/complete", {"data": {"decision": "approve",
                                                                "reasons": "ok"}}).status_code == 200
    clock(datetime.now(UTC) + timedelta(days=10))  # the review date passed five days ago

    def review_raised():
        return [t for t in maya.get("/tasks").get_json()
                if t["restriction_id"] == rid and t["name"] == "review_restriction"]

    with celery_running(app, tmp_path, concurrency=1) as (log_path, processes):
        wait_for(review_raised, log_path, processes)


def test_beat_and_a_worker_send_the_queued_letters_over_smtp(api, app, tmp_path):
    from datetime import date

    from tests.integration.test_correspondence import Server

    server = Server()
    server.start()
    try:
        olivia = api("olivia")
        today = date.today().isoformat()
        ref = olivia.post("/complaints", {"complainant": {"name": "Rita", "email": "rita@example.org"},
                                          "channel": "email", "received_at": today,
                                          "description": "Damp"}).get_json()["reference"]
        olivia.complete(ref, "triage", {"triage_decision": "accept"})
        olivia.complete(ref, "stage1_acknowledge", {"stage1_acknowledged_on": today, "complaint_definition": "Damp",
                                                    "outcome_sought": "Fix"})
        with celery_running(app, tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=server.port, SMTP_TLS="none") \
                as (log, processes):
            wait_for(lambda: len(server.inbox.messages) == 1, log, processes)
            time.sleep(3)  # further sweeps must not send it again
        [message] = server.inbox.messages
        assert ref in message["Subject"] and any(
            part.get_content_type() == "application/pdf" for part in message.walk())
        [item] = olivia.get(f"/complaints/{ref}/correspondence").get_json()
        assert item["email"]["status"] == "sent"
    finally:
        server.stop()


def test_worker_and_beat_replay_a_what_if_to_the_end(api, ctx, clock, app, tmp_path):
    from service.use_cases import what_if
    from service.use_cases.context import Actor
    from tests.conftest import london
    from tests.web.test_process_versions import live_xml, upload
    from tests.web.test_what_if import RESPONSE_DAYS, walk

    for day in ("2027-03-12", "2027-03-15", "2027-03-17"):
        walk(api, clock, day)
    clock(london(2027, 4, 1))
    _, xml = live_xml(api("priya"))
    draft = upload(api("priya"), xml.replace(RESPONSE_DAYS, "8", 1), 201)
    run = what_if.start(ctx, "complaint", draft["version"], Actor(id=0, name="priya", role="process_owner"),
                        london(2027, 3, 1).date(), london(2027, 3, 31).date())
    with celery_running(app, tmp_path) as (log_path, processes):
        wait_for(lambda: what_if.report(ctx, run["id"])["finished"], log_path, processes)
    report = what_if.report(ctx, run["id"])
    assert report["done"] == report["total"] == 3
    assert report["sides"]["draft"]["missed"] == {"stage1_response": 2}
    assert report["sides"]["live"]["missed"] == {"stage1_response": 1}
