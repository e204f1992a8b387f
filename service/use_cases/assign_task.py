"""Claim a task offered to your role, or (managers) reassign a task to someone else."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.persistence.models import HistoryEntry, Task, User
from service.use_cases import task_access
from service.use_cases.concurrent_edits import NEVER_SAVED, Saved, ensure_unchanged
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
               {"task": task.name}, restriction=task.restriction, before={"task": task.name, "assignee_id": None},
               after={"task": task.name, "assignee_id": actor.id})
        uow.commit()
        return task


def _holder(session: Session, task: Task) -> Saved:
    # The version is who holds the task (re-read now that other saves are held back); whose save that is, and
    # when, is the task's latest claim or reassignment in the audit trail.
    session.refresh(task)
    given = session.execute(
        select(HistoryEntry.at, User.display_name).outerjoin(User, User.id == HistoryEntry.actor_id)
        .where(HistoryEntry.kind.in_(("claimed", "reassigned")), HistoryEntry.detail["task"].as_string() == task.name,
               HistoryEntry.complaint_id == task.complaint_id if task.complaint_id is not None
               else HistoryEntry.restriction_id == task.restriction_id)
        .order_by(HistoryEntry.at.desc(), HistoryEntry.id.desc()).limit(1)).first()
    return Saved(str(task.assignee_id or NEVER_SAVED), (given.display_name if given else None) or "someone",
                 given.at if given else None)


def reassign(app: AppContext, task_id: str, assignee_name: str, actor: Actor, loaded: str | None = None) -> Task:
    """A manager gives a ready task to another member of staff who may work it. Raises Forbidden, NotFound,
    Conflict (no longer ready), Invalid, or EditConflict when the task changed hands after `loaded` (the holder's
    user id the page showed, "0" for nobody; None: unchecked)."""
    if actor.role != app.manager_role:
        raise Forbidden("only a manager can reassign tasks")
    with app.uow() as uow:
        session = uow.session
        task = task_access.find_task(session, task_id)
        ensure_unchanged(session, f"task:{task.id}", loaded, lambda: _holder(session, task),
                         f"a change of who holds {task.title!r}")
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
               {"task": task.name, "to": assignee.name}, restriction=task.restriction,
               before={"task": task.name, "assignee_id": previous}, after={"task": task.name, "assignee_id": assignee.id})
        uow.commit()
        return task
