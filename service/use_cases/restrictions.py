"""Contact restrictions: propose one, project its procedure (decision, notice, review), and read them back."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from forms import form_class
from service.domain.calendar import london_today
from service.domain.policy import Policy
from service.domain.restrictions import KINDS, NoticeFacts, end_notice_text, notice_text
from service.persistence.models import Complainant, Complaint, HistoryEntry, Restriction, Task, User, WorkflowInstance
from service.use_cases import users
from service.use_cases.audit_trail import PAGE, entry_dict
from service.use_cases.context import Actor, AppContext, now
from service.use_cases.errors import NotFound
from service.use_cases.formdata import validated
from service.use_cases.processes import start_instance
from service.use_cases.projection import Change, fired_states, record, sync_tasks, sync_timers
from service.workflow.runtime import Snapshot, UserTaskView

PROCESS = "contact_restriction"


def form_context(app: AppContext) -> dict[str, Any]:
    """What the proposal form validates against."""
    return {"today": london_today(), "staff": users.staff_choices(app), "policy": app.policy.params}


def propose(app: AppContext, complainant_id: int, data: Any, actor: Actor) -> Restriction:
    """An officer proposes a restriction; it waits for a manager's decision. Raises NotFound or Invalid."""
    form = validated(form_class("propose_restriction"), data, form_context(app))
    values = form.data
    moment = now()
    with app.uow() as uow:
        session = uow.session
        if session.get(Complainant, complainant_id) is None:
            raise NotFound(f"no complainant {complainant_id}")
        contact_id = (session.scalar(select(User.id).where(User.name == values["named_contact"]))
                      if values["named_contact"] else None)
        restriction = Restriction(
            complainant_id=complainant_id, kinds=list(values["kinds"]), details=values["details"] or "",
            behaviour=values["behaviour"], evidence=values["evidence"], reasons=values["reasons"],
            equality_considerations=values["equality_considerations"], named_contact_id=contact_id,
            review_on=values["review_on"], proposed_by_id=actor.id, created_at=moment, status="proposed")
        session.add(restriction)
        session.flush()
        instance, snapshot = start_instance(session, PROCESS, {
            "restriction_id": restriction.id, "review_on": restriction.review_on.isoformat(),
            "amended_review_on": None, "next_review_on": None}, app.policy.params, restriction_id=restriction.id)
        change = Change(actor.id, moment)
        record(session, None, change, "restriction_proposed",
               f"Contact restriction proposed by {actor.name}: {', '.join(KINDS[k] for k in restriction.kinds)}",
               {"kinds": restriction.kinds, "review_on": restriction.review_on.isoformat()}, restriction=restriction)
        apply_snapshot(session, instance, restriction, snapshot, change, app.policy)
        uow.commit()
        return restriction


def _notice(session: Session, restriction: Restriction, policy: Policy) -> str:
    contact = session.get(User, restriction.named_contact_id) if restriction.named_contact_id else None
    return notice_text(NoticeFacts(
        complainant=restriction.complainant.name, kinds=restriction.kinds, details=restriction.details,
        reasons=restriction.reasons, review_on=restriction.review_on,
        named_contact=contact.display_name if contact else None,
        landlord_contact=", ".join((policy.landlord.name, *policy.landlord.address))))


def _apply_decision(restriction: Restriction, data: dict[str, Any], change: Change) -> None:
    # The decision and review forms may amend what is restricted and when it is reviewed.
    if data.get("amended_kinds"):
        restriction.kinds = list(data["amended_kinds"])
    for field in ("amended_review_on", "next_review_on"):
        if data.get(field):
            restriction.review_on = date.fromisoformat(data[field])
    if "decision" in data:
        restriction.decided_by_id, restriction.decided_at = change.actor_id, change.now


def _terms(restriction: Restriction) -> dict[str, Any]:
    # What a decision or review moves: the status, what is restricted, and when it is next reviewed.
    return {"status": restriction.status, "kinds": list(restriction.kinds or []),
            "review_on": restriction.review_on.isoformat() if restriction.review_on else None}


