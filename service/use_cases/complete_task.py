"""Complete a user task with the data of its form, under the instance lock."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from service.domain.calendar import london_today
from service.persistence.models import Task
from service.use_cases import correspondence, learning, remedies, subjects, task_access, users
from service.use_cases.context import Actor, AppContext, lock_task, now
from service.use_cases.errors import Conflict, NotFound
from service.use_cases.form_definitions import form_for
from service.use_cases.formdata import validated
from service.use_cases.processes import compiled
from service.use_cases.projection import Change, record
from service.workflow import runtime


@dataclass(frozen=True)
class Completion:
    """What completing a task did: the task, and the tasks that became ready next."""

    task: Task
    next_tasks: list[Task]

    def as_dict(self) -> dict[str, Any]:
        """The API answer."""
        complaint, restriction = self.task.complaint, self.task.restriction
        return {
            "task": {"id": self.task.id, "name": self.task.name, "status": self.task.status},
            "complaint_reference": complaint.reference if complaint else None,
            "complaint_status": complaint.status if complaint else None,
            "restriction_id": restriction.id if restriction else None,
            "restriction_status": restriction.status if restriction else None,
            "next": [{"id": t.id, "name": t.name, "title": t.title, "lane": t.lane} for t in self.next_tasks],
        }


def form_context(app: AppContext, session: Any, task: Task) -> dict[str, Any]:
    """What a task's form validates against: today, the receipt date, the deadlines, the policy."""
    moment = now()
    # The staff a form may name (who owns the improvement work a review of a response identifies): read only by
    # a form that asks, so other completions make no query for it.
    context: dict[str, Any] = {"now": moment, "today": london_today(moment), "policy": app.policy.params,
                               "deadlines": {}, "staff": lambda: users.staff_choices_in(session)}
    complaint = task.complaint
    if complaint is not None:
        context["deadlines"] = {d.key: d for d in complaint.deadlines}
        context["earliest_event_date"] = complaint.received_on
        context["complaint"] = {"received_on": complaint.received_on, "issue_occurred_on": complaint.issue_occurred_on,
                                "tenancy_ended_on": complaint.tenancy_ended_on}
    return context


def run(app: AppContext, task_id: str, data: Any, actor: Actor) -> Completion:
    """Complete `task_id` with `data` as `actor`.

    Raises NotFound (no task), Forbidden (not theirs to do), Conflict (no longer ready: completed, or cancelled
    by a timer) and Invalid (field errors). Readiness is re-checked in the engine while holding the lock.
    """
    with app.uow() as uow:
        session = uow.session
        locked = lock_task(session, task_id)  # the task is read under the lock, so its status is current
        if locked is None:
            raise NotFound(f"no task {task_id}")
        instance, task = locked
        task_access.ensure_ready(task)
        task_access.ensure_may_work(session, app.policy, task, actor)
        completion = _complete(app, session, instance, task, data, actor)
        uow.commit()
        return completion


def for_resident(app: AppContext, complaint_id: int, names: tuple[str, ...], data: Any) -> Completion:
    """Complete the complaint's open task named one of `names` with `data`, as the resident did it online (the
    resident's own step of the procedure, such as asking for Stage 2). Raises Conflict when no such task is open
    (the procedure does not allow it now) and Invalid (the form's field errors)."""
    with app.uow() as uow:
        session = uow.session
        task_id = session.scalar(select(Task.id).where(Task.complaint_id == complaint_id, Task.name.in_(names),
                                                       Task.status == "ready").limit(1))
        locked = lock_task(session, task_id) if task_id is not None else None
        if locked is None or locked[1].status != "ready":
            raise Conflict("the procedure does not allow this now")
        completion = _complete(app, session, locked[0], locked[1], data, None)
        uow.commit()
        return completion


def _complete(app: AppContext, session: Any, instance: Any, task: Task, data: Any, actor: Actor | None) -> Completion:
    # One completion under the instance lock the caller holds: validate, run the engine, record, project, and
    # send what the diagram says. `actor` None: the resident, online.
    form = validated(form_for(session, task.form), data, form_context(app, session, task))
    submitted = form.task_data()
    try:
        snapshot = runtime.complete_task(compiled(instance.process_version), instance.state, task.id,
                                         submitted, app.policy.params)
    except (runtime.TaskNotReady, runtime.TaskNotFound) as error:
        raise Conflict(f"task {task.name} is no longer ready") from error
    if task.assignee_id is None and actor is not None:
        task_access.take(session, task, actor.id)
    moment = now()
    change = Change(actor.id if actor else None, moment)
    record(session, task.complaint, change, "task_completed",
           f"{task.title} — done by {actor.name if actor else 'the resident, online'}",
           {"task": task.name, "data": submitted, **({} if actor else {"by": "resident"})},
           restriction=task.restriction, before=snapshot.before, after=snapshot.waiting_on())
    next_tasks = subjects.project(session, instance, snapshot, change, app.policy)
    if task.complaint is not None and snapshot.completed is not None:
        correspondence.on_task_completed(session, app, task.complaint, snapshot.completed, change.actor_id, moment)
        remedies.from_response(session, app, task.complaint, submitted, change)
        if actor is not None:
            learning.from_review(session, task.complaint, snapshot.completed.properties.get("reviews"), submitted,
                                 actor, moment)
    return Completion(task, next_tasks)
