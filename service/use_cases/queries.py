"""Read-only views: the inbox, a complaint with its deadlines and history, one task with its form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload

from forms import TaskForm, describe
from service.domain.calendar import london_today, to_london_date, working_days_between
from service.domain.deadlines import DEADLINE_KEYS, PROCEDURE_DEADLINES, DeadlineStatus, is_breached, overall_target
from service.persistence.models import (
    Complainant,
    Complaint,
    Deadline,
    HistoryEntry,
    Notification,
    Restriction,
    Task,
    User,
    WorkflowInstance,
)
from service.use_cases import correspondence, evidence, learning, remedies, restrictions, task_access
from service.use_cases.audit_trail import entry_dict
from service.use_cases.complete_task import form_context
from service.use_cases.context import Actor, AppContext
from service.use_cases.errors import NotFound
from service.use_cases.form_definitions import form_for
from service.use_cases.processes import compiled
from service.workflow import runtime


def task_dict(task: Task, today: date, roles: tuple[str, ...] = ()) -> dict[str, Any]:
    """The API shape of a task row: `lane` is the BPMN lane, `roles` the roles that work it."""
    return {
        "id": task.id, "name": task.name, "title": task.title,
        "complaint_reference": task.complaint.reference if task.complaint else None,
        "restriction_id": task.restriction_id,
        "lane": task.lane, "roles": list(roles), "assignee": task.assignee.name if task.assignee else None,
        "due": task.due_on.isoformat() if task.due_on else None,
        "overdue": bool(task.due_on and task.due_on < today), "status": task.status,
    }


def _open_tasks(session: Session) -> Any:
    # Most urgent first: by due date (none last), then oldest; the order of the inbox's partial indexes.
    return (select(Task).where(Task.status == "ready")
            .options(joinedload(Task.complaint), joinedload(Task.restriction), joinedload(Task.assignee))
            .order_by(Task.due_on.asc().nulls_last(), Task.created_at, Task.id))


def _urgency(task: Task) -> tuple[bool, date, Any, str]:
    return task.due_on is None, task.due_on or date.max, task.created_at, task.id


INBOX_LIMIT = 100


def inbox(app: AppContext, actor: Actor, limit: int = INBOX_LIMIT) -> list[Task]:
    """Ready tasks assigned to the actor or offered to their role (and theirs to take), most urgent first: at
    most `limit` (a large landlord has thousands open; the most urgent are the ones to do next)."""
    return inbox_and_withheld(app, actor, limit)[0]


def inbox_and_withheld(app: AppContext, actor: Actor,
                       limit: int = INBOX_LIMIT) -> tuple[list[Task], list[tuple[Task, str]]]:
    """The inbox, and the tasks of the actor's lanes not offered to them for impartiality (Stage 2 work on a
    complaint they took part in before Stage 2, a restriction they proposed), each with why, so the inbox can say
    why they are not there."""
    with app.uow() as uow:
        return _inbox(uow.session, app, actor, limit)


def _inbox(session: Session, app: AppContext, actor: Actor, limit: int) -> tuple[list[Task], list[tuple[Task, str]]]:
    lanes = app.policy.lanes_for_role(actor.role)
    # Two index-ordered reads (mine; offered to my lanes), merged: one OR query would sort every open task.
    mine = session.scalars(_open_tasks(session).where(Task.assignee_id == actor.id).limit(limit)).all()
    offered = session.scalars(_open_tasks(session).where(
        Task.assignee_id.is_(None), Task.lane.in_(lanes)).limit(limit)).all()
    rows = sorted([*mine, *offered], key=_urgency)[:limit]
    # Stage 2 offers depend on who took part before Stage 2: read that for all of them at once.
    stage1 = task_access.stage1_people(session, {t.complaint for t in rows if t.stage == "2" and t.complaint})
    shown: list[Task] = []
    withheld: list[tuple[Task, str]] = []
    for task in rows:
        reason = None if task.assignee_id == actor.id else task_access.why_not(
            session, app.policy, task, actor.id, actor.role, stage1)
        if reason is None:
            shown.append(task)
        else:
            withheld.append((task, reason))
    return shown, withheld


@dataclass(frozen=True)
class InboxRow:
    """One task as an officer's inbox shows it."""

    task: Task
    resident: str | None
    stage: str | None
    days_left: int | None  # working days to the due date: 0 on the day, negative once overdue
    flags: list[str]  # vulnerable, adjustments, restricted, representative


@dataclass(frozen=True)
class InboxPage:
    """The inbox filtered as asked, with how many tasks each filter would show, and the withheld tasks."""

    rows: list[InboxRow]
    counts: dict[str, int]
    withheld: list[tuple[Task, str]]


INBOX_FILTERS = {"all": "All", "mine": "Mine", "offered": "Offered to my role", "overdue": "Overdue",
                 "stage1": "Stage 1", "stage2": "Stage 2"}


