"""Thin Celery tasks: each calls one use case."""

from __future__ import annotations

from celery import shared_task
from flask import current_app

from service.use_cases import fire_due_timers
from service.use_cases.context import AppContext


def _app() -> AppContext:
    context: AppContext = current_app.extensions["complaintflow"]
    return context


@shared_task(name="workers.tasks.sweep_timers")
def sweep_timers() -> int:
    """Beat calls this every few seconds: queue one firing per instance with a due timer."""
    instance_ids = fire_due_timers.due_instances(_app())
    for instance_id in instance_ids:
        fire_instance_timers.delay(instance_id)
    return len(instance_ids)


@shared_task(name="workers.tasks.fire_instance_timers")
def fire_instance_timers(instance_id: int) -> int:
    """Fire the due timers of one instance (idempotent: a second run finds nothing due)."""
    return fire_due_timers.fire_instance(_app(), instance_id)
