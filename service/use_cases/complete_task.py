"""Complete a user task with the data of its form, under the instance lock."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
        form = validated(form_for(session, task.form), data, form_context(app, session, task))
        submitted = form.task_data()
        try:
            snapshot = runtime.complete_task(compiled(instance.process_version), instance.state, task.id,
                                             submitted, app.policy.params)
        except (runtime.TaskNotReady, runtime.TaskNotFound) as error:
            raise Conflict(f"task {task.name} is no longer ready") from error
        if task.assignee_id is None:
            task_access.take(session, task, actor.id)
        moment = now()
        change = Change(actor.id, moment)
        record(session, task.complaint, change, "task_completed", f"{task.title} — done by {actor.name}",
               {"task": task.name, "data": submitted}, restriction=task.restriction,
               before=snapshot.before, after=snapshot.waiting_on())
        next_tasks = subjects.project(session, instance, snapshot, change, app.policy)
        if task.complaint is not None and snapshot.completed is not None:
            correspondence.on_task_completed(session, app, task.complaint, snapshot.completed, actor.id, moment)
            remedies.from_response(session, app, task.complaint, submitted, change)
            learning.from_review(session, task.complaint, snapshot.completed.properties.get("reviews"), submitted,
                                 actor, moment)
        uow.commit()
        return Completion(task, next_tasks)