def inbox_page(app: AppContext, actor: Actor, show: str = "all", search: str = "",
               limit: int = INBOX_LIMIT) -> InboxPage:
    """The actor's inbox (see inbox_and_withheld) with each task's resident, stage, working days left and flags,
    filtered by `show` (a key of INBOX_FILTERS) and by `search` (a reference, or part of a resident's name)."""
    today = london_today()
    with app.uow() as uow:
        session = uow.session
        shown, withheld = _inbox(session, app, actor, limit)
        people = {t.complaint.complainant_id for t in shown if t.complaint} | {
            t.restriction.complainant_id for t in shown if t.restriction}
        restricted = set(session.scalars(select(Restriction.complainant_id).where(
            Restriction.complainant_id.in_(people), Restriction.status == "active"))) if people else set()
        persons = {p.id: p for p in session.scalars(select(Complainant).where(Complainant.id.in_(people)))}
        rows = [_inbox_row(task, persons, restricted, today) for task in shown]
    tests = {"all": lambda r: True, "mine": lambda r: r.task.assignee_id == actor.id,
             "offered": lambda r: r.task.assignee_id is None,
             "overdue": lambda r: r.days_left is not None and r.days_left < 0,
             "stage1": lambda r: r.stage == "stage1", "stage2": lambda r: r.stage == "stage2"}
    needle = search.strip().lower()
    found = [r for r in rows if not needle or needle == _reference(r.task).lower() or needle in (r.resident or "").lower()]
    return InboxPage([r for r in found if tests.get(show, tests["all"])(r)],
                     {key: sum(1 for r in found if test(r)) for key, test in tests.items()}, withheld)


def _reference(task: Task) -> str:
    return (task.complaint.reference or "") if task.complaint else ""


def _inbox_row(task: Task, persons: dict[int, Complainant], restricted: set[int], today: date) -> InboxRow:
    complaint = task.complaint
    person_id = complaint.complainant_id if complaint else (task.restriction.complainant_id if task.restriction else None)
    person = persons.get(person_id) if person_id is not None else None
    flags = [flag for flag, on in (
        ("vulnerable", bool(person and person.vulnerabilities)), ("adjustments", bool(person and person.adjustments)),
        ("restricted", person_id in restricted), ("representative", bool(complaint and complaint.representative)))
        if on]
    stage = complaint.stage if complaint else None
    days_left = working_days_between(today, task.due_on) if task.due_on else None
    return InboxRow(task, person.name if person else None, stage, days_left, flags)


def team_tasks(app: AppContext) -> list[Task]:
    """Every ready task, most urgent first (the managers' view, for reassigning)."""
    with app.uow() as uow:
        return list(uow.session.scalars(_open_tasks(uow.session)).all())


def notifications(app: AppContext, actor: Actor, limit: int = 20) -> list[Notification]:
    """The latest reminders and breach notices for the actor or their role."""
    with app.uow() as uow:
        return list(uow.session.scalars(
            select(Notification).options(joinedload(Notification.complaint))
            .where(or_(Notification.user_id == actor.id, Notification.role == actor.role))
            .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)))


def deadline_statuses(session: Session, complaint_id: int) -> list[DeadlineStatus]:
    """The complaint's known deadlines, in procedure order."""
    rows = {d.key: d for d in session.scalars(select(Deadline).where(Deadline.complaint_id == complaint_id))}
    order = {key: n for n, key in enumerate(DEADLINE_KEYS)}
    return [DeadlineStatus(d.key, d.due, d.met_on, is_breached(d.due, d.met_on, d.breached_at is not None),
                           d.original_due)
            for d in sorted(rows.values(), key=lambda d: order.get(d.key, len(order)))]


def _person(user: User | None) -> dict[str, str] | None:
    return {"name": user.name, "display_name": user.display_name} if user else None


