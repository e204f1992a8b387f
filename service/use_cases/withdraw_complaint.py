"""Withdrawing a complaint at the resident's request: its procedure stops where it stands (open tasks cancelled,
timers stopped), and it closes as withdrawn, with when and how the resident asked."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from forms import form_class
from forms.withdraw_complaint import HOW
from service.domain.calendar import london_today
from service.persistence.models import Complaint, WorkflowInstance
from service.use_cases import subjects
from service.use_cases.context import Actor, AppContext, find_complaint, lock_instance, now
from service.use_cases.errors import Conflict
from service.use_cases.formdata import validated
from service.use_cases.processes import compiled
from service.use_cases.projection import Change, record
from service.workflow import runtime

WITHDRAWN = "withdrawn"


def run(app: AppContext, reference: str, data: Any, actor: Actor | None) -> Complaint:
    """Withdraw complaint `reference`; raises NotFound, Conflict (not open) and Invalid (the form's fields)."""
    moment = now()
    with app.uow() as uow:
        session = uow.session
        complaint = find_complaint(session, reference)
        instance_id = session.scalar(select(WorkflowInstance.id).where(
            WorkflowInstance.complaint_id == complaint.id, WorkflowInstance.process_id == app.policy.params["process"]))
        # The lock first, then the status under it: a completion closing the complaint meanwhile is seen.
        instance = lock_instance(session, instance_id) if instance_id is not None else None
        session.refresh(complaint)
        if complaint.status != "open":
            raise Conflict(f"complaint {reference} is {complaint.status}, not open: there is nothing to withdraw")
        form = validated(form_class("withdraw_complaint"), data, {
            "today": london_today(moment), "earliest_event_date": complaint.received_on, "policy": app.policy.params})
        values = form.task_data()
        change = Change(actor.id if actor else None, moment)  # None: the resident, on their complaint's page
        if instance is not None and not instance.finished:
            snapshot = runtime.cancel(compiled(instance.process_version), instance.state, app.policy.params)
            subjects.project(session, instance, snapshot, change, app.policy)
        before = {"status": complaint.status, "stage": complaint.stage}
        complaint.status, complaint.closed_at = WITHDRAWN, moment
        how, asked = dict(HOW)[values["withdrawal_asked_by"]].lower(), form.withdrawn_on.data
        record(session, complaint, change, "withdrawn",
               f"Withdrawn at the resident's request, asked {how} on {asked.day} {asked:%B %Y}", values,
               before=before, after={"status": WITHDRAWN, "stage": complaint.stage})
        uow.commit()
        return complaint
