"""Fixtures of the fuzz tests: the app at a fixed moment with its flood limits out of the way (the fuzz sends
thousands of posts from one address; the limits have their own tests), a pool of complaints standing at every
step of both stages, bearer tokens, and signed-in browser sessions with their CSRF token (CSRF stays on)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.use_cases import users
from service.use_cases.context import AppContext
from tests.conftest import ANALYSIS, csrf_token, london

DAY = "2027-03-01"  # a Monday; every step of the pool happens on it
# The steps a complaint goes through over the API, in order, with data that completes each.
STEPS: list[tuple[str, str, dict[str, Any]]] = [
    ("olivia", "triage", {"triage_decision": "accept"}),
    ("olivia", "stage1_acknowledge", {"stage1_acknowledged_on": DAY, "complaint_definition": "Damp",
                                      "outcome_sought": "Fix"}),
    ("olivia", "stage1_investigate", {"investigation_notes": "Visited", "stage1_next_step": "respond"}),
    ("olivia", "stage1_respond", {"stage1_responded_on": DAY, **ANALYSIS, "stage1_decision": "upheld",
                                  "stage1_reasons": "Late"}),
    ("olivia", "escalation", {"escalate": "yes", "escalation_requested_on": DAY}),
    ("max", "stage2_acknowledge", {"stage2_acknowledged_on": DAY, "stage2_complaint_definition": "x",
                                   "stage2_outcome_sought": "y"}),
    ("max", "stage2_review", {"review_notes": "n", "stage2_next_step": "respond"}),
    ("max", "stage2_respond", {"stage2_responded_on": DAY, "stage2_decision": "upheld", "stage2_reasons": "r",
                               **ANALYSIS}),
]


@dataclass
class Pool:
    """Complaints standing at every step, and the ids a fuzz case may aim at."""

    references: list[str] = field(default_factory=list)
    complainant_ids: list[int] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)  # {id, name, worker, fields}
    correspondence_ids: list[int] = field(default_factory=list)


@pytest.fixture
def fuzz_app(app: Flask, clock: Any) -> Flask:
    """The app at noon on Monday 1 March 2027, with the per-address limits raised out of the way."""
    clock(london(2027, 3, 1, 12))
    app.config.update(PUBLIC_FORM_LIMIT=10**9, LOGIN_LIMIT=10**9)
    return app


@pytest.fixture
def tokens(fuzz_app: Flask, ctx: AppContext) -> dict[str, str]:
    """A bearer token for each demo user who works in the fuzz."""
    return {name: users.issue_token(ctx, name) for name in ("olivia", "max", "adam")}


def bearer(token: str) -> dict[str, str]:
    """The Authorization header of a token."""
    return {"Authorization": f"Bearer {token}"}


def seed(client: FlaskClient, tokens: dict[str, str], per_step: int = 1, stops: range | tuple[int, ...] | None = None
         ) -> Pool:
    """`per_step` complaints stopped before each step of STEPS (and after the last; or before those in `stops`),
    logged over the API."""
    pool = Pool()
    for stop in range(len(STEPS) + 1) if stops is None else stops:
        for copy in range(per_step):
            created = client.post("/api/v1/complaints", headers=bearer(tokens["olivia"]), json={
                "complainant": {"name": f"Pool Resident {stop}-{copy}", "email": f"pool{stop}{copy}@example.org"},
                "channel": "phone", "received_at": DAY, "description": "Damp in the bedroom"})
            assert created.status_code == 201, created.get_json()
            reference = created.get_json()["reference"]
            pool.references.append(reference)
            pool.complainant_ids.append(created.get_json()["complainant"]["id"])
            for worker, name, data in STEPS[:stop]:
                task = next(t for t in client.get("/api/v1/tasks?limit=1000", headers=bearer(tokens[worker])).get_json()
                            if t["complaint_reference"] == reference and t["name"] == name)
                done = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=bearer(tokens[worker]),
                                   json={"data": data})
                assert done.status_code == 200, (name, done.get_json())
    for worker in ("olivia", "max"):
        for task in client.get("/api/v1/tasks?limit=1000", headers=bearer(tokens[worker])).get_json():
            detail = client.get(f"/api/v1/tasks/{task['id']}", headers=bearer(tokens[worker])).get_json()
            pool.tasks.append({"id": task["id"], "name": task["name"], "worker": worker,
                               "reference": task["complaint_reference"],
                               "fields": detail["form"]["fields"]})
    # Task ids are random: order by what they are, so that the same cases aim at the same tasks every run.
    pool.tasks.sort(key=lambda task: (pool.references.index(task["reference"]), task["name"], task["worker"]))
    for reference in pool.references:
        items = client.get(f"/api/v1/complaints/{reference}/correspondence", headers=bearer(tokens["olivia"])).get_json()
        pool.correspondence_ids.extend(item["id"] for item in items)
    return pool


class Session:
    """A signed-in member of staff's browser: the test client with its session cookie and CSRF token."""

    def __init__(self, app: Flask, name: str) -> None:
        self.name = name
        self.client = app.test_client()
        token = csrf_token(self.client.get("/login").get_data(as_text=True))
        signed_in = self.client.post("/login", data={"name": name, "password": users.DEMO_PASSWORD, "csrf_token": token})
        assert signed_in.status_code == 302, f"{name} could not sign in"
        # Flask-WTF's token is tied to the session, not the page: one serves every form of the session.
        self.csrf = csrf_token(self.client.get("/complaints/new").get_data(as_text=True))


@pytest.fixture
def sessions(fuzz_app: Flask) -> dict[str, Session]:
    """Signed-in sessions: an officer, a manager and an admin."""
    return {name: Session(fuzz_app, name) for name in ("olivia", "max", "adam")}
