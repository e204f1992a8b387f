"""PostgreSQL connections dropped under the pool (a server restart, a failover, an idle timeout) cost at most the
request that meets one. The pool does not ping on every checkout (that was two round trips per task completion):
the first read of a signed-in request, who its token or cookie belongs to, notices a dropped connection, empties
the pool and reads again; and a connection idle longer than `IDLE_PING_SECONDS` is pinged before use."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from service.persistence import db
from tests.conftest import PG_URL, csrf_token
from tests.web.test_public_form import GOOD

pytestmark = pytest.mark.skipif(not PG_URL, reason="it cuts PostgreSQL's connections: runs in the PostgreSQL pass")


def cut_connections() -> int:
    """Terminate every other session on the test database, as a restart would; returns how many."""
    admin = create_engine(str(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        cut = conn.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar_one()
    admin.dispose()
    return int(cut)


def log_complaint(api: Any) -> int:
    return int(api.post("/complaints", {"complainant": {"name": "Ada Resident"}, "channel": "phone",
                                        "received_at": "2026-11-20", "description": "Damp"}).status_code)


def complain_online(client: FlaskClient) -> bool:
    """Whether the public form took a complaint (its thank-you page gives the reference)."""
    token = csrf_token(client.get("/complain").get_data(as_text=True))
    response = client.post("/complain", data={**GOOD, "csrf_token": token})
    return response.status_code == 200 and 'id="reference"' in response.get_data(as_text=True)


def test_a_signed_in_request_after_the_connections_were_cut_is_served(app: Flask, api: Any) -> None:
    officer = api("olivia")
    assert log_complaint(officer) == 201
    assert app.extensions["complaintflow_engine"].pool.checkedin() >= 1
    assert cut_connections() >= 1
    assert log_complaint(officer) == 201  # the token lookup met a dead connection, emptied the pool, read again
    assert officer.get("/tasks").status_code == 200


def test_an_idle_connection_is_pinged_and_replaced_before_use(app: Flask, api: Any,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    assert log_complaint(api("olivia")) == 201
    assert cut_connections() >= 1
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 0.0)  # every pooled connection counts as idle
    # The public form reads no token first: its own unit of work is the first to check a connection out.
    assert complain_online(app.test_client())


def test_without_the_ping_a_dropped_connection_fails_only_the_request_that_meets_it(
        app: Flask, api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    assert log_complaint(api("olivia")) == 201
    assert cut_connections() >= 1
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 3600.0)
    client = app.test_client()
    token = csrf_token(client.get("/complain").get_data(as_text=True))
    first = client.post("/complain", data={**GOOD, "csrf_token": token})
    assert first.status_code == 503 and first.headers["Retry-After"] == "30"  # nothing saved, says try again
    assert complain_online(client)  # the pool was emptied: the next request gets a new connection
