"""Reports at scale: the TSM, the dashboard, the register's pages and its export over N complaints.

Seeds N complaints spread over three reporting years with realistic facts (tenure, category, root cause,
outcomes, refusals, extensions, Stage 2 for about one in five) and their deadline rows, by bulk inserts of the
rows the reports read, then times each report through the same code the app uses (pages through the whole
WSGI app, logged in). Reports never read workflow instances, so none are seeded here.

    .venv/bin/python -m bench.reports [--n 100000] [--database-url postgresql+psycopg://…]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text

from bench.database import bulk_insert, fresh_app
from service import app_context
from service.domain.calendar import add_working_days
from service.domain.reporting import CATEGORIES, ROOT_CAUSES, TENURES
from service.persistence.models import Complainant, Complaint, Deadline, User
from service.use_cases import dashboard, register, reports

FIRST_DAY = date(2024, 4, 1)


def _complaint_rows(n: int, first_id: int, handlers: list[int], rng: random.Random,
                    first_day: date = FIRST_DAY, years: int = 3) -> tuple[list[dict[str, Any]], ...]:
    people, complaints, deadlines = [], [], []
    for i in range(first_id, first_id + n):
        received = first_day + timedelta(days=rng.randrange(years * 365))
        refused = rng.random() < 0.05
        stage2 = not refused and rng.random() < 0.2
        open_ = rng.random() < 0.1
        people.append({"id": i, "name": f"Resident {i}", "created_at": datetime.now(UTC)})
        complaints.append({
            "id": i, "reference": f"CF-{received.year}-{i:06d}", "complainant_id": i,
            "channel": rng.choice(["phone", "email", "web", "letter"]),
            "received_at": datetime(received.year, received.month, received.day, 9, tzinfo=UTC),
            "received_on": received, "description": "Seeded", "outcome_sought": "", "profile": "code-2024",
            "status": "refused" if refused else ("open" if open_ else "closed"),
            "stage": "stage2" if stage2 else "stage1", "handler_id": rng.choice(handlers),
            "tenure": rng.choice(list(TENURES)), "category": None if refused else rng.choice(list(CATEGORIES)),
            "root_cause": None if refused else rng.choice(list(ROOT_CAUSES)),
            "stage1_outcome": None if refused else rng.choice(["upheld", "partly_upheld", "not_upheld"]),
            "stage2_outcome": rng.choice(["upheld", "not_upheld"]) if stage2 else None,
            "refusal_exclusion": "legal_proceedings" if refused else None, "created_at": datetime.now(UTC)})
        ack_due = add_working_days(received, 5)
        acknowledged = add_working_days(received, rng.choice([1, 2, 3, 4, 5, 6]))
        deadlines.append({"complaint_id": i, "key": "stage1_acknowledge", "due": ack_due, "original_due": ack_due,
                          "met_on": None if refused else acknowledged, "counts_from": received})
        if refused:
            continue
        due = original = add_working_days(acknowledged, 10)
        if rng.random() < 0.1:
            due = add_working_days(original, rng.choice([5, 10, 15]))
        responded = add_working_days(acknowledged, rng.choice([5, 8, 10, 12, 18]))
        deadlines.append({"complaint_id": i, "key": "stage1_response", "due": due, "original_due": original,
                          "met_on": responded, "counts_from": acknowledged,
                          "within_code": responded <= min(due, add_working_days(original, 10))})
        if stage2:
            asked = add_working_days(responded, 3)
            due2 = add_working_days(asked, 5)
            ack2 = add_working_days(asked, rng.choice([2, 4, 6]))
            deadlines.append({"complaint_id": i, "key": "stage2_acknowledge", "due": due2, "original_due": due2,
                              "met_on": ack2, "counts_from": asked})
            due3 = add_working_days(ack2, 20)
            answered = add_working_days(ack2, rng.choice([15, 20, 25]))
            deadlines.append({"complaint_id": i, "key": "stage2_response", "due": due3, "original_due": due3,
                              "met_on": answered, "counts_from": ack2, "within_code": answered <= due3})
    return people, complaints, deadlines


def seed(app: Any, n: int, batch: int = 10000) -> float:
    """Bulk-insert `n` complaints with their deadline rows; returns the seconds taken."""
    ctx = app_context(app)
    rng = random.Random(7)
    started = time.perf_counter()
    with ctx.uow() as uow:
        session = uow.session
        handlers = list(session.scalars(select(User.id)))
        first = (session.scalar(select(func.max(Complaint.id))) or 0) + 1
        first = max(first, (session.scalar(select(func.max(Complainant.id))) or 0) + 1)
        for start in range(first, first + n, batch):
            people, complaints, deadlines = _complaint_rows(min(batch, first + n - start), start, handlers, rng)
            bulk_insert(session, Complainant, people)
            bulk_insert(session, Complaint, complaints)
            bulk_insert(session, Deadline, deadlines)
        if session.bind is not None and session.bind.dialect.name == "postgresql":
            for table in ("complainant", "complaint", "deadline"):
                session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT max(id) FROM {table}))"))
            session.execute(text("ANALYZE"))
        uow.commit()
    return time.perf_counter() - started


def _timed(fn: Any, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def _ms(samples: list[float], q: int) -> float:
    return (statistics.quantiles(samples, n=100)[q - 1] if len(samples) > 1 else samples[0]) * 1000


def main() -> None:
    """Seed, then print each report's timings against its goal."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    app = fresh_app(args.database_url)
    seconds = seed(app, args.n)
    ctx = app_context(app)
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True))
    assert token is not None
    client.post("/login", data={"name": "maya", "password": "complaintflow", "csrf_token": token.group(1)})

    def page(path: str) -> None:
        response = client.get(path)
        assert response.status_code == 200, path

    middle = register.page(ctx, register.Filters(), size=args.n // 2).next_cursor
    print(f"database: {args.database_url or 'sqlite (file)'}; complaints seeded: {args.n} in {seconds:.1f} s")
    tsm_ms = statistics.median(_timed(lambda: reports.tsm(ctx, 2025), 5)) * 1000
    dashboard_ms = statistics.median(_timed(lambda: dashboard.dashboard(ctx, 2025), 3)) * 1000
    print(f"TSM for 2025/26 (use case):         median {tsm_ms:.0f} ms (goal ≤ 2000 ms)")
    print(f"dashboard for 2025/26 (use case):   median {dashboard_ms:.0f} ms")
    for label, path in (("register, first page", "/reports/register"),
                        ("register, open + category", "/reports/register?status=open&category=repairs"),
                        ("register, overdue", "/reports/register?overdue=yes"),
                        ("register, middle page", f"/reports/register?after={middle}"),
                        ("dashboard page", "/reports/dashboard?year=2025"),
                        ("TSM page", "/reports/tsm?year=2025")):
        samples = _timed(lambda path=path: page(path), 30 if "register" in path else 5)
        print(f"{label + ':':35} p50 {_ms(samples, 50):.1f} ms, p95 {_ms(samples, 95):.1f} ms")
    started = time.perf_counter()
    rows = sum(1 for _ in register.csv_lines(ctx)) - 1
    elapsed = time.perf_counter() - started
    print(f"register CSV export: {rows} rows in {elapsed:.1f} s ({rows / elapsed:.0f} rows/s)")


if __name__ == "__main__":
    main()
