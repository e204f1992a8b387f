"""The complaint's correspondence: the letters the procedure sends (a user task names its letter in the diagram),
call notes and letters received, and the log of all of them (Code 5.12).

A letter is rendered to HTML when its task completes — cheap, inside the completion — and stored as it was sent;
its PDF is made once, by the outbox worker or on first download, and never changed after.
"""

from __future__ import annotations

import json
import logging
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain.calendar import london_today
from service.domain.deadlines import window_last_day
from service.outbound import letters
from service.persistence.models import Complaint, Correspondence, LetterTemplate, OutboundEmail, User
from service.use_cases.context import Actor, AppContext, find_complaint, now
from service.use_cases.errors import Invalid, NotFound
from service.use_cases.personal_data import REMOVED
from service.use_cases.projection import Change, record
from service.workflow.runtime import CompletedTask

log = logging.getLogger(__name__)
KINDS = {"call": "Phone call", "letter": "Letter", "email": "Email", "note": "Note of a meeting or visit"}
CHANNELS = {"phone": "Phone", "email": "Email", "post": "Post", "in_person": "In person", "web": "Web form"}


def _long_date(value: Any) -> str:
    if isinstance(value, str) and len(value) >= 10:
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    return f"{value:%-d %B %Y}" if isinstance(value, date) else str(value or "")


def letter_context(app: AppContext, complaint: Complaint, data: dict[str, Any]) -> dict[str, Any]:
    """What a letter template sees: the complaint, the person, the handler, the due dates, the task data."""
    person = complaint.complainant
    handler = complaint.handler.display_name if complaint.handler else "Our complaints team"
    exclusions = app.policy.exclusions
    return {
        "reference": complaint.reference, "landlord": app.policy.landlord.name, "today": _long_date(london_today()),
        "complainant": {"name": person.name, "address": person.address or ""},
        "representative": complaint.representative or {},
        "handler": handler, "received_on": _long_date(complaint.received_on), "description": complaint.description,
        "due": {d.key: _long_date(d.due) for d in complaint.deadlines},
        "data": {key: _long_date(value) if key.endswith(("_on", "_to")) else value for key, value in data.items()},
        "options": app.policy.options_after_stage2,
        "escalation": _escalation(app, data),
        "stage2_handler": complaint.stage2_handler.display_name if complaint.stage2_handler else "",
        "stage2_role": app.policy.roles.get(app.policy.stage_role("2"), ""),
        "exclusion": _in_sentence(exclusions.get(str(data.get("exclusion")), str(data.get("exclusion") or ""))),
    }


def _escalation(app: AppContext, data: dict[str, Any]) -> dict[str, Any]:
    """How the resident asks for Stage 2, as the procedure says: with or without reasons, and by when where it
    sets a window (from the Stage 1 response date in `data`)."""
    escalation = app.policy.params.get("escalation") or {}
    window, responded = escalation.get("window"), data.get("stage1_responded_on")
    last_day = None
    if window and responded:
        try:
            last_day = _long_date(window_last_day(date.fromisoformat(str(responded)), window))
        except ValueError:
            last_day = None
    return {"reasons_required": bool(escalation.get("reasons_required")), "by": last_day}


def _in_sentence(text: str) -> str:
    # A profile's exclusions read as titles ("Legal proceedings have started"); the letter says "because legal
    # proceedings have started". A leading acronym ("ASB …") keeps its capitals.
    first = text.split(" ", 1)[0]
    return text if len(first) > 1 and first.isupper() else text[:1].lower() + text[1:]


def _template(session: Session, key: str) -> tuple[str, str]:
    saved = session.scalars(select(LetterTemplate).where(LetterTemplate.key == key)
                            .order_by(LetterTemplate.version.desc()).limit(1)).first()
    return (saved.subject, saved.body) if saved else (letters.LETTERS[key][1], letters.default_template(key))


def _wanted(completed: CompletedTask) -> str | None:
    key = completed.properties.get("letter")
    condition = completed.properties.get("letter_if")
    if condition:
        field, _, value = condition.partition("=")
        if str(completed.data.get(field.strip())) != value.strip():
            return None
    return key if key in letters.LETTERS else None


