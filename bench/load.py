"""50 members of staff at once on gunicorn + PostgreSQL, for 2 minutes, at 1, 2 and 4 gunicorn workers.

Each simulated member of staff signs in through the sign-in page (a session cookie, as in a browser) and then,
with no pause between one answer and the next request, works a mix of what an officer's day is made of:

- the inbox (`/`), weight 4;
- a complaint's page (`/complaints/<reference>`), weight 3;
- a search of the register by reference (`/reports/register?q=…`), weight 1;
- completing a triage task through its form: the task page, then the form posted with its CSRF token (302), weight 2.

The database holds complaints stamped from ones walked through the API at every stage, and a pool of triage tasks
for the completions (each completed once: a completion that fails counts as an error). Reported per gunicorn
worker count: requests per second, and p50 / p95 / p99 and errors per kind of request (errors must be 0).

    .venv/bin/python -m bench.load [--staff 50] [--seconds 120] [--workers 1,2,4] [--database-url …/bench_load]

Needs the `bench` extra (`pip install -e .[bench]`: locust).
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()  # before anything else opens a socket: locust's users are gevent greenlets

import argparse  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
from collections import deque  # noqa: E402
from typing import Any  # noqa: E402

import gevent  # noqa: E402
from locust import FastHttpUser, constant, task  # noqa: E402
from locust.env import Environment  # noqa: E402
from sqlalchemy import select  # noqa: E402

from bench.database import fresh_app  # noqa: E402
from bench.stamps import Stamper, walk_templates  # noqa: E402
from bench.task_completion import gunicorn  # noqa: E402
from service import app_context  # noqa: E402
from service.persistence.models import Complaint, Task  # noqa: E402
from service.use_cases import users  # noqa: E402

PASSWORD = "load-test-password"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Pool:
    """What the simulated staff work on: complaint references to open, triage tasks to complete (each once)."""

    references: list[str] = []
    triage: deque[str] = deque()
    staff: deque[str] = deque()


def _csrf(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


class Staff(FastHttpUser):
    """One member of staff, signed in, working without pause."""

    wait_time = constant(0)

    def on_start(self) -> None:
        """Sign in through the sign-in page, as a browser does."""
        name = Pool.staff.popleft()
        page = self.client.get("/login", name="sign in")
        with self.client.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": _csrf(page.text)},
                              name="sign in", allow_redirects=False, catch_response=True) as answer:
            if answer.status_code != 302:
                answer.failure(f"sign-in answered {answer.status_code}")
        self.counter = 0

    def _reference(self) -> str:
        self.counter += 1
        return Pool.references[(hash(self) + self.counter * 7919) % len(Pool.references)]

    @task(4)
    def inbox(self) -> None:
        """The inbox."""
        self.client.get("/", name="inbox")

    @task(3)
    def complaint(self) -> None:
        """A complaint's page."""
        self.client.get(f"/complaints/{self._reference()}", name="complaint page")

    @task(1)
    def search(self) -> None:
        """The register searched by a reference."""
        self.client.get(f"/reports/register?q={self._reference()}", name="register search")

    @task(2)
    def complete(self) -> None:
        """A triage task completed through its form."""
        task_id = Pool.triage.popleft()
        page = self.client.get(f"/tasks/{task_id}", name="task page")
        with self.client.post(f"/tasks/{task_id}", data={"triage_decision": "accept", "csrf_token": _csrf(page.text)},
                              name="task completion", allow_redirects=False, catch_response=True) as answer:
            if answer.status_code != 302:
                answer.failure(f"completion answered {answer.status_code}")


def prepare(database_url: str, staff: int, complaints: int, triage: int) -> None:
    """A fresh database: `staff` officers, `complaints` stamped at every stage and `triage` more at triage."""
    app = fresh_app(database_url)
    ctx = app_context(app)
    templates = walk_templates(app)
    with ctx.uow() as uow:
        stamper = Stamper(uow.session)
        stages = list(templates.values())
        for number in range(complaints):
            stamper.stamp(stages[number % len(stages)])
        for _ in range(triage):
            stamper.stamp(templates["triage"])
        stamper.finish()
        uow.commit()
    with ctx.uow() as uow:
        Pool.references = [ref for ref in uow.session.scalars(select(Complaint.reference)) if ref]
        Pool.triage = deque(uow.session.scalars(select(Task.id).where(Task.name == "triage", Task.status == "ready")))
    names = [f"staff{number:02}" for number in range(1, staff + 1)]
    for name in names:
        users.add(ctx, name, "officer", PASSWORD, display_name=f"Officer {name[5:]}")
    app.extensions["complaintflow_engine"].dispose()
    Pool.staff = deque(names)


def run(port: int, staff: int, seconds: float) -> dict[str, Any]:
    """Run the staff against the server on `port`; the figures of the last `seconds` (after all signed in)."""
    env = Environment(user_classes=[Staff], host=f"http://127.0.0.1:{port}")
    runner = env.create_local_runner()
    runner.start(staff, spawn_rate=staff)
    gevent.sleep(5)  # everyone signed in and each worker's caches warm
    env.stats.reset_all()
    started = time.monotonic()
    gevent.sleep(seconds)
    elapsed = time.monotonic() - started
    total = env.stats.total
    rows = {name: (entry.num_requests, entry.num_failures, entry.get_response_time_percentile(0.5),
                   entry.get_response_time_percentile(0.95), entry.get_response_time_percentile(0.99))
            for (name, _method), entry in sorted(env.stats.entries.items())}
    result = {"rps": total.num_requests / elapsed, "requests": total.num_requests, "errors": total.num_failures,
              "rows": rows, "error_texts": [str(e.error) for e in env.stats.errors.values()]}
    runner.quit()
    return result


def main() -> None:
    """Prepare once, then measure each gunicorn worker count in turn."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--staff", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--complaints", type=int, default=10000)
    parser.add_argument("--triage", type=int, default=12000)
    parser.add_argument("--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/bench_load")
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    prepare(args.database_url, args.staff * len(counts), args.complaints, args.triage)
    print(f"{len(Pool.references):,} complaints, {len(Pool.triage):,} triage tasks to complete; "
          f"{args.staff} staff, {args.seconds:.0f} s per worker count, no pause between requests")
    for workers in counts:
        # Sign-ins from one address: the per-address limit is for people, not for this one load generator.
        with gunicorn(args.database_url, WEB_WORKERS=str(workers), LOGIN_LIMIT="100000") as port:
            result = run(port, args.staff, args.seconds)
        print(f"\n{workers} gunicorn worker(s): {result['rps']:.1f} requests/s, {result['requests']:,} requests, "
              f"{result['errors']} errors")
        for name, (count, failures, p50, p95, p99) in result["rows"].items():
            if not count:
                continue
            print(f"  {name:16} {count:7,}  p50 {p50:5.0f} ms  p95 {p95:5.0f} ms  p99 {p99:5.0f} ms  errors {failures}")
        for text in result["error_texts"][:5]:
            print(f"  error: {text}")


if __name__ == "__main__":
    main()
