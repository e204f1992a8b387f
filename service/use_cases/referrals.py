"""Referring a complaint to the Housing Ombudsman: a referral instance beside the complaint's procedure."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from forms import form_class
from service.domain.calendar import london_today
from service.persistence.models import Complaint, WorkflowInstance
from service.use_cases.context import Actor, AppContext, find_complaint, now
from service.use_cases.errors import Conflict
from service.use_cases.formdata import validated
from service.use_cases.processes import start_instance
from service.use_cases.projection import Change, apply_snapshot, record

PROCESS = "referral"


def may_refer(app: AppContext, complaint: Complaint) -> str | None:
    """Why the complaint cannot go to the Ombudsman now, or None when it can."""
    any_time = (app.policy.params.get("after_stage2") or {}).get("ombudsman_any_time")
    if not any_time and complaint.status not in ("closed", "refused"):
        return "this procedure refers complaints to the Ombudsman once it is exhausted"
    return None


def refer_to_ombudsman(app: AppContext, reference: str, data: Any, actor: Actor) -> WorkflowInstance:
    """Record a referral to the Housing Ombudsman and start tracking it; raises NotFound, Conflict, Invalid."""
    moment = now()
    with app.uow() as uow:
        session = uow.session
        complaint = find_complaint(session, reference)
        reason = may_refer(app, complaint)
        if reason is not None:
            raise Conflict(reason)
        open_referral = session.scalar(select(WorkflowInstance.id).where(
            WorkflowInstance.complaint_id == complaint.id, WorkflowInstance.process_id == PROCESS,
            WorkflowInstance.finished.is_(False)))
        if open_referral is not None:
            raise Conflict("this complaint is already with the Ombudsman")
        form = validated(form_class("refer_to_ombudsman"), data, {
            "today": london_today(moment), "earliest_event_date": complaint.received_on, "policy": app.policy.params})
        values = form.task_data()
        instance, snapshot = start_instance(session, PROCESS, values, app.policy.params, complaint_id=complaint.id)
        change = Change(actor.id, moment)
        record(session, complaint, change, "referred_to_ombudsman",
               f"Referred to the Housing Ombudsman on {values['referred_to_ombudsman_on']}", values)
        apply_snapshot(session, instance, complaint, snapshot, change, app.policy)
        uow.commit()
        return instance