def send_letter(session: Session, app: AppContext, complaint: Complaint, key: str, data: dict[str, Any],
                actor_id: int | None, moment: datetime) -> Correspondence:
    """Store letter `key` as sent now (large print when the person needs it) and queue it by email when there is
    an address; otherwise it goes by post, printed from the log. A template that fails on this complaint's data
    never undoes what caused the letter: the letter is kept as failed, named on the complaint, and made and sent
    when an admin fixes the template (`make_failed_letters`)."""
    subject_template, body_template = _template(session, key)
    person = complaint.complainant
    row = Correspondence(complaint_id=complaint.id, kind="letter", letter=key, channel="email" if person.email else "post",
                         direction="out", subject=subject_template.replace("{reference}", complaint.reference or ""),
                         body="", large_print="large_print" in (person.adjustments or []), author_id=actor_id,
                         at=moment)
    session.add(row)
    _make(session, app, complaint, row, body_template, data)
    return row


def _make(session: Session, app: AppContext, complaint: Complaint, row: Correspondence, body_template: str,
          data: dict[str, Any]) -> bool:
    """Render `row`'s letter and queue its email; on a template failure keep it as failed instead. Whether made."""
    key = str(row.letter)
    context = letter_context(app, complaint, data)
    try:
        body = letters.render_body(body_template, context)
    except letters.LetterFailed as failure:
        # Task data is JSON from the forms; default=str covers any date a script put there.
        row.failure, row.pending_data = str(failure), json.loads(json.dumps(data, default=str))
        session.flush()  # the history entry names the row
        record(session, complaint, Change(row.author_id, row.at), "letter_failed",
               f"{letters.LETTERS[key][0]} not sent: its template failed ({failure}). It will be made and sent "
               "as soon as an admin fixes the template.", {"letter": key, "correspondence": row.id})
        log.warning("letter %s of complaint %s could not be made: its template failed", key, complaint.id)
        return False
    person = complaint.complainant
    address = "\n".join(part for part in (person.name, person.address or "") if part)
    row.body = letters.page(body, landlord=app.policy.landlord.name, landlord_address=app.policy.landlord.address,
                            contact=app.policy.landlord.contact, date=context["today"], address=address,
                            large_print=row.large_print)
    row.failure = row.pending_data = None
    if person.email:
        session.add(OutboundEmail(
            correspondence=row, to_address=person.email, subject=row.subject, next_attempt_at=row.at,
            attachment_name=f"{complaint.reference}-{key}.pdf",
            body=(f"Dear {person.name},\n\nPlease find attached our letter about your complaint {complaint.reference}"
                  f" ({letters.LETTERS[key][0].lower()}).\n\n{_portal_line(app, complaint)}{app.policy.landlord.name}\n")))
    return True


def _portal_line(app: AppContext, complaint: Complaint) -> str:
    # Every letter's email carries the resident's private link to follow the complaint and act on it online.
    if app.portal_links is None:
        return ""
    return ("You can see where your complaint stands, ask for a review or withdraw it online, with this private "
            f"link (it works for {app.portal_links.days} days; ask us for a new one at any time):\n"
            f"{app.portal_links.url(complaint.id)}\n\n")


def make_failed_letters(session: Session, app: AppContext, key: str, actor_id: int | None,
                        moment: datetime) -> tuple[int, int]:
    """Make and send, with the template now current, every letter `key` that failed before; returns (made, still
    failing). Each is dated and sent now; the complaint's history says so."""
    _subject, body_template = _template(session, key)
    made = failing = 0
    rows = session.scalars(select(Correspondence).where(Correspondence.letter == key,
                                                        Correspondence.failure.is_not(None),
                                                        Correspondence.pending_data.is_not(None))
                           .order_by(Correspondence.id))
    for row in rows:
        row.at = moment
        if _make(session, app, row.complaint, row, body_template, dict(row.pending_data or {})):
            made += 1
            record(session, row.complaint, Change(actor_id, moment), "letter_made",
                   f"{letters.LETTERS[key][0]} made and sent now that its template is fixed",
                   {"letter": key, "correspondence": row.id})
        else:
            failing += 1
    return made, failing


