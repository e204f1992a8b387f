"""Shared fixtures. The suite runs on SQLite by default; set COMPLAINTFLOW_TEST_DATABASE_URL (PostgreSQL) and
COMPLAINTFLOW_TEST_REDIS_URL to run the same tests against real servers. When set, a missing server fails."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, make_url, text

from service import app_context, create_app
from service.cli import prepare
from service.domain.calendar import LONDON
from service.use_cases import users
from service.use_cases.context import AppContext

PG_URL = os.environ.get("COMPLAINTFLOW_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("COMPLAINTFLOW_TEST_REDIS_URL")


def ensure_database(url: str) -> None:
    """Create the test database if the server does not have it yet, so the README's command works on a fresh
    server (connecting to the `postgres` maintenance database to do it)."""
    target = make_url(url)
    server = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}) is None:
            conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    server.dispose()


_ensured: set[str] = set()


def reset_postgres(url: str) -> None:
    """Empty the test database (a fresh public schema), creating the database first if need be."""
    if url not in _ensured:
        ensure_database(url)
        _ensured.add(url)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    if PG_URL:
        reset_postgres(PG_URL)
        return PG_URL
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def profile() -> str:
    """The policy profile the app runs; override in a module to test another landlord's procedure."""
    return "code-2024"


@pytest.fixture
def app(database_url: str, tmp_path: Path, profile: str) -> Iterator[Flask]:
    flask_app = create_app({"DATABASE_URL": database_url, "TESTING": True, "SECRET_KEY": "test", "PROFILE": profile,
                            "DEMO_USERS": True, "BROKER_URL": REDIS_URL or f"sqla+sqlite:///{tmp_path / 'broker.db'}",
                            "RESULT_BACKEND": f"db+sqlite:///{tmp_path / 'results.db'}"})
    prepare(flask_app)
    yield flask_app
    flask_app.extensions["complaintflow_engine"].dispose()


@pytest.fixture
def ctx(app: Flask) -> AppContext:
    return app_context(app)


class Api:
    """A JSON client acting as one member of staff through a bearer token."""

    def __init__(self, client: FlaskClient, token: str) -> None:
        self.client, self.token = client, token

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str) -> Any:
        return self.client.get(f"/api/v1{path}", headers=self._headers())

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(f"/api/v1{path}", json=body, headers=self._headers())

    def task(self, reference: str, name: str) -> dict[str, Any]:
        """The caller's open task `name` on complaint `reference`."""
        tasks = [t for t in self.get("/tasks").get_json() if t["complaint_reference"] == reference and t["name"] == name]
        assert len(tasks) == 1, f"expected one {name} for {reference}, got {tasks}"
        return tasks[0]

    def complete(self, reference: str, name: str, data: dict[str, Any], status: int = 200) -> Any:
        response = self.post(f"/tasks/{self.task(reference, name)['id']}/complete", {"data": data})
        assert response.status_code == status, response.get_json()
        return response.get_json()


@pytest.fixture
def api(app: Flask, ctx: AppContext) -> Any:
    """`api("olivia")` is a JSON client acting as demo user olivia."""
    client = app.test_client()
    return lambda name: Api(client, users.issue_token(ctx, name))


def day(iso: str) -> datetime:
    """Noon in London on an ISO date: a moment to set the clock to for a step taken that day."""
    y, m, d = map(int, iso.split("-"))
    return london(y, m, d, 12)


def stage2(manager: Any, clock: Any, ref: str, acknowledged: str, responded: str, decision: str,
           **analysis: str) -> None:
    """Walk an escalated complaint through Stage 2: acknowledge, review and respond on the days given (with the
    category and root cause in `analysis`, else ANALYSIS's)."""
    clock(day(acknowledged))
    manager.complete(ref, "stage2_acknowledge", {"stage2_acknowledged_on": acknowledged,
                                                 "stage2_complaint_definition": "x", "stage2_outcome_sought": "y"})
    clock(day(responded))
    manager.complete(ref, "stage2_review", {"review_notes": "n", "stage2_next_step": "respond"})
    manager.complete(ref, "stage2_respond", {"stage2_responded_on": responded, "stage2_decision": decision,
                                             "stage2_reasons": "r", **(analysis or ANALYSIS)})


# What every response records for the reports: a category and a root cause.
ANALYSIS = {"complaint_category": "repairs", "root_cause": "delay"}


def respond_stage1(officer: Any, ref: str, day: str, decision: str = "not_upheld", reasons: str = "r") -> None:
    """Take a code-2024 complaint from triage to its Stage 1 response, all on `day`."""
    officer.complete(ref, "triage", {"triage_decision": "accept"})
    officer.complete(ref, "stage1_acknowledge", {"stage1_acknowledged_on": day, "complaint_definition": "Damp",
                                                 "outcome_sought": "Fix it"})
    officer.complete(ref, "stage1_investigate", {"investigation_notes": "n", "stage1_next_step": "respond"})
    officer.complete(ref, "stage1_respond", {"stage1_responded_on": day, **ANALYSIS, "stage1_decision": decision,
                                             "stage1_reasons": reasons})


def london(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """A London wall-clock moment."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def clock() -> Iterator[Any]:
    """`clock(london(2026, 12, 21))` moves the frozen clock; every call travels again."""
    travellers: list[Any] = []

    def travel(moment: datetime) -> None:
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(moment, tick=False)
        traveller.start()
        travellers.append(traveller)

    yield travel
    for traveller in travellers:
        traveller.stop()


def csrf_token(html: str) -> str:
    """The CSRF token embedded in a page."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF, read back with pdftotext (poppler-utils) as a reader would see it."""
    import subprocess

    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
