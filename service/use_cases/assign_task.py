"""Claim a task offered to your role, or (managers) reassign a task to someone else."""

from __future__ import annotations

from sqlalchemy import select

from service.persistence.models import Task, User
from service.use_cases import task_access
from service.use_cases.context import Actor, AppContext, now
from service.use_cases.errors import Forbidden, Invalid, NotFound
from service.use_cases.projection import Change, record


def claim(app: AppContext, task_id: str, actor: Actor) -> Task:
    """Take an unassigned ready task offered to the actor's role."""
    with app.uow() as uow:
        task = task_access.find_task(uow.session, task_id)
        task_access.ensure_ready(task)
        task_access.ensure_may_work(uow.session, app.policy, task, actor)
        task_access.take(uow.session, task, actor.id)
        record(uow.session, task.complaint, Change(actor.id, now()), "claimed", f"{task.title} claimed by {actor.name}",
               {"task": task.name}, restriction=task.restriction)
        uow.commit()
        return task


def reassign(app: AppContext, task_id: str, assignee_name: str, actor: Actor) -> Task:
    """A manager gives a ready task to another member of staff who may work it."""
    if actor.role != app.manager_role:
        raise Forbidden("only a manager can reassign tasks")
    with app.uow() as uow:
        session = uow.session
        task = task_access.find_task(session, task_id)
        task_access.ensure_ready(task)
        assignee = session.scalars(select(User).where(User.name == assignee_name, User.active.is_(True))).first()
        if assignee is None:
            raise NotFound(f"no active user {assignee_name!r}")
        previous = task.assignee_id
        task.assignee_id = None  # judge the new person against the task as offered, not as held
        reason = task_access.why_not(session, app.policy, task, assignee.id, assignee.role)
        if reason is not None:
            raise Invalid({"assignee": f"{assignee.display_name} cannot take this task: {reason}."})
        task.assignee_id = assignee.id
        complaint = task.complaint
        if complaint is not None and task.stage == "2":
            complaint.stage2_handler_id = assignee.id
        elif complaint is not None and (task.stage == "1" or (task.stage is None and previous == complaint.handler_id)):
            complaint.handler_id = assignee.id
        record(session, complaint, Change(actor.id, now()), "reassigned",
               f"{task.title} reassigned to {assignee.display_name} by {actor.name}",
               {"task": task.name, "to": assignee.name}, restriction=task.restriction)
        uow.commit()
        return task
