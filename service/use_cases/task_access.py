"""Shared checks for acting on a task: it exists, it is still ready, and this actor may work it."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload

from service.domain.assignment import PROPOSER_CONFLICT, STAGE2_CONFLICT, TaskSeat, refusal_reason
from service.domain.policy import Policy
from service.persistence.models import Complaint, Task
from service.use_cases.context import Actor
from service.use_cases.errors import Conflict, Forbidden, NotFound


def stage1_people(session: Session, complaints: Iterable[Complaint]) -> dict[int, set[int]]:
    """Everyone who took part in each complaint before Stage 2, by complaint id: its Stage 1 handler and whoever
    completed any of its tasks (triage, a breach review, a remedy approval…) before its first Stage 2 task was
    created. Two queries for all the complaints."""
    people = {c.id: {c.handler_id} if c.handler_id else set() for c in complaints}
    if not people:
        return people
    stage2_began = dict(session.execute(
        select(Task.complaint_id, func.min(Task.created_at)).where(Task.complaint_id.in_(people), Task.stage == "2")
        .group_by(Task.complaint_id)).all())
    for complaint_id, user_id, finished in session.execute(
            select(Task.complaint_id, Task.completed_by_id, Task.finished_at).where(
                Task.complaint_id.in_(people), Task.completed_by_id.is_not(None),
                or_(Task.stage.is_(None), Task.stage != "2"))):
        began = stage2_began.get(complaint_id)
        if complaint_id is not None and user_id is not None and (began is None or finished is None or finished <= began):
            people[complaint_id].add(user_id)
    return people


def find_task(session: Session, task_id: str) -> Task:
    """The task row, or NotFound."""
    task = session.scalars(select(Task).options(joinedload(Task.complaint), joinedload(Task.restriction))
                           .where(Task.id == task_id)
                           .execution_options(populate_existing=True)).first()
    if task is None:
        raise NotFound(f"no task {task_id}")
    return task


def ensure_ready(task: Task) -> None:
    """Conflict unless the task is still waiting to be done."""
    if task.status != "ready":
        raise Conflict(f"task {task.name} is no longer ready: it was {task.status}")


def why_not(session: Session, policy: Policy, task: Task, user_id: int, role: str,
            stage1: dict[int, set[int]] | None = None) -> str | None:
    """Why the user may not work `task`, or None. `stage1` is `stage1_people` read beforehand for many tasks."""
    seat = TaskSeat(roles=policy.lane_roles(task.lane), stage=task.stage, assignee_id=task.assignee_id)
    # Only Stage 2 work and restriction decisions have people who may not do them; spare the query otherwise.
    if task.stage == "2" and task.complaint is not None:
        if stage1 is None or task.complaint.id not in stage1:
            stage1 = stage1_people(session, [task.complaint])
        return refusal_reason(user_id, role, seat, stage1[task.complaint.id], STAGE2_CONFLICT)
    if task.impartial_from == "proposer" and task.restriction is not None:
        return refusal_reason(user_id, role, seat, {task.restriction.proposed_by_id}, PROPOSER_CONFLICT)
    return refusal_reason(user_id, role, seat, set())


def ensure_may_work(session: Session, policy: Policy, task: Task, actor: Actor) -> None:
    """Forbidden unless the actor may work the task."""
    reason = why_not(session, policy, task, actor.id, actor.role)
    if reason is not None:
        raise Forbidden(reason)


def take(session: Session, task: Task, user_id: int) -> None:
    """Assign `task` to `user_id`; the first taker of a Stage 2 task becomes the Stage 2 handler and
    receives that stage's other open tasks."""
    task.assignee_id = user_id
    complaint = task.complaint
    if complaint is None:
        return
    if task.stage == "2" and complaint.stage2_handler_id is None:
        complaint.stage2_handler_id = user_id
        for other in session.scalars(select(Task).where(
                Task.complaint_id == complaint.id, Task.status == "ready", Task.stage == "2",
                Task.assignee_id.is_(None))):
            other.assignee_id = user_id
    elif task.stage == "1" and complaint.handler_id is None:
        complaint.handler_id = user_id
