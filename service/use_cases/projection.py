"""Project an instance snapshot onto the tables: tasks, timers, deadlines, history, notifications.

Every use case that moves an instance (start, complete, fire timers) ends here, inside its own transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypedDict

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from service.domain.assignment import stage_assignee
from service.domain.deadlines import DEADLINE_TITLES
from service.domain.policy import Policy
from service.domain.tsm import CODE_TIMESCALES, responded_within_code
from service.persistence.models import (
    Complaint,
    Deadline,
    HistoryEntry,
    Notification,
    Restriction,
    Task,
    Timer,
    User,
    WorkflowInstance,
)
from service.workflow.runtime import FiredTimer, Snapshot, TimerView, UserTaskView


@dataclass(frozen=True)
class Change:
    """Who caused a change, and when."""

    actor_id: int | None
    now: datetime


def record(session: Session, complaint: Complaint | None, change: Change, kind: str, summary: str,
           detail: dict[str, Any] | None = None, *, restriction: Restriction | None = None,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
           complainant_id: int | None = None) -> None:
    """Append one entry to the audit trail: of a complaint, of a restriction (the person's history, shown on each
    of their complaints), of a person (`complainant_id`), or of the system (none of them: deploys, sign-ins).
    `before` and `after` hold the state the change moved, never personal content, so they outlive anonymisation;
    only what changed is kept (see `changed`)."""
    before, after = changed(before, after)
    if complainant_id is None:
        complainant_id = complaint.complainant_id if complaint else (restriction.complainant_id if restriction else None)
    session.add(HistoryEntry(complaint_id=complaint.id if complaint else None, complainant_id=complainant_id,
                             restriction_id=restriction.id if restriction else None, at=change.now,
                             actor_id=change.actor_id, kind=kind, summary=summary, detail=detail or {},
                             before=before, after=after))


def _handlers(complaint: Complaint) -> dict[str, tuple[int, str]]:
    # Through the relationships: a task completion has them from its lock query (see context.lock_task).
    by_stage = {"1": complaint.handler, "2": complaint.stage2_handler}
    return {stage: (user.id, user.role) for stage, user in by_stage.items() if user is not None}


def _sync_deadlines(session: Session, complaint: Complaint, snapshot: Snapshot, change: Change,
                    deadlines: dict[str, Deadline]) -> None:
    # A deadline's timers carry its current due date in their data. Timers that fired in this very step (a
    # complaint logged after its deadline) count too; waiting ones come last as they are the most current.
    timers: list[FiredTimer | TimerView] = [*snapshot.fired, *snapshot.timers]
    for timer in timers:
        key = timer.properties.get("deadline")
        if not key or f"{key}_due" not in timer.data:
            continue
        due = date.fromisoformat(timer.data[f"{key}_due"])
        deadline = deadlines.get(key)
        if deadline is None:
            original = date.fromisoformat(timer.data.get(f"{key}_original_due") or timer.data[f"{key}_due"])
            counts_from = timer.data.get(f"{key}_from")
            deadline = Deadline(key=key, due=due, original_due=original,
                                counts_from=date.fromisoformat(counts_from) if counts_from else None)
            complaint.deadlines.append(deadline)
            deadlines[key] = deadline
            record(session, complaint, change, "deadline_set",
                   f"{DEADLINE_TITLES.get(key, key)} due {due:%d %B %Y}", {"deadline": key},
                   before=None, after={"deadline": key, "due": due.isoformat()})
        elif deadline.due != due and (deadline.met_on is not None or deadline.breached_at is not None):
            # A deadline met or missed before that comes back is a new occurrence (another Ombudsman request,
            # the next order due); an extension is only ever agreed before the deadline passes.
            before = _deadline_state(deadline)
            deadline.due, deadline.original_due, deadline.met_on = due, due, None
            deadline.reminded_at = deadline.breached_at = None
            record(session, complaint, change, "deadline_set",
                   f"{DEADLINE_TITLES.get(key, key)} due {due:%d %B %Y}", {"deadline": key},
                   before=before, after=_deadline_state(deadline))
        elif deadline.due != due:
            record(session, complaint, change, "deadline_extended",
                   f"{DEADLINE_TITLES.get(key, key)} extended from {deadline.due:%d %B %Y} to {due:%d %B %Y}",
                   {"deadline": key},
                   before={"deadline": key, "due": deadline.due.isoformat()}, after={"deadline": key, "due": due.isoformat()})
            deadline.due = due
            deadline.reminded_at = None


def _notify(session: Session, complaint: Complaint, message: str, user_id: int | None, role: str | None) -> None:
    session.add(Notification(user_id=user_id, role=None if user_id else role, complaint_id=complaint.id,
                             message=message))


def _owners_of_missed(session: Session, data: dict[str, Any], due: date) -> set[int]:
    # Commitments and orders name their owner; where that is a member of staff, they are told too.
    owners = {str(row.get("owner", "")).strip().lower() for rows in data.values() if isinstance(rows, list)
              for row in rows if isinstance(row, dict) and row.get("due") == due.isoformat()
              and not row.get("delivered")}
    owners.discard("")
    if not owners:
        return set()
    users = session.execute(select(User.id, User.name, User.display_name)).all()
    return {user_id for user_id, name, display in users if name.lower() in owners or display.lower() in owners}


def _judge_against_code(deadlines: dict[str, Deadline], key: str) -> None:
    # A stage's response is judged against the Code when it is recorded (TSM CH02 then counts in SQL).
    stage = key.removesuffix("_response")
    response, acknowledgement = deadlines[key], deadlines.get(f"{stage}_acknowledge")
    if stage not in CODE_TIMESCALES or acknowledgement is None or acknowledgement.counts_from is None \
            or response.met_on is None:
        return
    response.within_code = responded_within_code(stage, acknowledgement.counts_from, acknowledgement.met_on,
                                                 response.met_on, response.due, response.original_due)


def changed(before: dict[str, Any] | None, after: dict[str, Any] | None) -> tuple[dict[str, Any] | None,
                                                                              dict[str, Any] | None]:
    """`before` and `after` less what is the same in both; of a list in both, what left it and what joined it.
    Each task completion and timer would otherwise repeat the whole unchanged state (and history is most of a
    complaint's stored bytes)."""
    if before is None or after is None:
        return before, after
    old, new = {}, {}
    for key in before.keys() | after.keys():
        was, now_ = before.get(key), after.get(key)
        if isinstance(was, list) and isinstance(now_, list):
            was, now_ = [item for item in was if item not in now_], [item for item in now_ if item not in was]
            if not was and not now_:
                continue
        elif was == now_:
            continue
        old[key], new[key] = was, now_
    return old or None, new or None


def _deadline_state(deadline: Deadline) -> dict[str, Any]:
    def iso(value: date | datetime | None) -> str | None:
        return value.isoformat() if value is not None else None
    return {"deadline": deadline.key, "due": iso(deadline.due), "met_on": iso(deadline.met_on),
            "reminded_at": iso(deadline.reminded_at), "breached_at": iso(deadline.breached_at)}


class States(TypedDict):
    """The `before` and `after` of an audit entry."""

    before: dict[str, Any]
    after: dict[str, Any]


def fired_states(fired: FiredTimer) -> States:
    """The before and after of a timer that fired: waiting, then fired."""
    return {"before": {"timer": fired.name, "timer_task": fired.task_id, "state": "waiting"},
            "after": {"timer": fired.name, "timer_task": fired.task_id, "state": "fired"}}


def _on_fired(session: Session, complaint: Complaint, fired: FiredTimer, change: Change,
              deadlines: dict[str, Deadline], manager_role: str) -> None:
    # Every firing leaves exactly one entry naming the timer's task, so the record shows each timer fired once.
    audit = {"timer": fired.name, "timer_task": fired.task_id}
    key = fired.properties.get("deadline")
    deadline = deadlines.get(key or "")
    if deadline is None:
        record(session, complaint, change, "timer_fired", fired.title or fired.name, audit, **fired_states(fired))
        return
    before = _deadline_state(deadline)
    title = DEADLINE_TITLES.get(deadline.key, deadline.key)
    handler_id = complaint.stage2_handler_id if deadline.key.startswith("stage2") else complaint.handler_id
    if fired.properties.get("timer") == "reminder" and deadline.reminded_at is None and deadline.met_on is None:
        deadline.reminded_at = change.now
        record(session, complaint, change, "reminder", f"Reminder: {title} due {deadline.due:%d %B %Y}",
               {"deadline": deadline.key, **audit}, before=before, after=_deadline_state(deadline))
        _notify(session, complaint, f"{complaint.reference}: {title} is due on {deadline.due:%d %B %Y}",
                handler_id, manager_role)
    elif fired.properties.get("timer") == "breach" and deadline.breached_at is None and deadline.met_on is None:
        # Recorded once: a later breach timer for the same (extended) deadline finds breached_at set.
        deadline.breached_at = change.now
        record(session, complaint, change, "breach", f"{title} missed (was due {deadline.due:%d %B %Y})",
               {"deadline": deadline.key, "due": deadline.due.isoformat(), **audit}, before=before,
               after=_deadline_state(deadline))
        _notify(session, complaint, f"{complaint.reference}: {title} was missed", None, manager_role)
        if handler_id is not None:
            _notify(session, complaint, f"{complaint.reference}: {title} was missed", handler_id, None)
        for owner_id in _owners_of_missed(session, fired.data, deadline.due):
            _notify(session, complaint, f"{complaint.reference}: your action due {deadline.due:%d %B %Y} was missed",
                    owner_id, None)
    else:
        record(session, complaint, change, "timer_fired", f"{fired.title or fired.name} (nothing to do: "
               f"{title} already {'met' if deadline.met_on else 'recorded'})", {"deadline": deadline.key, **audit},
               **fired_states(fired))


def sync_tasks(session: Session, instance: WorkflowInstance, snapshot: Snapshot, change: Change,
               place: Callable[[UserTaskView, Task], None]) -> list[Task]:
    """Close the task rows no longer ready and add the newly ready ones; `place` fills in what depends on the
    subject (complaint or restriction): its id, the assignee, the due date. Returns the new rows."""
    ready_ids = {view.id for view in snapshot.ready}
    # One read: the instance's rows still open, and any earlier row of a task the engine made ready again (a
    # loop back keeps the task's id). Asked by instance first, so that it is read by the instance's index, not
    # by scanning every open task of every instance.
    rows = {row.id: row for row in session.scalars(select(Task).where(
        Task.instance_id == instance.id, or_(Task.status == "ready", Task.id.in_(ready_ids))))}
    open_rows = {task_id: row for task_id, row in rows.items() if row.status == "ready"}
    completed_id = snapshot.completed.id if snapshot.completed else None
    for task_id, row in open_rows.items():
        if task_id not in ready_ids:
            row.status = "completed" if task_id == completed_id else "cancelled"
            row.finished_at = change.now
            row.completed_by_id = change.actor_id if task_id == completed_id else None
    new_rows = []
    for view in snapshot.ready:
        if view.id in open_rows:
            open_rows[view.id].title = view.title  # a migration to a new version may have renamed it
            continue
        row = rows.get(view.id) or Task(id=view.id)
        row.instance_id, row.name, row.title, row.lane = instance.id, view.name, view.title, view.lane
        row.stage, row.impartial_from = view.properties.get("stage"), view.properties.get("impartial_from")
        row.form = view.properties.get("form", view.name)
        row.status, row.finished_at, row.completed_by_id = "ready", None, None
        row.created_at = change.now
        place(view, row)
        session.add(row)
        new_rows.append(row)
    return new_rows


def _complaint_placer(session: Session, complaint: Complaint, deadlines: dict[str, Deadline],
                      policy: Policy) -> Callable[[UserTaskView, Task], None]:
    # A task is due on its own deadline (a breach review: when its deadline was), else on its stage's earliest
    # unmet one; a commitment's date is the commitment's, not a date for the procedure's tasks.
    def unmet(stage: str | None) -> list[date]:
        prefix = f"stage{stage}_" if stage in ("1", "2") else "stage"
        return [d.due for key, d in deadlines.items() if d.met_on is None and key.startswith(prefix)]
    handlers: dict[str, tuple[int, str]] | None = None  # read only when a task becomes ready

    def place(view: UserTaskView, row: Task) -> None:
        nonlocal handlers
        if handlers is None:
            handlers = _handlers(complaint)
        own_deadline = deadlines.get(view.properties.get("deadline", ""))
        row.complaint_id = complaint.id
        row.assignee_id = stage_assignee(row.stage, policy.lane_roles(view.lane), handlers)
        stage_dates = unmet(row.stage)
        row.due_on = own_deadline.due if own_deadline else (min(stage_dates) if stage_dates else None)
        if row.stage == "2" and complaint.stage != "stage2":
            complaint.stage = "stage2"
    return place


def sync_timers(session: Session, instance: WorkflowInstance, snapshot: Snapshot) -> None:
    """Make the timer rows of `instance` exactly its waiting timers (the sweep's truth)."""
    if not snapshot.timers_changed():
        return  # the rows are the timers the instance waited on before, and it waits on those still
    rows = {row.task_id: row for row in session.scalars(select(Timer).where(Timer.instance_id == instance.id))}
    waiting = {timer.task_id: timer for timer in snapshot.timers}
    for task_id, stale in rows.items():
        if task_id not in waiting:
            session.delete(stale)
    for task_id, timer in waiting.items():
        existing = rows.get(task_id)
        if existing is None:
            session.add(Timer(instance_id=instance.id, task_id=task_id, name=timer.name, due_at=timer.due_at))
        elif existing.due_at != timer.due_at:
            existing.due_at = timer.due_at


def _complaint_status(session: Session, complaint: Complaint, change: Change) -> Callable[[str], None]:
    def set_status(status: str) -> None:
        before = {"status": complaint.status, "stage": complaint.stage}
        complaint.status = status
        complaint.closed_at = change.now
        record(session, complaint, change, "status", f"Complaint {status}", {"status": status}, before=before,
               after={"status": status, "stage": complaint.stage})
    return set_status


# Task data the reports count by, copied onto the complaint's columns when a form records it.
FACTS = {"complaint_category": "category", "root_cause": "root_cause", "stage1_decision": "stage1_outcome",
         "stage2_decision": "stage2_outcome", "exclusion": "refusal_exclusion"}


def _record_facts(complaint: Complaint, data: dict[str, Any]) -> None:
    for field, column in FACTS.items():
        if data.get(field):
            setattr(complaint, column, str(data[field]))


def apply_snapshot(session: Session, instance: WorkflowInstance, complaint: Complaint, snapshot: Snapshot,
                   change: Change, policy: Policy, set_status: Callable[[str], None] | None = None) -> list[Task]:
    """Store the instance state and bring tasks, timers, deadlines and the complaint's status up to date.

    Returns the tasks that became ready."""
    instance.state = snapshot.state
    instance.finished = snapshot.finished
    deadlines = {d.key: d for d in complaint.deadlines}
    if snapshot.completed is not None:
        # Only what this task's form recorded: a review's data carries the response's facts as they were then.
        _record_facts(complaint, {k: v for k, v in snapshot.completed.data.items() if k in snapshot.completed.submitted})
        key = snapshot.completed.properties.get("meets_deadline")
        field = snapshot.completed.properties.get("met_on_field")
        if key in deadlines and field and snapshot.completed.data.get(field):
            deadlines[key].met_on = date.fromisoformat(snapshot.completed.data[field])
            _judge_against_code(deadlines, key)
    _sync_deadlines(session, complaint, snapshot, change, deadlines)
    if snapshot.completed is not None:
        for stage in ("1", "2"):  # an extension beyond the cap, for the good reason the form recorded
            if snapshot.completed.data.get(f"stage{stage}_beyond_cap_reason") and f"stage{stage}_response" in deadlines:
                deadlines[f"stage{stage}_response"].beyond_cap = True
    for fired in snapshot.fired:
        _on_fired(session, complaint, fired, change, deadlines, policy.stage_role("2"))
    for status in snapshot.statuses:
        # Statuses are the complaint's unless the instance is about something else on it (e.g. a remedy).
        (set_status or _complaint_status(session, complaint, change))(status)
    new_tasks = sync_tasks(session, instance, snapshot, change, _complaint_placer(session, complaint, deadlines, policy))
    sync_timers(session, instance, snapshot)
    return new_tasks
