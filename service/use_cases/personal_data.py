"""Personal data under UK GDPR: anonymise closed complaints after the retention period (a scheduled job), and
erase a person on request.

Anonymising keeps what the regulator's figures and the Ombudsman's statistics need — dates, stages, deadlines
met or missed, decisions, categories, outcomes, amounts — and removes everything that identifies or describes
the person: names and contact details, free text, letters, emails, and the free text inside the workflow's data
and the audit trail's detail. The audit trail itself stays: its entries are redacted, never deleted (the
database refuses any other change), and the anonymisation is itself an entry.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from sqlalchemy import exists, or_, select, update
from sqlalchemy.orm import Session

from service.persistence.models import (
    Complainant,
    Complaint,
    Correspondence,
    Evidence,
    HistoryEntry,
    OutboundEmail,
    Remedy,
    Restriction,
    WorkflowInstance,
)
from service.use_cases.audit_trail import ensure_data_officer
from service.use_cases.context import Actor, AppContext, now
from service.use_cases.errors import Conflict, Invalid, NotFound
from service.use_cases.projection import Change, record

REMOVED = "[removed]"
_DATA_KEYS = {"data", "delta", "internal_data"}
# Values that carry no personal content and are kept: ISO dates and times, and the short lower-case codes of
# choices (decisions, categories, outcomes, staff user names).
_KEPT_TEXT = re.compile(r"^(\d{4}-\d{2}-\d{2}([T ][\d:.+\-Z]*)?|[a-z0-9_]{1,40})$")
# Audit entries whose summary is written by the system from codes and dates, not from what anyone typed.
_PLAIN_SUMMARIES = {"task_completed", "deadline_set", "deadline_extended", "timer_fired", "reminder", "breach",
                    "status", "logged", "instance_migrated", "reassigned", "referred_to_ombudsman",
                    "restriction_status", "anonymised", "export"}


def scrub(value: Any) -> Any:
    """`value` with every piece of free text replaced by REMOVED; numbers, booleans, dates and codes kept."""
    if isinstance(value, dict):
        return {key: scrub(item) for key, item in value.items()}
    if isinstance(value, list):
        return [scrub(item) for item in value]
    if isinstance(value, str) and value and not _KEPT_TEXT.match(value):
        return REMOVED
    return value


def _scrub_state(state: str) -> str:
    # Only the data of the workflow and of its tasks (and the changes a task made to it) is what people typed;
    # the rest is the engine's structure, which must stay loadable.
    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: scrub(item) if key in _DATA_KEYS else walk(item) for key, item in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node
    return json.dumps(walk(json.loads(state)))


def _redact_history(session: Session, moment: datetime, *conditions: Any) -> None:
    # The entries that record an anonymisation or erasure are kept as written: they say what was done and why.
    entries = session.scalars(select(HistoryEntry).where(HistoryEntry.redacted_at.is_(None),
                                                         HistoryEntry.kind.not_in(("anonymised", "erased")), *conditions))
    for entry in entries:
        entry.detail = scrub(entry.detail)
        if entry.kind not in _PLAIN_SUMMARIES:
            entry.summary = f"{entry.kind.replace('_', ' ').capitalize()} {REMOVED}"
        entry.redacted_at = moment


def _anonymise_complaint(session: Session, complaint: Complaint, change: Change, reason: str) -> None:
    complaint.description, complaint.outcome_sought = REMOVED, REMOVED
    complaint.representative = {"name": REMOVED} if complaint.representative else None
    complaint.anonymised_at = change.now
    session.execute(update(Correspondence).where(Correspondence.complaint_id == complaint.id)
                    .values(subject=REMOVED, body=REMOVED, document=None, pending_data=None))
    session.execute(update(OutboundEmail).where(OutboundEmail.correspondence_id.in_(
        select(Correspondence.id).where(Correspondence.complaint_id == complaint.id)))
        .values(to_address=REMOVED, subject=REMOVED, body=REMOVED))
    session.execute(update(Remedy).where(Remedy.complaint_id == complaint.id).values(description=REMOVED))
    session.execute(update(Evidence).where(Evidence.complaint_id == complaint.id)
                    .values(filename=REMOVED[:200], note=REMOVED, data=None))
    for instance in session.scalars(select(WorkflowInstance).where(WorkflowInstance.complaint_id == complaint.id)):
        instance.state = _scrub_state(instance.state)
    _redact_history(session, change.now, HistoryEntry.complaint_id == complaint.id)
    record(session, complaint, change, "anonymised", f"Complaint anonymised ({reason})", {"reason": reason},
           before={"anonymised": False}, after={"anonymised": True})


def _anonymise_person(session: Session, person: Complainant, change: Change, reason: str) -> None:
    person.name, person.email, person.phone, person.address = f"Person {person.id} (anonymised)", None, None, None
    person.adjustments, person.adjustment_notes, person.vulnerabilities = [], "", ""
    person.anonymised_at = change.now
    session.execute(update(Restriction).where(Restriction.complainant_id == person.id).values(
        details=REMOVED, behaviour=REMOVED, evidence=REMOVED, reasons=REMOVED, equality_considerations=REMOVED,
        notice=None))
    for instance in session.scalars(select(WorkflowInstance).join(Restriction).where(
            Restriction.complainant_id == person.id)):
        instance.state = _scrub_state(instance.state)
    _redact_history(session, change.now, HistoryEntry.complainant_id == person.id)
    record(session, None, change, "anonymised", f"Person anonymised ({reason})", {"reason": reason},
           before={"anonymised": False}, after={"anonymised": True}, complainant_id=person.id)


def _in_hand(session: Session, person_id: int) -> list[str]:
    # A complaint is in hand while it is open or any procedure of it (a referral, a remedy) still runs.
    running = exists().where(WorkflowInstance.complaint_id == Complaint.id, WorkflowInstance.finished.is_(False))
    return [reference or "" for reference in session.scalars(select(Complaint.reference).where(
        Complaint.complainant_id == person_id, or_(Complaint.status == "open", running)))]


def _has_live_matters(session: Session, person_id: int, anonymising: set[int]) -> bool:
    # Someone with a complaint still in hand or kept, or a restriction in force, cannot be anonymised yet.
    kept = session.scalar(select(exists().where(Complaint.complainant_id == person_id,
                                                Complaint.anonymised_at.is_(None), Complaint.id.not_in(anonymising))))
    restricted = session.scalar(select(exists().where(Restriction.complainant_id == person_id,
                                                      Restriction.status.in_(("proposed", "active")))))
    return bool(kept or restricted)


def apply_retention(app: AppContext, years: int, limit: int = 500) -> int:
    """Anonymise up to `limit` complaints closed more than `years` years ago (and their people, once nothing of
    theirs is kept); returns how many. The scheduled job calls this daily."""
    moment = now()
    # 29 February falls back to the 28th in a year that has none.
    cutoff = moment.replace(year=moment.year - years, day=min(moment.day, 28 if moment.month == 2 else 31))
    reason = f"retention: closed more than {years} years ago"
    with app.uow() as uow:
        session = uow.session
        due = list(session.scalars(select(Complaint).where(
            Complaint.closed_at.is_not(None), Complaint.closed_at < cutoff, Complaint.status != "open",
            Complaint.anonymised_at.is_(None), ~exists().where(WorkflowInstance.complaint_id == Complaint.id,
                                                               WorkflowInstance.finished.is_(False))).order_by(Complaint.id).limit(limit).with_for_update(skip_locked=True)))
        change = Change(None, moment)
        for complaint in due:
            _anonymise_complaint(session, complaint, change, reason)
        session.flush()
        for person_id in {complaint.complainant_id for complaint in due}:
            person = session.get(Complainant, person_id)
            if person is not None and person.anonymised_at is None and not _has_live_matters(session, person_id, set()):
                _anonymise_person(session, person, change, reason)
        uow.commit()
        return len(due)


def erase(app: AppContext, person_id: int, reason: str, actor: Actor) -> int:
    """Erase a person on request (UK GDPR art. 17): anonymise them and every complaint of theirs; returns how
    many complaints. Refused (Conflict) while a complaint of theirs is open or a restriction is in force: the
    complaint must be closed (or withdrawn) first, so that nothing in hand is lost."""
    ensure_data_officer(app, actor, erasing=True)
    if not reason.strip():
        raise Invalid({"reason": "say why the person is erased (their request, and its date)"})
    with app.uow() as uow:
        session = uow.session
        person = session.get(Complainant, person_id, with_for_update=True)
        if person is None:
            raise NotFound(f"no person {person_id}")
        if person.anonymised_at is not None:
            raise Conflict(f"person {person_id} was already anonymised on {person.anonymised_at:%d %B %Y}")
        complaints = list(session.scalars(select(Complaint).where(Complaint.complainant_id == person_id)))
        still_open = _in_hand(session, person_id)
        if still_open:
            raise Conflict(f"close or withdraw these complaints first: {', '.join(still_open)}")
        if _has_live_matters(session, person_id, {c.id for c in complaints}):
            raise Conflict("a contact restriction is proposed or in force; end it first")
        change = Change(actor.id, now())
        reason = f"erasure on request: {reason.strip()[:200]}"
        for complaint in complaints:
            if complaint.anonymised_at is None:
                _anonymise_complaint(session, complaint, change, "erasure on request")
        _anonymise_person(session, person, change, "erasure on request")
        # Why, in the actor's words, after the redaction so it is kept.
        record(session, None, change, "erased", f"Erased on request by {actor.name}", {"reason": reason},
               complainant_id=person_id)
        uow.commit()
        return len(complaints)
