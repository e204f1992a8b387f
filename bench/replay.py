"""What-if replay of 10,000 recorded complaints by two real Celery workers (and beat sweeping every second).

Walks one complaint through the JSON API to each closed stage (closed after Stage 1, closed after Stage 2,
refused), saves a draft whose Stage 1 response is 8 working days, replays those three through the draft and the
live version in this process (the baseline: ms per complaint, both ways, with its reads and writes), stamps copies
up to N with COPY (received the same day as the walked ones), starts a replay of every complaint, starts two
`celery worker` processes and `celery beat` against PostgreSQL and Redis, and reports the wall time until every
complaint is replayed.

    .venv/bin/python -m bench.replay [--complaints 10000] [--database-url …] [--redis-url …] [--workers 2]
"""

from __future__ import annotations

import argparse
import statistics
import time

from sqlalchemy import func, select

from bench.database import fresh_app
from bench.stamps import Stamper, walk_templates
from bench.timers import celery_workers
from service import app_context
from service.persistence.models import Complaint, ReplayItem
from service.use_cases import process_versions, what_if
from service.use_cases.context import Actor

STAGES = ["closed_stage1", "closed_stage2", "refused"]
OWNER = Actor(id=0, name="bench", role="process_owner")


def main() -> None:
    """Stamp, replay with real workers, and print the wall time against one in-process replay."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--complaints", type=int, default=10000)
    parser.add_argument("--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/bench_replay")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/6")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    app = fresh_app(args.database_url)
    ctx = app_context(app)
    templates = list(walk_templates(app, STAGES).values())
    live = process_versions.source(ctx, "complaint")
    xml = live["xml"].replace('policy["stage1"]["response_days"]', "8", 1)
    draft = process_versions.save_draft(ctx, "complaint", xml, "8 working days", OWNER)

    # Baseline: the walked complaints replayed both ways in this process, before the copies exist (they are
    # received the same day, so a period covering the walked ones would cover every copy too).
    with ctx.uow() as uow:
        walked_on = uow.session.scalar(select(func.min(Complaint.received_on)))
    probe = what_if.start(ctx, "complaint", draft["version"], OWNER, walked_on, walked_on)
    samples = []
    for _ in range(3):
        with ctx.uow() as uow:
            uow.session.query(ReplayItem).filter(ReplayItem.run_id == probe["id"]).update({"done": False,
                                                                                          "claimed_at": None})
            uow.commit()
        started = time.perf_counter()
        count = what_if.run_pending(ctx)
        samples.append((time.perf_counter() - started) / max(count, 1))
    per_complaint = statistics.median(samples) * 1000
    print(f"in-process replay of {count} walked complaints (both versions, with its reads and writes): "
          f"{per_complaint:.1f} ms per complaint", flush=True)

    with ctx.uow() as uow:
        stamper = Stamper(uow.session)
        for n in range(args.complaints - len(templates)):
            stamper.stamp(templates[n % len(templates)])
        stamper.finish()
        uow.commit()
    with ctx.uow() as uow:
        first, last, total = uow.session.execute(select(func.min(Complaint.received_on), func.max(Complaint.received_on),
                                                        func.count()).select_from(Complaint)).one()
    print(f"{total} complaints received {first}–{last}; draft version {draft['version']}", flush=True)

    run = what_if.start(ctx, "complaint", draft["version"], OWNER, first, last)
    with celery_workers(args.database_url, args.redis_url, args.workers, args.concurrency) as started:
        while not what_if.report(ctx, run["id"])["finished"] and time.perf_counter() - started < 900:
            time.sleep(0.5)
        wall = time.perf_counter() - started
    report = what_if.report(ctx, run["id"])
    print(f"{args.workers} workers x concurrency {args.concurrency}: replayed {report['done']} of {report['total']} "
          f"in {wall:.1f} s ({report['done'] / wall:.0f} complaints/s; goal 10,000 in <= 60 s)")
    print(f"changed: {len(report.get('changed', []))}; stage 1 on time draft "
          f"{report['sides']['draft']['responses']['1']} / live {report['sides']['live']['responses']['1']}")


if __name__ == "__main__":
    main()
