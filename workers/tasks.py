"""Thin Celery tasks: each calls one use case."""

from __future__ import annotations

import math

from celery import shared_task
from flask import current_app

from service.outbound.mail import mailer_from_config
from service.use_cases import fire_due_timers, personal_data, send_outbox, what_if
from service.use_cases.context import AppContext

# A firing task works for at most this long, then leaves the rest to the tasks the next sweep queues.
FIRING_SECONDS = 30.0
# No more firing tasks than this per sweep: each claims batches until nothing is due, so a few are enough to
# keep every worker process busy; more would only queue.
MAX_FIRING_TASKS = 16


def _app() -> AppContext:
    context: AppContext = current_app.extensions["complaintflow"]
    return context


@shared_task(name="workers.tasks.sweep_timers")
def sweep_timers() -> int:
    """Beat calls this every few seconds: queue enough firing tasks for the instances with a due timer."""
    due = fire_due_timers.due_instance_count(_app())
    tasks = min(math.ceil(due / fire_due_timers.BATCH), MAX_FIRING_TASKS)
    for _ in range(tasks):
        fire_timers.delay()
    return tasks


@shared_task(name="workers.tasks.fire_timers")
def fire_timers() -> int:
    """Claim and fire batches of due timers until none is left to claim; returns how many fired."""
    return fire_due_timers.run(_app(), seconds=FIRING_SECONDS)


@shared_task(name="workers.tasks.sweep_replays")
def sweep_replays() -> int:
    """Beat calls this every few seconds: queue enough replay tasks for the complaints waiting to be replayed."""
    pending = what_if.pending_count(_app())
    tasks = min(math.ceil(pending / what_if.BATCH), MAX_FIRING_TASKS)
    for _ in range(tasks):
        replay_complaints.delay()
    return tasks


@shared_task(name="workers.tasks.replay_complaints")
def replay_complaints() -> int:
    """Claim and replay batches of what-if complaints until none is left to claim; returns how many."""
    return what_if.run_pending(_app(), seconds=FIRING_SECONDS)


@shared_task(name="workers.tasks.send_emails", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_emails() -> int:
    """Beat calls this every few seconds: send the queued emails that are due (each row keeps its own retries)."""
    return send_outbox.run(_app(), mailer_from_config(current_app.config)).sent


@shared_task(name="workers.tasks.apply_retention")
def apply_retention() -> int:
    """Beat calls this daily: anonymise the complaints closed longer ago than the retention period (RETENTION_YEARS)
    and their people once nothing of theirs is kept; batch by batch until none is left. Returns how many."""
    total = 0
    while count := personal_data.apply_retention(_app(), int(current_app.config["RETENTION_YEARS"])):
        total += count
    return total