def on_task_completed(session: Session, app: AppContext, complaint: Complaint, completed: CompletedTask,
                      actor_id: int | None, moment: datetime) -> Correspondence | None:
    """Send the letter the completed task names in the diagram, if its condition holds."""
    key = _wanted(completed)
    return send_letter(session, app, complaint, key, completed.data, actor_id, moment) if key else None


def document(session: Session, row: Correspondence, app: AppContext) -> bytes | None:
    """The letter's PDF, made from its stored HTML the first time it is needed (with the landlord's logo) and
    kept."""
    if row.letter is None or row.body == REMOVED or row.failure:  # a call, a note, by hand, anonymised or failed
        return None
    if row.document is None:
        row.document = letters.to_pdf(row.body, app.landlord_logo.data_url if app.landlord_logo else None)
    return row.document


def entries(session: Session, complaint_id: int) -> list[dict[str, Any]]:
    """The complaint's correspondence, oldest first, with each email's delivery (one query)."""
    rows = session.execute(
        select(Correspondence.id, Correspondence.kind, Correspondence.letter, Correspondence.channel,
               Correspondence.direction, Correspondence.subject, Correspondence.at, Correspondence.large_print,
               Correspondence.body, Correspondence.failure, User.display_name, OutboundEmail.to_address,
               OutboundEmail.status,
               OutboundEmail.attempts, OutboundEmail.last_error)
        .outerjoin(User, User.id == Correspondence.author_id)
        .outerjoin(OutboundEmail, OutboundEmail.correspondence_id == Correspondence.id)
        .where(Correspondence.complaint_id == complaint_id).order_by(Correspondence.at, Correspondence.id)).all()
    return [{
        "id": r.id, "kind": r.kind, "letter": r.letter, "channel": r.channel, "direction": r.direction,
        "subject": r.subject, "sent_at": r.at.isoformat(), "author": r.display_name, "large_print": r.large_print,
        "has_document": r.letter is not None and not r.failure, "failure": r.failure,
        "summary": r.body if r.letter is None else "",
        "email": {"to": r.to_address, "status": r.status, "attempts": r.attempts, "last_error": r.last_error}
        if r.to_address else None,
    } for r in rows]


def log_for(app: AppContext, reference: str) -> list[dict[str, Any]]:
    """Every item of the complaint's correspondence, oldest first; raises NotFound."""
    with app.uow() as uow:
        return entries(uow.session, find_complaint(uow.session, reference).id)


def letter_pdf(app: AppContext, correspondence_id: int) -> tuple[str, bytes]:
    """(file name, PDF) of a letter in the log; raises NotFound."""
    with app.uow() as uow:
        row = uow.session.get(Correspondence, correspondence_id)
        pdf = document(uow.session, row, app) if row is not None else None
        if row is None or pdf is None:
            raise NotFound(f"there is no letter {correspondence_id}")
        name = f"{row.complaint.reference}-{row.letter}-{row.id}.pdf"
        uow.commit()
        return name, pdf


def record_contact(app: AppContext, reference: str, data: Any, actor: Actor) -> int:
    """Add a call, a letter or email received, or a note, to the log; raises NotFound or Invalid."""
    kind, channel = str(data.get("kind", "")), str(data.get("channel", ""))
    direction, summary = str(data.get("direction", "")), str(data.get("summary", "")).strip()
    errors = {}
    if kind not in KINDS:
        errors["kind"] = f"Choose one of: {', '.join(KINDS)}."
    if channel not in CHANNELS:
        errors["channel"] = f"Choose one of: {', '.join(CHANNELS)}."
    if direction not in {"in", "out"}:
        errors["direction"] = "Say whether it came in or went out."
    if not summary:
        errors["summary"] = "Say what was said or sent."
    elif len(summary) > 20000:
        errors["summary"] = "Keep it under 20,000 characters."
    if errors:
        raise Invalid(errors)
    with app.uow() as uow:
        complaint = find_complaint(uow.session, reference)
        row = Correspondence(complaint_id=complaint.id, kind=kind, channel=channel, direction=direction,
                             subject=KINDS[kind], body=summary, author_id=actor.id, at=now())
        uow.session.add(row)
        uow.session.flush()
        uow.commit()
        return row.id
