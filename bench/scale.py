"""Staff pages at 10k, 100k and 1M complaints: inbox, complaint page, register page and the year's TSM.

Seven complaints are walked through the real diagram with the JSON API, one to each stage (triage, investigating,
escalation window, Stage 2 review, closed at Stage 1 or 2, refused), and stamped with COPY up to each size: real
serialized instances, their tasks, timers, history and notifications. Each copy takes the facts the reports
count by (received date over three reporting years, tenure, category, outcomes, deadlines met or missed) from
the same generator as bench/reports (about 100,000 a year, so a million span ten reporting years, the last
2025/26), and the template of its stage; about one in ten is still open. Pages are
timed through the whole WSGI app, signed in.

    .venv/bin/python -m bench.scale [--sizes 10000,100000,1000000] [--database-url postgresql+psycopg://…/bench]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from bench.database import fresh_app
from bench.reports import _complaint_rows
from bench.stamps import Stamper, Template, walk_templates
from service import app_context, create_app
from service.persistence.models import Complaint, Task, User
from service.use_cases import reports, users

BATCH = 5000


def _stage_of(row: dict[str, Any], rng: random.Random) -> str:
    if row["status"] == "refused":
        return "refused"
    if row["status"] == "closed":
        return "closed_stage2" if row["stage"] == "stage2" else "closed_stage1"
    if row["stage"] == "stage2":
        return "stage2_review"
    return rng.choice(["triage", "investigating", "escalation_window"])


def grow(app: Flask, templates: dict[str, Template], target: int, rng: random.Random) -> float:
    """Stamp complaints until there are `target`; returns the seconds taken."""
    ctx = app_context(app)
    started = time.perf_counter()
    with ctx.uow() as uow:
        session = uow.session
        have = session.scalar(select(func.count()).select_from(Complaint)) or 0
        handlers = list(session.scalars(select(User.id).where(User.role == "officer")))
        stamper = Stamper(session)
        while have < target:
            count = min(BATCH, target - have)
            # A large landlord receives about 100,000 a year: a million is ten years, each ending with 2025/26.
            years = max(1, target // 100_000)
            _, complaints, deadlines = _complaint_rows(count, stamper.next_id["complaint"], handlers, rng,
                                                       date(2026 - years, 4, 1), years)
            by_complaint: dict[int, list[dict[str, Any]]] = {}
            for deadline in deadlines:
                by_complaint.setdefault(deadline.pop("complaint_id"), []).append(deadline)
            for row in complaints:
                facts = {key: value for key, value in row.items()
                         if key not in ("id", "complainant_id", "reference", "created_at")}
                stamper.stamp(templates[_stage_of(row, rng)], facts, by_complaint.get(row["id"], []))
            stamper.flush()
            have += count
        stamper.finish()
        uow.commit()
    return time.perf_counter() - started


def prove_real(app: Flask) -> str:
    """Complete the triage of a stamped complaint through the API: the copies are instances the engine runs."""
    ctx = app_context(app)
    with ctx.uow() as uow:
        task_id, assignee = uow.session.execute(
            select(Task.id, User.name).join(User, User.id == Task.assignee_id)
            .where(Task.name == "triage", Task.status == "ready").order_by(Task.complaint_id.desc()).limit(1)).one()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {users.issue_token(ctx, assignee)}"}
    response = client.post(f"/api/v1/tasks/{task_id}/complete", headers=headers,
                           json={"data": {"triage_decision": "accept"}})
    assert response.status_code == 200, response.get_json()
    return f"{response.get_json()['complaint_reference']} triaged by {assignee}: next {response.get_json()['next'][0]['name']}"


def _signed_in(app: Flask, name: str) -> FlaskClient:
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True))
    assert token is not None
    client.post("/login", data={"name": name, "password": "complaintflow", "csrf_token": token.group(1)})
    return client


def _p(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100)[q - 1] * 1000


def _timed_pages(client: FlaskClient, paths: Callable[[], str], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        path = paths()
        started = time.perf_counter()
        response = client.get(path)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code)
    return samples


def measure(app: Flask, rng: random.Random) -> dict[str, tuple[float, float]]:
    """p50 and p95 (ms) of each page, and the TSM use case's median."""
    ctx = app_context(app)
    officer, manager = _signed_in(app, "olivia"), _signed_in(app, "maya")
    with ctx.uow() as uow:
        refs = list(uow.session.scalars(select(Complaint.reference).order_by(func.random()).limit(500)))
    figures = {}
    for label, client, paths in (
        ("inbox (officer)", officer, lambda: "/"),
        ("inbox (manager)", manager, lambda: "/"),
        ("complaint page", officer, lambda: f"/complaints/{rng.choice(refs)}"),
        ("register, first page", manager, lambda: "/reports/register"),
        ("register, open + category", manager, lambda: "/reports/register?status=open&category=repairs"),
    ):
        _timed_pages(client, paths, 5)  # warm
        samples = _timed_pages(client, paths, 100)
        figures[label] = (_p(samples, 50), _p(samples, 95))
    tsm = [time.perf_counter()]
    for _ in range(3):
        reports.tsm(ctx, 2025)
        tsm.append(time.perf_counter())
    figures["TSM 2025/26 (use case)"] = (statistics.median(b - a for a, b in zip(tsm, tsm[1:], strict=False)) * 1000,) * 2
    return figures


def main() -> None:
    """Seed to each size in turn and print the figures, with their growth from the smallest size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/bench")
    parser.add_argument("--existing", action="store_true",
                        help="measure the database as it is (seeded by an earlier run), without seeding or migrating")
    args = parser.parse_args()
    if args.existing:
        app = create_app({"DATABASE_URL": args.database_url, "TESTING": True, "SECRET_KEY": "bench"})
        with app_context(app).uow() as uow:
            size = uow.session.scalar(select(func.count()).select_from(Complaint))
        print(f"{size:,} complaints already on {args.database_url}")
        for label, (p50, p95) in measure(app, random.Random(11)).items():
            print(f"  {label + ':':28} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms")
        return
    sizes = [int(size) for size in args.sizes.split(",")]
    app = fresh_app(args.database_url)
    rng = random.Random(11)
    templates = walk_templates(app)
    first: dict[str, tuple[float, float]] = {}
    for size in sizes:
        seconds = grow(app, templates, size, rng)
        figures = measure(app, rng)
        first = first or figures
        print(f"\n{size:,} complaints (stamping took {seconds:.0f} s) on {args.database_url}")
        print(f"  a stamped copy runs: {prove_real(app)}")
        for label, (p50, p95) in figures.items():
            growth = p95 / first[label][1]
            print(f"  {label + ':':28} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  (x{growth:.2f} of the first size)")
    print("\ngoals: inbox and complaint page p95 <= 50 ms, TSM <= 2000 ms, flat growth")


if __name__ == "__main__":
    main()
