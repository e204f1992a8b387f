"""The least a task completion can cost on this stack: the floor `bench.task_completion` measures beside the app.

Each handler is Flask under gunicorn, served as the app is, and does only what any completion must: find whose
bearer token it is, lock the instance and read its state, run the engine (the app's own engine layer, as the raw
sides do), write the history entry, the task done, the tasks made ready and the new state, and commit. No form is
checked, no rule of the procedure applied, no deadline, assignee, letter or answer worked out. Two of them answer
`POST /complete/<task_id>` with `{"data": {...}}`:

- `psycopg_app`: the driver itself, one connection kept per worker, and the fewest round trips there can be: the
  token and the lock read sent together, then the writes and the `COMMIT` together (psycopg's pipeline mode);
- `core_app`: the same statements, one at a time, through SQLAlchemy Core on the app's own engine (its pool and
  its events).

A task made ready again by a loop back keeps its id: `ON CONFLICT DO NOTHING` spares the read of the instance's
open tasks that the app makes. These handlers are measuring instruments, not part of the product.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from functools import cache
from typing import Any

import psycopg
from flask import Flask, Response, abort, jsonify, request
from psycopg.types.json import Jsonb
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.dialects.postgresql import insert as upsert
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from service.domain.policy import load_policy
from service.persistence import compression
from service.persistence.db import make_engine
from service.persistence.models import (
    ApiToken,
    Complaint,
    CompressedText,
    HistoryEntry,
    ProcessVersion,
    Task,
    User,
    WorkflowInstance,
)
from service.use_cases.processes import compiled
from service.use_cases.users import _digest
from service.workflow import runtime
from service.workflow.runtime import Snapshot


@cache
def _engine() -> Engine:
    return make_engine(os.environ["COMPLAINTFLOW_DATABASE_URL"])


@cache
def _process(version_id: int) -> Any:
    # Parsed once per worker, as the app keeps it.
    with Session(_engine()) as session:
        return compiled(session.get(ProcessVersion, version_id))


@cache
def _policy() -> dict[str, Any]:
    return load_policy(os.environ.get("COMPLAINTFLOW_PROFILE", "code-2024")).params


def _request() -> tuple[str, dict[str, Any], datetime]:
    _, _, token = request.headers.get("Authorization", "").partition(" ")
    return _digest(token.strip()), request.get_json()["data"], datetime.now(UTC)


def _history(complaint_id: int, complainant_id: int, actor_id: int, moment: datetime, data: dict[str, Any],
             snapshot: Snapshot) -> dict[str, Any]:
    return {"complaint_id": complaint_id, "complainant_id": complainant_id, "at": moment, "actor_id": actor_id,
            "kind": "task_completed", "summary": "Triage — done", "detail": {"task": "triage", "data": data},
            "before": snapshot.before, "after": snapshot.waiting_on()}


def _answer(task_id: str, snapshot: Snapshot) -> Response:
    return jsonify(task={"id": task_id, "status": "completed"},
                   next=[{"id": view.id, "name": view.name, "title": view.title, "lane": view.lane}
                         for view in snapshot.ready])


psycopg_app = Flask("least_psycopg")
_connection: psycopg.Connection[Any] | None = None

TOKEN = ("SELECT u.id FROM user_account u JOIN api_token t ON t.user_id = u.id "
         "WHERE t.token_hash = %s AND t.revoked_at IS NULL AND u.active")
LOCK = ("SELECT w.id, w.state, w.process_version_id, t.complaint_id, c.complainant_id FROM workflow_instance w "
        "JOIN task t ON t.instance_id = w.id JOIN complaint c ON c.id = t.complaint_id WHERE t.id = %s "
        "FOR UPDATE OF w")
HISTORY = ("INSERT INTO history_entry (complaint_id, complainant_id, at, actor_id, kind, summary, detail, before, "
           "after) VALUES (%(complaint_id)s, %(complainant_id)s, %(at)s, %(actor_id)s, %(kind)s, %(summary)s, "
           "%(detail)s, %(before)s, %(after)s)")
DONE = "UPDATE task SET status = 'completed', finished_at = %s, completed_by_id = %s WHERE id = %s"
READY = ("INSERT INTO task (id, instance_id, complaint_id, name, title, lane, form, status, created_at) "
         "VALUES (%s, %s, %s, %s, %s, %s, %s, 'ready', %s) ON CONFLICT DO NOTHING")
STATE = "UPDATE workflow_instance SET state = %s, finished = %s, updated_at = %s WHERE id = %s"


def _psycopg() -> psycopg.Connection[Any]:
    global _connection
    if _connection is None:
        url = make_url(os.environ["COMPLAINTFLOW_DATABASE_URL"])
        _connection = psycopg.connect(host=url.host, port=url.port or 5432, user=url.username,
                                      password=url.password, dbname=url.database)
    return _connection


@psycopg_app.post("/complete/<task_id>")
def complete_on_psycopg(task_id: str) -> Response:
    """Complete a task in two round trips to PostgreSQL: `BEGIN` and the two reads, then the writes and `COMMIT`."""
    digest, data, moment = _request()
    connection = _psycopg()
    token, lock = connection.cursor(), connection.cursor()
    with connection.pipeline():
        token.execute(TOKEN, (digest,))
        lock.execute(LOCK, (task_id,))
    user, row = token.fetchone(), lock.fetchone()
    if user is None or row is None:
        connection.rollback()
        abort(401 if user is None else 404)
    instance_id, state, version_id, complaint_id, complainant_id = row
    snapshot = runtime.complete_task(_process(version_id), compression.decompress(state), task_id, data, _policy())
    history = _history(complaint_id, complainant_id, user[0], moment, data, snapshot)
    with connection.pipeline():
        token.execute(HISTORY, {**history, **{key: Jsonb(history[key]) for key in ("detail", "before", "after")}})
        token.execute(DONE, (moment, user[0], task_id))
        for view in snapshot.ready:
            token.execute(READY, (view.id, instance_id, complaint_id, view.name, view.title, view.lane, view.name,
                                  moment))
        token.execute(STATE, (compression.compress(snapshot.state, CompressedText.LEVEL, "instance_state.json"),
                              snapshot.finished, moment, instance_id))
        connection.commit()
    return _answer(task_id, snapshot)


core_app = Flask("least_core")


@core_app.post("/complete/<task_id>")
def complete_on_core(task_id: str) -> Response:
    """Complete a task with the same statements through SQLAlchemy Core, in one transaction on the app's engine."""
    digest, data, moment = _request()
    with _engine().begin() as connection:
        user_id = connection.scalar(select(User.id).join(ApiToken, ApiToken.user_id == User.id).where(
            ApiToken.token_hash == digest, ApiToken.revoked_at.is_(None), User.active.is_(True)))
        if user_id is None:
            abort(401)
        row = connection.execute(
            select(WorkflowInstance.id, WorkflowInstance.state, WorkflowInstance.process_version_id, Task.complaint_id,
                   Complaint.complainant_id).join(Task, Task.instance_id == WorkflowInstance.id)
            .join(Complaint, Complaint.id == Task.complaint_id).where(Task.id == task_id)
            .with_for_update(of=WorkflowInstance)).first()
        if row is None:
            abort(404)
        instance_id, state, version_id, complaint_id, complainant_id = row
        snapshot = runtime.complete_task(_process(version_id), state, task_id, data, _policy())
        connection.execute(insert(HistoryEntry), _history(complaint_id, complainant_id, user_id, moment, data, snapshot))
        connection.execute(update(Task).where(Task.id == task_id).values(status="completed", finished_at=moment,
                                                                         completed_by_id=user_id))
        for view in snapshot.ready:
            connection.execute(upsert(Task).on_conflict_do_nothing(), {
                "id": view.id, "instance_id": instance_id, "complaint_id": complaint_id, "name": view.name,
                "title": view.title, "lane": view.lane, "form": view.name, "status": "ready", "created_at": moment})
        connection.execute(update(WorkflowInstance).where(WorkflowInstance.id == instance_id).values(
            state=snapshot.state, finished=snapshot.finished, updated_at=moment))
    return _answer(task_id, snapshot)