def complaint_view(app: AppContext, reference: str) -> dict[str, Any]:
    """Everything about one complaint, as the API returns it; raises NotFound."""
    with app.uow() as uow:
        session = uow.session
        complaint = session.scalars(select(Complaint).where(Complaint.reference == reference).options(
            joinedload(Complaint.complainant), joinedload(Complaint.handler),
            joinedload(Complaint.stage2_handler))).first()
        if complaint is None:
            raise NotFound(f"no complaint {reference}")
        today = london_today()
        deadlines = deadline_statuses(session, complaint.id)
        # The complaint's own history, and the person's restriction decisions (which bear on every complaint).
        history = session.scalars(select(HistoryEntry).options(joinedload(HistoryEntry.actor)).where(or_(
            HistoryEntry.complaint_id == complaint.id,
            (HistoryEntry.complainant_id == complaint.complainant_id) & HistoryEntry.restriction_id.is_not(None)))
            .order_by(HistoryEntry.id))
        tasks = session.scalars(_open_tasks(session).where(Task.complaint_id == complaint.id))
        person = complaint.complainant
        stopped = complaint.status != "open" and not session.scalar(select(func.count()).select_from(WorkflowInstance).where(
            WorkflowInstance.complaint_id == complaint.id, WorkflowInstance.process_id == app.policy.params["process"],
            WorkflowInstance.finished.is_(False)))

        def lapsed(d: DeadlineStatus) -> bool:
            # Unmet when its procedure stopped: no days are left to count, and it is not overdue either.
            return stopped and d.met_on is None and d.key in PROCEDURE_DEADLINES
        return {
            "reference": complaint.reference, "status": complaint.status, "stage": complaint.stage,
            "handler": _person(complaint.handler), "stage2_handler": _person(complaint.stage2_handler),
            "complainant": {"id": person.id, "name": person.name, "email": person.email, "phone": person.phone,
                            "address": person.address, "adjustments": person.adjustments or [],
                            "adjustment_notes": person.adjustment_notes, "vulnerabilities": person.vulnerabilities},
            "representative": complaint.representative,
            "correspondence": correspondence.entries(session, complaint.id),
            "channel": complaint.channel, "received_at": complaint.received_at.isoformat(),
            "received_on": complaint.received_on.isoformat(), "description": complaint.description,
            "outcome_sought": complaint.outcome_sought, "profile": complaint.profile,
            "deadlines": {d.key: d.as_dict() for d in deadlines},
            "deadline_details": [{**d.as_dict(), "key": d.key, "title": d.title, "extended": d.extended,
                                  "original_due": d.original_due.isoformat() if d.original_due else None,
                                  "lapsed": lapsed(d),
                                  "working_days_left": None if lapsed(d) else d.working_days_left(today)}
                                 for d in deadlines],
            "history": [entry_dict(h) for h in history],
            "anonymised_at": complaint.anonymised_at.isoformat() if complaint.anonymised_at else None,
            "open_tasks": [task_dict(t, today, app.policy.lane_roles(t.lane)) for t in tasks],
            "restrictions": restrictions.active_for(session, complaint.complainant_id),
            "remedies": remedies.for_complaint(session, complaint.id),
            "tenure": complaint.tenure, "category": complaint.category, "root_cause": complaint.root_cause,
            "outcomes": {"stage1": complaint.stage1_outcome, "stage2": complaint.stage2_outcome},
            "refusal_exclusion": complaint.refusal_exclusion,
            "learning_actions": [a.as_dict() for a in learning.for_period(session, complaint_id=complaint.id)],
            "evidence": evidence.for_complaint(session, complaint.id),
            "overall_target": overall_target(
                complaint.received_on, weeks, to_london_date(complaint.closed_at) if complaint.closed_at else None,
                today) if (weeks := app.policy.overall_target_weeks) and complaint.status != "refused" else None,
        }


def task_view(app: AppContext, task_id: str, actor: Actor) -> dict[str, Any]:
    """One task with its form definition and whether the actor may work it; raises NotFound."""
    with app.uow() as uow:
        session = uow.session
        task = task_access.find_task(session, task_id)
        form = form_for(session, task.form)(context=form_context(app, session, task))
        reason = (task_access.why_not(session, app.policy, task, actor.id, actor.role)
                  if task.status == "ready" else task.status)
        return {**task_dict(task, london_today(), app.policy.lane_roles(task.lane)),
                "form": {"name": task.form, "fields": describe(form)},
                "may_complete": reason is None, "reason": reason}


def task_form_class(app: AppContext, name: str) -> type[TaskForm]:
    """The form class a task names (written in code, or built in the browser)."""
    with app.uow() as uow:
        return form_for(uow.session, name)


def task_form_data(app: AppContext, task_id: str) -> dict[str, Any]:
    """The workflow data a task holds, for forms that pre-fill from it; raises NotFound."""
    with app.uow() as uow:
        task = task_access.find_task(uow.session, task_id)
        instance = uow.session.get(WorkflowInstance, task.instance_id)
        assert instance is not None
        try:
            return runtime.task_data(compiled(instance.process_version), instance.state, task_id, app.policy.params)
        except runtime.TaskNotFound as error:
            raise NotFound(f"no task {task_id}") from error


def task_form_context(app: AppContext, task_id: str) -> dict[str, Any]:
    """What the task's form validates against (for rendering it); raises NotFound."""
    with app.uow() as uow:
        context = form_context(app, uow.session, task_access.find_task(uow.session, task_id))
        context["staff"] = context["staff"]()  # read now: the form is built after this session has closed
        return context


def recent_complaints(app: AppContext, limit: int = 100) -> list[tuple[str, str, str, str, date]]:
    """(reference, complainant, status, stage, received on) of the latest complaints."""
    with app.uow() as uow:
        rows = uow.session.execute(
            select(Complaint.reference, Complainant.name, Complaint.status, Complaint.stage, Complaint.received_on)
            .join(Complainant).order_by(Complaint.id.desc()).limit(limit))
        return [(ref or "", name, status, stage, received) for ref, name, status, stage, received in rows]


def find_task_or_404(app: AppContext, task_id: str) -> Task:
    """The task row (for pages), or NotFound."""
    with app.uow() as uow:
        task = uow.session.scalars(select(Task).options(joinedload(Task.complaint), joinedload(Task.assignee))
                                   .where(Task.id == task_id)).first()
        if task is None:
            raise NotFound(f"no task {task_id}")
        return task
