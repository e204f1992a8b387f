"""A real Celery worker and beat fire a due timer. The broker is Redis when COMPLAINTFLOW_TEST_REDIS_URL is set
(as in CI), else the embedded SQLite broker; the database is the test database of the run."""

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import redis
from sqlalchemy import func, select

from service.persistence.models import HistoryEntry, Task, Timer
from tests.conftest import REDIS_URL


def _start(args, env, log):
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "workers.celery_app", *args],
                            env=env, stdout=log, stderr=subprocess.STDOUT)


def test_worker_and_beat_fire_a_due_breach_exactly_once(api, ctx, clock, app, tmp_path):
    olivia = api("olivia")
    # Log the complaint five weeks ago: by now its acknowledgement deadline has passed in real time.
    clock(datetime.now(UTC) - timedelta(days=35))
    ref = olivia.post("/complaints", {"complainant": {"name": "Cara"}, "channel": "email",
                                      "received_at": (datetime.now(UTC)).date().isoformat(),
                                      "description": "No hot water"}).get_json()["reference"]
    clock(datetime.now(UTC) + timedelta(days=35))  # back to (about) the real present, frozen
    with ctx.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Timer)) == 2

    broker = REDIS_URL or f"sqla+sqlite:///{tmp_path / 'broker.db'}"
    if REDIS_URL:
        redis.Redis.from_url(REDIS_URL).flushdb()  # fails the test if Redis is down: no silent skip
    env = {**os.environ, "COMPLAINTFLOW_DATABASE_URL": app.config["DATABASE_URL"],
           "COMPLAINTFLOW_BROKER_URL": broker, "COMPLAINTFLOW_RESULT_BACKEND": f"db+sqlite:///{tmp_path / 'r.db'}",
           "COMPLAINTFLOW_TIMER_SWEEP_SECONDS": "1", "COMPLAINTFLOW_SECRET_KEY": "test",
           "COMPLAINTFLOW_VAR_DIR": str(tmp_path), "COMPLAINTFLOW_DEMO_USERS": "false"}
    log = open(tmp_path / "celery.log", "w")
    worker = _start(["worker", "--loglevel", "INFO", "--concurrency", "2", "--without-gossip", "--without-mingle"],
                    env, log)
    beat = _start(["beat", "--loglevel", "INFO", "--schedule", str(tmp_path / "beat-schedule")], env, log)
    try:
        deadline = time.monotonic() + 90
        breached = False
        while time.monotonic() < deadline and not breached:
            time.sleep(1)
            breached = olivia.get(f"/complaints/{ref}").get_json()["deadlines"]["stage1_acknowledge"]["breached"]
            assert worker.poll() is None and beat.poll() is None, (tmp_path / "celery.log").read_text()[-3000:]
        assert breached, (tmp_path / "celery.log").read_text()[-3000:]
        time.sleep(3)  # further sweeps must not fire anything again
    finally:
        for process in (beat, worker):
            process.terminate()
        for process in (beat, worker):
            process.wait(timeout=30)
        log.close()
    with ctx.uow() as uow:
        s = uow.session
        kinds = list(s.scalars(select(HistoryEntry.kind)))
        assert kinds.count("breach") == 1 and kinds.count("reminder") == 1
        assert s.scalar(select(func.count()).select_from(Task).where(Task.name == "stage1_acknowledge_breach_review")) == 1
        assert s.scalar(select(func.count()).select_from(Timer)) == 0
