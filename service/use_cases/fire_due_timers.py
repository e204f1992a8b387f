"""Fire due timers. The timer rows are the truth; the broker only carries work.

A worker claims a batch of instances with due timers (`FOR UPDATE SKIP LOCKED` on PostgreSQL: two workers never
claim the same instance, and neither waits for the other) and fires each under its row lock, in a savepoint of
its own, so one instance that fails leaves the rest of the batch fired and itself due for the next sweep. A
timer fires only if its row is still due under the lock, so a repeated sweep or a redelivered message cannot
fire it twice. (SQLite has no row locks: its transactions are IMMEDIATE, so batches take turns — see
SQLITE_TURN_SECONDS.)
"""

from __future__ import annotations

import logging
import time
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from service.persistence.db import DatabaseUnavailable
from service.persistence.models import Complaint, Timer, WorkflowInstance
from service.use_cases import subjects
from service.use_cases.context import AppContext, now, writers_take_turns
from service.use_cases.processes import compiled
from service.use_cases.projection import Change
from service.workflow import runtime
from service.workflow.runtime import Snapshot

BATCH = 50
# SQLite lets one writer in at a time, and a writer waiting for the lock retries at most every 100 ms (its busy
# handler). A loop claiming its next batch the instant it commits the last would take the lock straight back, and
# everyone else — another worker's batch, a web request (on SQLite each of our transactions, even a read, begins
# IMMEDIATE) — would wait for the whole run, up to FIRING_SECONDS, and could fail with "database is locked".
# Pausing this long after a full batch lets each waiting writer take its turn.
SQLITE_TURN_SECONDS = 0.15
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Batch:
    """What one claimed batch did: instances claimed, timers fired, instances that failed (left due), and
    whether the claim reached its limit (so more may be due)."""

    claimed: int
    fired: int
    failed: int
    full: bool = False


def due_instance_count(app: AppContext, at: datetime | None = None) -> int:
    """How many instances have at least one timer due at `at` (default: now)."""
    with app.uow() as uow:
        return uow.session.scalar(select(func.count(func.distinct(Timer.instance_id)))
                                  .where(Timer.due_at <= (at or now()))) or 0


def _claim(session: Session, moment: datetime, limit: int) -> tuple[list[WorkflowInstance], bool]:
    # Earliest due first; an instance with two due timers appears twice in the join, hence the dedupe. The
    # instances are loaded here, under the lock the claim takes, with their process versions.
    rows = list(session.scalars(
        select(WorkflowInstance).join(Timer, Timer.instance_id == WorkflowInstance.id)
        .where(Timer.due_at <= moment).order_by(Timer.due_at, WorkflowInstance.id).limit(limit)
        .options(joinedload(WorkflowInstance.process_version, innerjoin=True))
        .with_for_update(of=WorkflowInstance, skip_locked=True).execution_options(populate_existing=True)))
    return list(dict.fromkeys(rows)), len(rows) == limit


def _load_complaints(session: Session, instances: list[WorkflowInstance]) -> list[Complaint]:
    # What projecting each instance reads of its complaint (the complaint, its deadlines and handlers), for the
    # whole batch in two statements rather than three or four for each instance: projecting then finds them in
    # the session, for as long as the caller holds the list (the session only keeps weak references).
    ids = {instance.complaint_id for instance in instances if instance.complaint_id is not None}
    return list(session.scalars(select(Complaint).where(Complaint.id.in_(ids)).options(
        selectinload(Complaint.deadlines), joinedload(Complaint.handler), joinedload(Complaint.stage2_handler))
        .execution_options(populate_existing=True))) if ids else []


def _engine(app: AppContext, instance: WorkflowInstance) -> Snapshot:
    # The engine alone: it reads the instance's state and writes no table.
    return runtime.fire_due_timers(compiled(instance.process_version), instance.state, app.policy.params)


def fire_batch(app: AppContext, limit: int = BATCH) -> Batch:
    """Claim up to `limit` instances with a timer due now and fire them, in one transaction.

    The batch's writes are sent together at its end, which takes a third of the time of sending each
    instance's in a savepoint of its own. An instance the engine fails on is left out (its timers stay due);
    if the batch fails as a whole (an error in projecting one instance, or in the writes), it is rolled back
    and fired again one instance at a time, each in its own savepoint."""
    try:
        return _fire_batch(app, limit, one_by_one=False)
    except DatabaseUnavailable:
        raise
    except Exception:
        log.exception("firing a batch of timers together failed; firing it one instance at a time")
        return _fire_batch(app, limit, one_by_one=True)


def _fire_batch(app: AppContext, limit: int, *, one_by_one: bool) -> Batch:
    with app.uow() as uow:
        session = uow.session
        claimed, full = _claim(session, now(), limit)
        moment = now()
        # Which still have a timer due, read under the claim's locks (a timer another worker fired between this
        # one's snapshot and its lock is gone by now): only those are fired.
        due = set(session.scalars(select(Timer.instance_id).where(
            Timer.instance_id.in_([instance.id for instance in claimed]), Timer.due_at <= moment))) if claimed else set()
        _held = _load_complaints(session, claimed)  # kept referenced while the batch is fired
        fired = failed = 0
        for instance in (i for i in claimed if i.id in due):
            # One by one, all of an instance's work is undone alone if it fails. Together, only a failure of the
            # engine (which touched no table) leaves the instance out; one in projecting it fails the batch.
            try:
                with session.begin_nested() if one_by_one else nullcontext():
                    snapshot = _engine(app, instance)
                    if one_by_one:
                        subjects.project(session, instance, snapshot, Change(None, moment), app.policy)
            except Exception:
                failed += 1  # its timers stay due: they are tried again at the next sweep
                log.exception("firing the timers of instance %s failed", instance.id)
                continue
            if not one_by_one:
                subjects.project(session, instance, snapshot, Change(None, moment), app.policy, flush=False)
            fired += len(snapshot.fired)
        uow.commit()
        return Batch(len(claimed), fired, failed, full)


def run(app: AppContext, seconds: float | None = None) -> int:
    """Fire every timer due now, batch after batch, until none is left that this worker can claim (or
    `seconds` have passed). Safe to run twice and beside other workers. Returns how many timers fired."""
    started, total = time.monotonic(), 0
    takes_turns = writers_take_turns(app)
    while seconds is None or time.monotonic() - started < seconds:
        batch = fire_batch(app)
        total += batch.fired
        # Stop when nothing was claimed, or when what was claimed only failed or fired nothing (no busy loop).
        if batch.claimed == 0 or batch.fired == 0:
            break
        if takes_turns and batch.full:
            time.sleep(SQLITE_TURN_SECONDS)
    return total
