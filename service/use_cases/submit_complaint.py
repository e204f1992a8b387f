"""Log a complaint: give it a reference and a handler, and start the procedure."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from forms import form_class
from forms.log_complaint import parse_received
from service.domain.calendar import london_today, to_london_date
from service.persistence.models import Complainant, Complaint, Task, User
from service.use_cases import users
from service.use_cases.context import Actor, AppContext, now
from service.use_cases.errors import Invalid
from service.use_cases.formdata import validated
from service.use_cases.processes import start_instance
from service.use_cases.projection import Change, apply_snapshot, record


def reference_for(year: int, number: int) -> str:
    """The complaint reference staff and residents quote, e.g. CF-2026-000123."""
    return f"CF-{year}-{number:06d}"


REFERENCE = re.compile(r"CF-\d{4}-\d{6,}", re.IGNORECASE)


def is_reference(text: str) -> bool:
    """Whether `text` is a complaint reference as `reference_for` writes it (in either case)."""
    return REFERENCE.fullmatch(text) is not None


def handler_choices(app: AppContext) -> list[tuple[str, str]]:
    """(user name, display name) of the active staff who can handle Stage 1."""
    with app.uow() as uow:
        users = uow.session.scalars(
            select(User).where(User.role == app.policy.stage_role("1"), User.active.is_(True)).order_by(User.name))
        return [(user.name, user.display_name) for user in users]


def form_context(app: AppContext, moment: Any = None) -> dict[str, Any]:
    """What the log-a-complaint form validates against: now, the Stage 1 handlers, all staff."""
    return {"now": moment, "today": london_today(moment), "handlers": handler_choices(app),
            "staff": users.staff_choices(app)}


def _least_loaded_handler(app: AppContext, session: Any) -> int | None:
    open_count = (
        select(func.count(Task.id)).where(Task.assignee_id == User.id, Task.status == "ready").scalar_subquery()
    )
    return session.scalar(
        select(User.id).where(User.role == app.policy.stage_role("1"), User.active.is_(True))
        .order_by(open_count, User.id).limit(1)
    )


class Ignored(Exception):
    """A submission from a bot (the hidden field was filled): nothing is stored."""


def run_public(app: AppContext, data: Any) -> Complaint:
    """A resident's complaint from the public form: channel web, received now, the procedure started.

    Raises Invalid with the public form's field names, or Ignored for a bot."""
    moment = now()
    form = validated(form_class("public_complaint"), data, {"now": moment, "today": london_today(moment)})
    if form.is_bot:
        raise Ignored()
    values = form.data
    logged = {"complainant_name": values["name"], "complainant_email": values["email"] or "",
              "complainant_phone": values["phone"] or "", "complainant_address": values["address"] or "",
              "channel": "web", "received_at": moment.isoformat(), "description": values["description"],
              "outcome_sought": values["outcome_sought"] or "", "tenure": values["tenure"] or "unknown",
              "tenancy_ended_on": values["tenancy_ended_on"].isoformat() if values["tenancy_ended_on"] else "",
              "adjustments": values["adjustments"] or [], "adjustment_notes": values["adjustment_notes"] or "",
              "vulnerabilities": values["vulnerabilities"] or "",
              **{key: values[key] or "" for key in ("representative_name", "representative_relationship",
                                                    "representative_contact", "representative_consent")}}
    return run(app, logged, None)


def _known_person_id(data: Any) -> int | None:
    raw = data.get("complainant_id") if hasattr(data, "get") else None
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not str(raw).isdecimal() or int(str(raw)) > 2**31 - 1:
        raise Invalid({"complainant_id": "Give the id of a person on record (a whole number)."})
    return int(str(raw))


def _known_person(session: Any, person_id: int) -> Complainant:
    person = session.get(Complainant, person_id)
    if person is None or person.anonymised_at is not None:
        raise Invalid({"complainant_id": f"There is no person {person_id} on record."})
    return person


def _same_person(session: Any, values: dict[str, Any]) -> Complainant | None:
    """The person already on record with this name and email (case and spacing aside), if any: one person, one
    record, so their restrictions, adjustments and history follow them. Without an email a name alone is too
    weak a match, and staff choose the person instead."""
    email = (values["complainant_email"] or "").strip().lower()
    if not email:
        return None
    name = " ".join(values["complainant_name"].split()).lower()
    candidates = session.scalars(select(Complainant).where(func.lower(Complainant.email) == email,
                                                           Complainant.anonymised_at.is_(None))
                                 .order_by(Complainant.id))
    return next((person for person in candidates if " ".join(person.name.split()).lower() == name), None)


