"""Remedies: propose one on a complaint, and project its procedure (approval, the resident's answer, payment)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms import form_class
from forms.offer_remedy import PARTS
from service.domain.calendar import london_today
from service.domain.policy import Policy
from service.persistence.models import Complaint, Remedy, Task, WorkflowInstance
from service.use_cases.context import Actor, AppContext, find_complaint, now
from service.use_cases.formdata import validated
from service.use_cases.processes import start_instance
from service.use_cases.projection import Change, apply_snapshot, record
from service.workflow.runtime import Snapshot

PROCESS = "remedy"


def offer(app: AppContext, reference: str, data: Any, actor: Actor) -> Remedy:
    """Propose a remedy on complaint `reference`; raises NotFound or Invalid."""
    moment = now()
    with app.uow() as uow:
        session = uow.session
        complaint = find_complaint(session, reference)
        form = validated(form_class("offer_remedy"), data, {"today": london_today(moment), "policy": app.policy.params})
        values = form.data
        remedy = _propose(session, app, complaint, list(values["remedy_kinds"]), values["remedy_description"],
                          {part: values[part] for part in PARTS}, Change(actor.id, moment), f"by {actor.name}")
        uow.commit()
        return remedy


def from_response(session: Session, app: AppContext, complaint: Complaint, submitted: dict[str, Any],
                  change: Change) -> list[Remedy]:
    """Put on record the remedy a Stage 1 or Stage 2 response names with its kinds (the response forms'
    `stageN_remedy_kinds`), so it is approved, answered, paid and reported like any other. `submitted` is what
    the completed task's form sent, not the instance's data, which carries earlier answers along."""
    made = []
    for stage in ("stage1", "stage2"):
        kinds = submitted.get(f"{stage}_remedy_kinds") or []
        if kinds:
            money = {part: Decimal(str(submitted.get(f"{stage}_{part}") or "0")) for part in PARTS}
            made.append(_propose(session, app, complaint, list(kinds), str(submitted.get(f"{stage}_remedy", "")),
                                 money, change, f"in the {stage.replace('stage', 'Stage ')} response"))
    return made


def _propose(session: Session, app: AppContext, complaint: Complaint, kinds: list[str], description: str,
             money: Mapping[str, Decimal | None], change: Change, source: str) -> Remedy:
    remedy = Remedy(complaint_id=complaint.id, kinds=kinds, description=description.strip(),
                    offered_by_id=change.actor_id, created_at=change.now, status="proposed",
                    **{part: amount or Decimal("0") for part, amount in money.items()})
    session.add(remedy)
    session.flush()
    task_data = {"remedy_kinds": kinds, "remedy_description": remedy.description,
                 **{part: str(getattr(remedy, part)) for part in PARTS}, "remedy_id": remedy.id}
    instance, snapshot = start_instance(session, PROCESS, task_data, app.policy.params, complaint_id=complaint.id)
    remedy.instance_id = instance.id
    record(session, complaint, change, "remedy_proposed",
           f"Remedy proposed {source}: {remedy.description}" + (f" (£{remedy.amount})" if remedy.amount else ""),
           {"remedy_id": remedy.id, "kinds": remedy.kinds, "amount": str(remedy.amount)})
    project(session, instance, complaint, snapshot, change, app.policy)
    return remedy


def project(session: Session, instance: WorkflowInstance, complaint: Complaint, snapshot: Snapshot, change: Change,
            policy: Policy) -> list[Task]:
    """Project a remedy instance: its tasks on the complaint, and its statuses on the remedy (not the complaint)."""
    remedy = session.scalars(select(Remedy).where(Remedy.instance_id == instance.id)).one()
    if snapshot.completed is not None:
        data = snapshot.completed.data
        if data.get("remedy_approval") == "approve":
            remedy.approved_by_id = change.actor_id
        if data.get("remedy_paid_on"):
            remedy.paid_on = date.fromisoformat(data["remedy_paid_on"])

    def set_status(status: str) -> None:
        before = {"remedy_id": remedy.id, "status": remedy.status}
        remedy.status = status
        record(session, complaint, change, "remedy_status", f"Remedy {status}: {remedy.description}",
               {"remedy_id": remedy.id, "status": status}, before=before, after={"remedy_id": remedy.id, "status": status})

    return apply_snapshot(session, instance, complaint, snapshot, change, policy, set_status=set_status)


def for_complaint(session: Session, complaint_id: int) -> list[dict[str, Any]]:
    """The complaint's remedies, for its page and the API."""
    rows = session.scalars(select(Remedy).where(Remedy.complaint_id == complaint_id).order_by(Remedy.id))
    return [{"id": r.id, "status": r.status, "kinds": r.kinds, "description": r.description,
             "amount": str(r.amount), "breakdown": {"time_and_trouble": str(r.time_and_trouble),
                                                   "distress_and_inconvenience": str(r.distress_and_inconvenience),
                                                   "quantifiable_loss": str(r.quantifiable_loss)},
             "paid_on": r.paid_on.isoformat() if r.paid_on else None} for r in rows]
