"""The live view of a procedure: on each element of a version's diagram, how many instances wait there now and
how long tasks there took this year (the median), and the list of who is waiting."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from service.persistence.models import Complaint, Task, Timer, User, WorkflowInstance
from service.use_cases.context import AppContext, now
from service.use_cases.process_versions import find_version

YEAR = timedelta(days=365)


def heat(app: AppContext, process_id: str, number: int) -> dict[str, dict[str, Any]]:
    """Per element id of version `number`: instances waiting there now (a ready task or a waiting timer), and
    for user tasks the tasks done there in the last 12 months with their median working time in days."""
    with app.uow() as uow:
        session = uow.session
        version = find_version(session, process_id, number)
        on_version = WorkflowInstance.process_version_id == version.id
        task_instance = WorkflowInstance.id == Task.instance_id
        out: dict[str, dict[str, Any]] = defaultdict(lambda: {"waiting": 0, "done": 0, "median_days": None})
        for name, count in session.execute(select(Task.name, func.count()).join(WorkflowInstance, task_instance)
                                           .where(on_version, Task.status == "ready").group_by(Task.name)):
            out[name]["waiting"] += count
        timer_instance = WorkflowInstance.id == Timer.instance_id
        for name, count in session.execute(select(Timer.name, func.count()).join(WorkflowInstance, timer_instance)
                                           .where(on_version).group_by(Timer.name)):
            out[name]["waiting"] += count
        durations: dict[str, list[float]] = defaultdict(list)
        for name, created, finished in session.execute(
                select(Task.name, Task.created_at, Task.finished_at)
                .join(WorkflowInstance, task_instance)
                .where(on_version, Task.status == "completed", Task.finished_at >= now() - YEAR)):
            if finished is not None:
                durations[name].append((finished - created).total_seconds() / 86400)
        for name, days in durations.items():
            out[name]["done"] = len(days)
            out[name]["median_days"] = round(statistics.median(days), 1)
        return dict(out)


def waiting_at(app: AppContext, process_id: str, number: int, element: str) -> list[dict[str, Any]]:
    """The tasks ready at user task `element` of version `number`, oldest first: complaint, since, who has it."""
    with app.uow() as uow:
        session = uow.session
        version = find_version(session, process_id, number)
        rows = session.execute(
            select(Task.id, Task.title, Task.created_at, Task.due_on, Complaint.reference, User.display_name)
            .select_from(Task).join(WorkflowInstance, WorkflowInstance.id == Task.instance_id)
            .outerjoin(Complaint, Complaint.id == Task.complaint_id)
            .outerjoin(User, User.id == Task.assignee_id)
            .where(WorkflowInstance.process_version_id == version.id, Task.name == element,
                   Task.status == "ready")
            .order_by(Task.created_at, Task.id).limit(500))
        return [{"task_id": task_id, "title": title, "since": created.isoformat(),
                 "due_on": due.isoformat() if due else None, "reference": reference, "assignee": assignee}
                for task_id, title, created, due, reference, assignee in rows]
