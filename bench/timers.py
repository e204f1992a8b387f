"""10,000 timers due at once, fired by two real Celery workers on Redis (and beat sweeping every second).

Stamps complaints at triage whose acknowledgement reminder and breach timers are both long past due (two timers
each), starts two `celery worker` processes and `celery beat` against PostgreSQL and Redis, and reports the wall
time until no stamped timer is left due, how many fired twice (two history entries for one timer task) and how
many were lost (a stamped timer with no entry, or still due). The same run times the raw SpiffWorkflow cycle
(load → refresh_timers → do_engine_steps → serialize) on the same instance, for the ratio.

    .venv/bin/python -m bench.timers [--timers 10000] [--database-url postgresql+psycopg://…/bench]
        [--redis-url redis://127.0.0.1:6379/5] [--workers 2] [--concurrency 2]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import redis
from sqlalchemy import func, select, text

from bench.database import fresh_app
from bench.stamps import Stamper, walk_templates
from service import app_context
from service.persistence.models import HistoryEntry, Timer, WorkflowInstance
from service.use_cases.processes import compiled
from service.workflow import runtime


def _celery(args: list[str], env: dict[str, str], log: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "workers.celery_app", *args], env=env,
                            stdout=log, stderr=subprocess.STDOUT)


@contextmanager
def celery_workers(database_url: str, redis_url: str, workers: int, concurrency: int) -> Iterator[float]:
    """`workers` real Celery workers, then beat sweeping every second, on the database and Redis; yields the
    moment beat started (the workers had 5 s to connect before it)."""
    redis.Redis.from_url(redis_url).flushdb()
    tmp = Path(tempfile.mkdtemp())
    env = {**os.environ, "COMPLAINTFLOW_DATABASE_URL": database_url, "COMPLAINTFLOW_BROKER_URL": redis_url,
           "COMPLAINTFLOW_RESULT_BACKEND": f"db+sqlite:///{tmp / 'results.db'}", "COMPLAINTFLOW_TIMER_SWEEP_SECONDS": "1",
           "COMPLAINTFLOW_SECRET_KEY": "bench", "COMPLAINTFLOW_VAR_DIR": str(tmp), "COMPLAINTFLOW_DEMO_USERS": "false"}
    with open(tmp / "celery.log", "w") as log:
        processes = [_celery(["worker", "--loglevel", "WARNING", "--concurrency", str(concurrency), "-n",
                              f"bench{n}@%h", "--without-gossip", "--without-mingle"], env, log)
                     for n in range(workers)]
        time.sleep(5)  # let the workers connect before the clock starts
        started = time.perf_counter()
        processes.append(_celery(["beat", "--loglevel", "WARNING", "--schedule", str(tmp / "beat-schedule")], env, log))
        try:
            yield started
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=60)


def raw_fire_ms(app: Any, runs: int = 50) -> float:
    """Median ms of firing one stamped instance's due timers in the engine alone (no database)."""
    ctx = app_context(app)
    with ctx.uow() as uow:
        instance = uow.session.scalars(select(WorkflowInstance).limit(1)).one()
        process, state = compiled(instance.process_version), instance.state
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        runtime.fire_due_timers(process, state, ctx.policy.params)
        samples.append(time.perf_counter() - started)
    samples.sort()
    return samples[len(samples) // 2] * 1000


def main() -> None:
    """Stamp, fire with real workers, and print wall time, doubles and losses."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--timers", type=int, default=10000)
    parser.add_argument("--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/bench_timers")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    app = fresh_app(args.database_url)
    ctx = app_context(app)
    template = walk_templates(app, ["triage"])["triage"]
    per_instance = len(template.rows["timer"])
    instances = args.timers // per_instance
    started = time.perf_counter()
    with ctx.uow() as uow:
        stamper = Stamper(uow.session)
        for _ in range(instances - 1):  # the template itself is the first
            stamper.stamp(template)
        stamper.finish()
        uow.commit()
    with ctx.uow() as uow:
        stamped = set(uow.session.scalars(select(Timer.task_id)))
    print(f"{instances} complaints (stamped from one walked through the API) with {len(stamped)} due timers "
          f"in {time.perf_counter() - started:.1f} s")
    raw_ms = raw_fire_ms(app)

    with celery_workers(args.database_url, args.redis_url, args.workers, args.concurrency) as started:
        while True:
            time.sleep(0.5)
            with ctx.uow() as uow:
                left = uow.session.scalar(select(func.count()).select_from(Timer).where(Timer.task_id.in_(stamped)))
            if not left:
                break
            if time.perf_counter() - started > 600:
                break
        wall = time.perf_counter() - started
    with ctx.uow() as uow:
        fired = uow.session.execute(text(
            "SELECT detail->>'timer_task' AS task, count(*) FROM history_entry "
            "WHERE detail->>'timer_task' IS NOT NULL GROUP BY 1")).all()
        still_due = uow.session.scalar(select(func.count()).select_from(Timer).where(Timer.task_id.in_(stamped)))
        entries = uow.session.scalar(select(func.count()).select_from(HistoryEntry))
    counts = {task: count for task, count in fired}
    twice = sum(1 for task in stamped if counts.get(task, 0) > 1)
    lost = sum(1 for task in stamped if counts.get(task, 0) == 0)
    print(f"{args.workers} workers x concurrency {args.concurrency} on {args.redis_url}, beat every 1 s")
    print(f"fired {len(stamped) - lost} of {len(stamped)} timers in {wall:.1f} s "
          f"({(len(stamped) - lost) / wall:.0f} timers/s; goal: 10,000 in <= 30 s)")
    print(f"fired twice: {twice}; lost: {lost}; still due: {still_due}; history entries: {entries}")
    per_timer_ms = wall * 1000 / max(1, (len(stamped) - lost) / per_instance)
    print(f"raw SpiffWorkflow fire of one instance's timers: median {raw_ms:.2f} ms; wall per instance with "
          f"{args.workers * args.concurrency} processes: {per_timer_ms:.2f} ms "
          f"(ratio {per_timer_ms / raw_ms:.2f}x)")


if __name__ == "__main__":
    main()
