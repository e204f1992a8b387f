"""Fire due timers. The timer rows are the truth; the broker only carries work. Each instance fires in its
own transaction under its row lock, so two workers (or a retried sweep) cannot fire a timer twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from service.persistence.models import Timer
from service.use_cases import subjects
from service.use_cases.context import AppContext, lock_instance, now
from service.use_cases.processes import compiled
from service.use_cases.projection import Change
from service.workflow import runtime


def due_instances(app: AppContext, at: datetime | None = None, limit: int = 1000) -> list[int]:
    """Ids of instances with at least one timer due at `at` (default: now), earliest first."""
    with app.uow() as uow:
        rows = uow.session.execute(
            select(Timer.instance_id, Timer.due_at).where(Timer.due_at <= (at or now()))
            .order_by(Timer.due_at).limit(limit)
        )
        return list(dict.fromkeys(instance_id for instance_id, _ in rows))


def fire_instance(app: AppContext, instance_id: int) -> int:
    """Fire the due timers of one instance; returns how many fired (0 if another worker got there first)."""
    with app.uow() as uow:
        session = uow.session
        instance = lock_instance(session, instance_id)
        moment = now()
        still_due = session.scalar(select(Timer.id).where(Timer.instance_id == instance_id, Timer.due_at <= moment))
        if still_due is None:
            return 0
        snapshot = runtime.fire_due_timers(compiled(instance.process_version), instance.state, app.policy.params)
        subjects.project(session, instance, snapshot, Change(None, moment), app.policy)
        uow.commit()
        return len(snapshot.fired)


def run(app: AppContext) -> int:
    """Fire every timer due now, instance by instance; safe to run twice. Returns how many fired."""
    return sum(fire_instance(app, instance_id) for instance_id in due_instances(app))
