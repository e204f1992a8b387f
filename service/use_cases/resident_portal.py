"""What a resident does on their complaint's private page, opened from the link we send them: see where it
stands, what happens next and by when, who is dealing with it, the letters we sent and the record of contact; ask
for Stage 2; withdraw it. Each action advances the complaint's procedure as a member of staff's would, is on the
audit trail as the resident's, and is refused with a plain reason when the procedure does not allow it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from forms.person import ADJUSTMENTS
from service.domain.calendar import london_today
from service.domain.deadlines import window_last_day
from service.outbound.letters import LETTERS
from service.persistence.models import Complaint, Correspondence, Notification, OutboundEmail, Task
from service.use_cases import complete_task, correspondence, evidence, withdraw_complaint
from service.use_cases.context import AppContext, now
from service.use_cases.correspondence import KINDS
from service.use_cases.errors import Conflict, Invalid, NotFound
from service.use_cases.projection import Change, record
from service.use_cases.queries import deadline_statuses
from service.use_cases.submit_complaint import add_to_record

ESCALATION_TASKS = ("escalation", "escalation_in_window")
# What each deadline means to the resident: what we will do by its date.
NEXT_STEPS = {
    "stage1_acknowledge": "We acknowledge your complaint and tell you who is dealing with it",
    "stage1_response": "We send you our response (Stage 1)",
    "stage2_acknowledge": "We acknowledge your request for a review (Stage 2)",
    "stage2_response": "We send you our final response (Stage 2)",
    "commitment": "We do what we promised in our response",
}
# The record of contact a resident sees: calls, letters, emails and visits, not staff's internal notes.
SHOWN_KINDS = ("letter", "call", "email")


def _complaint(session: Any, complaint_id: int) -> Complaint:
    complaint = session.get(Complaint, complaint_id)
    if complaint is None or complaint.anonymised_at is not None:
        raise NotFound("This complaint is no longer on record.")
    return complaint


def view(app: AppContext, complaint_id: int) -> dict[str, Any]:
    """The complaint as its resident sees it (no staff notes, no other person's data); raises NotFound."""
    today = london_today()
    with app.uow() as uow:
        session = uow.session
        complaint = _complaint(session, complaint_id)
        open_tasks = set(session.scalars(select(Task.name).where(Task.complaint_id == complaint.id,
                                                                 Task.status == "ready")))
        steps = [{"what": NEXT_STEPS.get(d.key, d.title), "by": d.due.isoformat(), "late": d.due < today}
                 for d in deadline_statuses(session, complaint.id) if d.met_on is None and complaint.status == "open"]
        contact = [{"on": entry["sent_at"][:10], "kind": entry["kind"], "letter": entry["letter"],
                    "what": LETTERS[entry["letter"]][0] if entry["letter"] in LETTERS else KINDS[entry["kind"]],
                    "direction": entry["direction"], "id": entry["id"], "document": entry["has_document"]}
                   for entry in correspondence.entries(session, complaint.id) if entry["kind"] in SHOWN_KINDS]
        escalation = app.policy.params.get("escalation") or {}
        return {
            "id": complaint.id, "reference": complaint.reference, "status": complaint.status, "stage": complaint.stage,
            "received_on": complaint.received_on.isoformat(), "description": complaint.description,
            "handler": complaint.handler.display_name if complaint.handler else None,
            "landlord": app.policy.landlord.name, "landlord_address": list(app.policy.landlord.address),
            "next_steps": steps, "contact": contact,
            "may_escalate": bool(open_tasks & set(ESCALATION_TASKS)),
            "reasons_required": bool(escalation.get("reasons_required")),
            "may_withdraw": complaint.status == "open",
            "files": [{"filename": e["filename"], "added_on": e["added_at"][:10]}
                      for e in evidence.for_complaint(session, complaint.id)],
            "may_add": complaint.status == "open",
            "adjustments": [ADJUSTMENTS.get(a, a) for a in complaint.complainant.adjustments or []],
            "adjustment_choices": ADJUSTMENTS,
        }


def escalate(app: AppContext, complaint_id: int, reasons: str = "", outcome: str = "") -> None:
    """The resident asks for Stage 2 today (Code 6.12: no reasons needed unless the procedure asks for them).
    Raises Conflict when the procedure does not allow it now, Invalid when a reason it asks for is missing or the
    time to ask has passed."""
    today = london_today()
    with app.uow() as uow:
        complaint = _complaint(uow.session, complaint_id)
        responded = next((d.met_on for d in deadline_statuses(uow.session, complaint.id) if d.key == "stage1_response"),
                         None)
    window = (app.policy.params.get("escalation") or {}).get("window")
    if window and responded and today > (last := window_last_day(responded, window)):
        raise Conflict(f"The time to ask for a review ended on {last:%-d %B %Y}, {window['days']} "
                       f"{window.get('unit', 'working')} days after our response. If you are still unhappy, contact "
                       f"us quoting {complaint.reference}, or the Housing Ombudsman on 0300 111 3000.")
    try:
        complete_task.for_resident(app, complaint_id, ESCALATION_TASKS, {
            "escalate": "yes", "escalation_requested_on": today.isoformat(),
            "escalation_reasons": reasons.strip(), "escalation_outcome_sought": outcome.strip()})
    except Conflict:
        raise Conflict("You can ask for a review (Stage 2) once we have sent you our response, and only while your "
                       "complaint is at Stage 1.") from None


def withdraw(app: AppContext, complaint_id: int, note: str = "") -> None:
    """The resident withdraws the complaint today; raises Conflict when it is no longer open."""
    with app.uow() as uow:
        reference = _complaint(uow.session, complaint_id).reference or ""
    withdraw_complaint.run(app, reference, {"withdrawn_on": london_today().isoformat(), "withdrawal_asked_by": "web",
                                            "withdrawal_note": note.strip()[:5000]}, None)


def ask_adjustment(app: AppContext, complaint_id: int, kinds: list[str], note: str) -> None:
    """The resident asks for reasonable adjustments (Code 5.10): added to their record, which every complaint and
    task of theirs shows, on the audit trail, and the person dealing with the complaint is told. Raises Invalid
    when nothing is asked for or a kind is not one we offer."""
    unknown = [kind for kind in kinds if kind not in ADJUSTMENTS]
    note = (note or "").strip()[:2000]
    if unknown or not (kinds or note):
        raise Invalid({"adjustments": "Tick what would help, or tell us in your own words: "
                                      + "; ".join(ADJUSTMENTS.values()) + "."})
    with app.uow() as uow:
        session = uow.session
        complaint = _complaint(session, complaint_id)
        person = complaint.complainant
        add_to_record(person, {"complainant_phone": None, "complainant_address": None, "complainant_email": None},
                      {"adjustments": kinds, "adjustment_notes": note, "vulnerabilities": ""})
        asked = ", ".join(ADJUSTMENTS[kind].lower() for kind in kinds) or "an adjustment"
        record(session, complaint, Change(None, now()), "adjustment_asked",
               f"The resident asked online for {asked}" + (f": {note}" if note else ""),
               {"adjustments": kinds, "note": note})
        if complaint.handler_id is not None:
            session.add(Notification(user_id=complaint.handler_id, message=f"{complaint.reference}: the resident "
                                     f"asked online for {asked}"))
        uow.commit()


def letter(app: AppContext, complaint_id: int, correspondence_id: int) -> tuple[str, bytes]:
    """A letter sent on this complaint, as a PDF; raises NotFound for any other."""
    with app.uow() as uow:
        row = uow.session.get(Correspondence, correspondence_id)
        if row is None or row.complaint_id != _complaint(uow.session, complaint_id).id:
            raise NotFound("There is no such letter on your complaint.")
    return correspondence.letter_pdf(app, correspondence_id)


def send_link(app: AppContext, reference: str, email: str) -> bool:
    """Email a new link to the complaint's page, if `email` is the one on its record (case aside). Whether one
    was sent: the page says the same either way, so it tells nobody whose email is whose."""
    links = app.portal_links
    email = email.strip().lower()
    if links is None or not email or not reference.strip():
        return False
    with app.uow() as uow:
        session = uow.session
        complaint = session.scalars(select(Complaint).where(Complaint.reference == reference.strip().upper())).first()
        if complaint is None or complaint.anonymised_at is not None:
            return False
        person = complaint.complainant
        if (person.email or "").strip().lower() != email:
            return False
        recent = session.scalar(select(func.count()).select_from(OutboundEmail).where(
            OutboundEmail.to_address == person.email, OutboundEmail.subject.like(f"%{complaint.reference}: your link%")))
        if (recent or 0) >= 10:  # a mailbox is not flooded by someone asking again and again
            return False
        session.add(OutboundEmail(
            to_address=person.email or email, subject=f"Your complaint {complaint.reference}: your link",
            next_attempt_at=now(),
            body=(f"Dear {person.name},\n\nHere is your private link to your complaint {complaint.reference}. It "
                  f"works for {links.days} days:\n\n{links.url(complaint.id)}\n\nIf you did not ask for it, you can "
                  f"ignore this email.\n\n{app.policy.landlord.name}\n")))
        uow.commit()
        return True