def apply_snapshot(session: Session, instance: WorkflowInstance, restriction: Restriction, snapshot: Snapshot,
                   change: Change, policy: Policy) -> list[Task]:
    """Store the instance and bring the restriction, its tasks, timers and the person's history up to date."""
    instance.state, instance.finished = snapshot.state, snapshot.finished
    completed = snapshot.completed
    if completed is not None:
        before = _terms(restriction)
        _apply_decision(restriction, completed.data, change)
        outcome = completed.data.get("decision") or completed.data.get("review_outcome")
        reasons = completed.data.get("reasons") or completed.data.get("review_reasons") or ""
        record(session, None, change, "restriction_decision", f"Contact restriction: {outcome} — {reasons}",
               {"task": completed.name, "data": completed.data}, restriction=restriction, before=before,
               after={**_terms(restriction), "decision": outcome})
    for status in snapshot.statuses:
        before = _terms(restriction)
        restriction.status = status
        if status == "active":
            restriction.notice = _notice(session, restriction, policy)
            record(session, None, change, "restriction_notice", "Restriction notice sent to the complainant",
                   {"notice": restriction.notice}, restriction=restriction, before=before, after=_terms(restriction))
        elif status == "ended":
            restriction.ended_at = change.now
            record(session, None, change, "restriction_notice", "Restriction lifted; the complainant was told",
                   {"notice": end_notice_text(restriction.complainant.name)}, restriction=restriction, before=before,
                   after=_terms(restriction))
        elif status == "rejected":
            record(session, None, change, "restriction_status", "Contact restriction rejected", {},
                   restriction=restriction, before=before, after=_terms(restriction))
    for fired in snapshot.fired:
        record(session, None, change, "timer_fired", fired.title or fired.name,
               {"timer": fired.name, "timer_task": fired.task_id}, restriction=restriction, **fired_states(fired))

    def place(view: UserTaskView, row: Task) -> None:
        row.restriction_id = restriction.id
        row.due_on = restriction.review_on if view.name == "review_restriction" else None

    new_tasks = sync_tasks(session, instance, snapshot, change, place)
    sync_timers(session, instance, snapshot)
    return new_tasks


def restriction_dict(restriction: Restriction) -> dict[str, Any]:
    """The API shape of a restriction."""
    return {
        "id": restriction.id, "status": restriction.status, "kinds": restriction.kinds,
        "kind_titles": [KINDS.get(k, k) for k in restriction.kinds], "details": restriction.details,
        "complainant": {"id": restriction.complainant_id, "name": restriction.complainant.name},
        "review_on": restriction.review_on.isoformat(),
        "named_contact": restriction.named_contact.display_name if restriction.named_contact else None,
        "proposed_by": restriction.proposed_by.name,
        "decided_by": restriction.decided_by.name if restriction.decided_by else None,
        "behaviour": restriction.behaviour, "evidence": restriction.evidence, "reasons": restriction.reasons,
        "equality_considerations": restriction.equality_considerations, "notice": restriction.notice,
    }


def _loaded(session: Session) -> Any:
    return select(Restriction).options(
        joinedload(Restriction.complainant), joinedload(Restriction.named_contact),
        joinedload(Restriction.proposed_by), joinedload(Restriction.decided_by))


def view(app: AppContext, restriction_id: int) -> dict[str, Any]:
    """One restriction; raises NotFound."""
    with app.uow() as uow:
        restriction = uow.session.scalars(_loaded(uow.session).where(Restriction.id == restriction_id)).first()
        if restriction is None:
            raise NotFound(f"no restriction {restriction_id}")
        return restriction_dict(restriction)


def active_for(session: Session, complainant_id: int) -> list[dict[str, Any]]:
    """The complainant's restrictions in force (for the banner wherever they appear)."""
    rows = session.scalars(_loaded(session).where(Restriction.complainant_id == complainant_id,
                                                  Restriction.status == "active"))
    return [restriction_dict(r) for r in rows]


def complainant_view(app: AppContext, complainant_id: int) -> dict[str, Any]:
    """A person's record: their details, complaints, restrictions and person-level history; raises NotFound."""
    with app.uow() as uow:
        session = uow.session
        person = session.get(Complainant, complainant_id)
        if person is None:
            raise NotFound(f"no complainant {complainant_id}")
        complaints = session.execute(select(Complaint.reference, Complaint.status, Complaint.stage, Complaint.received_on)
                                     .where(Complaint.complainant_id == complainant_id).order_by(Complaint.id.desc()))
        all_restrictions = session.scalars(_loaded(session).where(Restriction.complainant_id == complainant_id)
                                           .order_by(Restriction.id.desc()))
        history = session.scalars(select(HistoryEntry).options(joinedload(HistoryEntry.actor))
                                  .where(HistoryEntry.complainant_id == complainant_id)
                                  .order_by(HistoryEntry.id.desc()).limit(PAGE))
        return {
            "id": person.id, "name": person.name, "email": person.email, "phone": person.phone,
            "address": person.address,
            "complaints": [{"reference": ref, "status": status, "stage": stage, "received_on": received.isoformat()}
                           for ref, status, stage, received in complaints],
            "restrictions": [restriction_dict(r) for r in all_restrictions],
            "active_restrictions": active_for(session, complainant_id),
            "history": [entry_dict(h) for h in history],
            "anonymised_at": person.anonymised_at.isoformat() if person.anonymised_at else None,
        }


def decided(app: AppContext, limit: int = 50) -> list[dict[str, Any]]:
    """Recent restriction decisions, newest first (the approvals page's history)."""
    with app.uow() as uow:
        rows = uow.session.scalars(_loaded(uow.session).where(Restriction.decided_at.is_not(None))
                                   .order_by(Restriction.decided_at.desc()).limit(limit))
        return [restriction_dict(r) for r in rows]
