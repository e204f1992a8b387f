"""One person, one record, for residents too. Anyone can type anyone's email address, so a complaint from the
public form keeps a record of its own until the resident shows the mailbox is theirs: when its email is already
on someone's record, we email that address a link, and following it adds the complaint to that record (their
restrictions, adjustments and history then follow them)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.persistence.models import Complainant, Complaint, OutboundEmail
from service.use_cases.context import AppContext, now
from service.use_cases.errors import Invalid, NotFound
from service.use_cases.projection import Change, record
from service.use_cases.submit_complaint import add_to_record

LINK_DAYS = 7


def _on_record(session: Session, email: str, other_than: int) -> Complainant | None:
    """The earliest person on record, other than `other_than`, with this email (case and spacing aside)."""
    return session.scalars(select(Complainant).where(
        func.lower(Complainant.email) == email, Complainant.id != other_than, Complainant.anonymised_at.is_(None))
        .order_by(Complainant.id).limit(1)).first()


def _address(person: Complainant) -> str:
    return (person.email or "").strip().lower()


def offer_link(app: AppContext, complaint_id: int, link_for: Callable[[int, str], str]) -> bool:
    """When the complaint's email is on someone else's record, email it the link (`link_for(complaint id,
    email)`) that adds the complaint to that record. Whether a link was sent."""
    with app.uow() as uow:
        session = uow.session
        complaint = session.get(Complaint, complaint_id)
        if complaint is None:
            raise NotFound(f"no complaint {complaint_id}")
        person = complaint.complainant
        email = _address(person)
        if not email or _on_record(session, email, person.id) is None:
            return False
        landlord = app.policy.landlord.name
        session.add(OutboundEmail(
            to_address=person.email or email, subject=f"Your complaint {complaint.reference}: is this your email address?",
            next_attempt_at=now(),
            body=(f"Dear {person.name},\n\nThank you for your complaint {complaint.reference}.\n\nWe already have a "
                  "record for this email address. If it is yours, follow this link within "
                  f"{LINK_DAYS} days and we will add your complaint to your record, so that we know about any help "
                  f"you need and anything you have told us before:\n\n{link_for(complaint_id, email)}\n\n"
                  "If you did not send us a complaint, you can ignore this email.\n\n"
                  f"{landlord}\n")))
        record(session, complaint, Change(None, now()), "email_check_sent",
               "We emailed the resident a link to confirm their email address, so that this complaint can be added "
               "to the record that already has it")
        uow.commit()
        return True


def link(app: AppContext, complaint_id: int, email: str) -> str:
    """The resident followed the link: add the complaint to the record with this email, and clear the record it
    was given. Returns the complaint's reference; the same again changes nothing. Raises NotFound, or Invalid when
    the complaint's email has changed since the link was sent."""
    with app.uow() as uow:
        session = uow.session
        complaint = session.get(Complaint, complaint_id)
        if complaint is None or complaint.anonymised_at is not None:
            raise NotFound("This complaint is no longer on record.")
        given = complaint.complainant
        if _address(given) != email:
            raise Invalid({"link": "This link was for another email address."})
        existing = _on_record(session, email, given.id)
        if existing is None or existing.id > given.id:
            return complaint.reference or ""  # already on the earliest record with this email
        add_to_record(existing, {"complainant_phone": given.phone, "complainant_address": given.address,
                                 "complainant_email": given.email},
                      {"adjustments": given.adjustments or [], "adjustment_notes": given.adjustment_notes,
                       "vulnerabilities": given.vulnerabilities})
        complaint.complainant = existing
        record(session, complaint, Change(None, now()), "linked_to_record",
               "The resident confirmed their email address: the complaint is added to their record",
               before={"complainant_id": given.id}, after={"complainant_id": existing.id})
        _clear(given, existing.id)
        uow.commit()
        return complaint.reference or ""


def _clear(given: Complainant, into: int) -> None:
    # The record made for the complaint keeps only its id (its history entries point at it): its details now live
    # on the person's own record, and a second copy of them would be kept for no purpose.
    given.name, given.email, given.phone, given.address = f"Person {given.id} (added to person {into})", None, None, None
    given.adjustments, given.adjustment_notes, given.vulnerabilities = [], "", ""
    given.anonymised_at = now()