def add_to_record(person: Complainant, values: dict[str, Any], needs: dict[str, Any]) -> None:
    """Add what a complaint tells us (contact details in `values`, needs in `needs`) to the person's record;
    nothing already on it is lost."""
    person.phone = person.phone or values["complainant_phone"] or None
    person.address = person.address or values["complainant_address"] or None
    person.email = person.email or values["complainant_email"] or None
    person.adjustments = sorted({*(person.adjustments or []), *needs["adjustments"]})
    for field in ("adjustment_notes", "vulnerabilities"):
        told = (needs[field] or "").strip()
        if told and told not in (getattr(person, field) or ""):
            setattr(person, field, "\n".join(part for part in (getattr(person, field), told) if part))


def run(app: AppContext, data: Any, actor: Actor | None) -> Complaint:
    """Validate `data` with forms/log_complaint, store the complaint and start its procedure.

    The complaint is linked to the person on record when `data` names them (`complainant_id`) or, for staff,
    when someone with the same name and email is on record; the public form (actor None) makes a new record, as
    its email is not verified until the resident follows the link `verified_email` sends.

    Raises Invalid (field → message). The handler is the one chosen, else the logging officer, else the
    officer with the fewest open tasks.
    """
    moment = now()
    known_id = _known_person_id(data)
    known = None
    if isinstance(data, dict) and "complainant_id" in data:  # the person chosen: not a field of the form
        # A copy without it; an HTML form's repeated keys (ticked adjustments) are kept.
        data = data.copy() if isinstance(data, MultiDict) else dict(data)
        data.pop("complainant_id")
    if known_id is not None:
        with app.uow() as uow:
            known = _known_person(uow.session, known_id)
        # Chosen by id: the form checks the rest, and the name is the record's unless given.
        data["complainant_name"] = str(data.get("complainant_name") or "").strip() or known.name
    form = validated(form_class("log_complaint"), data, form_context(app, moment))
    values = form.data
    received_at = parse_received(values["received_at"])
    with app.uow() as uow:
        session = uow.session
        needs = form.person_needs()
        complainant = session.get(Complainant, known.id) if known is not None else (
            _same_person(session, values) if actor is not None else None)
        on_record = complainant is not None
        if complainant is None:
            complainant = Complainant(
                name=values["complainant_name"].strip(), email=values["complainant_email"] or None,
                phone=values["complainant_phone"] or None, address=values["complainant_address"] or None,
                adjustments=needs["adjustments"], adjustment_notes=needs["adjustment_notes"],
                vulnerabilities=needs["vulnerabilities"],
            )
        else:
            add_to_record(complainant, values, needs)
        handler_id = None
        about_staff = (session.scalars(select(User).where(User.name == values["about_staff"])).first()
                       if values["about_staff"] else None)
        if values["handler"]:
            handler_id = session.scalar(select(User.id).where(User.name == values["handler"]))
        elif about_staff is not None and app.policy.params.get("staff_complaints") == "line_manager" \
                and about_staff.manager_id is not None:
            # The procedure sends a complaint about a member of staff to that person's manager.
            handler_id = about_staff.manager_id
        elif actor is not None and actor.role == app.policy.stage_role("1"):
            handler_id = actor.id
        else:
            handler_id = _least_loaded_handler(app, session)
        complaint = Complaint(
            complainant=complainant, channel=values["channel"], received_at=received_at,
            received_on=to_london_date(received_at), description=values["description"].strip(),
            outcome_sought=(values["outcome_sought"] or "").strip(), profile=app.policy.name,
            handler_id=handler_id, logged_by_id=actor.id if actor else None, created_at=moment,
            about_staff_id=about_staff.id if about_staff else None,
            issue_occurred_on=values["issue_occurred_on"], tenancy_ended_on=values["tenancy_ended_on"],
            tenure=values["tenure"], representative=needs["representative"],
        )
        session.add(complaint)
        session.flush()  # the id numbers the reference
        complaint.reference = reference_for(london_today(moment).year, complaint.id)
        instance, snapshot = start_instance(session, app.policy.params["process"], {
            "complaint_reference": complaint.reference, "received_on": complaint.received_on.isoformat(),
            "channel": complaint.channel,
        }, app.policy.params, complaint_id=complaint.id)
        change = Change(actor.id if actor else None, moment)
        record(session, complaint, change, "logged",
               f"Complaint logged ({complaint.channel}, received {complaint.received_on:%d %B %Y})"
               + (f"; {complainant.name} is already on record, and this complaint is added to their record"
                  if on_record else ""),
               {"channel": complaint.channel, "received_at": received_at.isoformat(),
                "process_version": instance.process_version.version, "person_on_record": on_record})
        apply_snapshot(session, instance, complaint, snapshot, change, app.policy)
        uow.commit()
        return complaint
