"""People already on record who may be the person a complaint is being logged for: offered to staff as they type
on the log-a-complaint page, so that the complaint joins that person's record (see submit_complaint) instead of
starting a second one. The rule is service.domain.person_match; this module finds the candidates in SQL and says
enough about each to recognise them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from forms.person import ADJUSTMENTS
from service.domain import person_match
from service.domain.person_match import Details
from service.domain.restrictions import KINDS
from service.persistence.models import Complainant, Complaint, Restriction
from service.use_cases.context import AppContext
from service.use_cases.errors import Invalid, NotFound

FIELDS = ("complainant_name", "complainant_email", "complainant_phone", "complainant_address")
# Candidates read for scoring, at most: a common first name must not read the whole table.
CANDIDATES = 400


def typed(args: Mapping[str, str]) -> Details:
    """What the officer has typed so far (the log-a-complaint form's field names); Invalid naming the field when a
    value is longer than anyone's name, email, phone or postcode line."""
    too_long = [name for name in FIELDS if len(args.get(name) or "") > person_match.MAX_TYPED]
    if too_long:
        raise Invalid({name: f"At most {person_match.MAX_TYPED} characters are looked up." for name in too_long})
    name, email, phone, address = ((args.get(field) or "").strip() for field in FIELDS)
    return Details(name, email, phone, address)


def _digits(column: Any) -> Any:
    # A stored phone number with its usual separators taken out, so that its last digits can be compared.
    for separator in (" ", "-", "(", ")", "+", "."):
        column = func.replace(column, separator, "")
    return column


def _candidates(details: Details) -> list[ColumnElement[bool]]:
    """Conditions that catch everyone the rule could match, so that only they are read and scored."""
    conditions: list[ColumnElement[bool]] = []
    email = person_match.email_key(details.email)
    if len(email) >= person_match.MIN_CHARS:
        conditions.append(func.lower(Complainant.email) == email)
    phone = person_match.phone_key(details.phone)
    if phone:
        conditions.append(_digits(Complainant.phone).endswith(phone))
    postcode = person_match.postcode_key(details.address)
    if postcode:
        conditions.append(func.replace(func.upper(Complainant.address), " ", "").contains(postcode, autoescape=True))
    # The first letters of each word typed: enough to reach a name with a slip later in a word.
    for word in person_match.name_key(details.name).split():
        if len(word) >= 2:
            conditions.append(func.lower(Complainant.name).contains(word[:3], autoescape=True))
    return conditions


def find(app: AppContext, details: Details) -> list[dict[str, Any]]:
    """The people on record most likely to be the one typed, strongest first, at most MAX_MATCHES; none until
    enough is typed (Details.enough). Erased people are never offered."""
    if not details.enough():
        return []
    conditions = _candidates(details)
    if not conditions:
        return []
    with app.uow() as uow:
        session = uow.session
        people = session.scalars(select(Complainant).where(or_(*conditions), Complainant.anonymised_at.is_(None))
                                 .order_by(Complainant.id.desc()).limit(CANDIDATES))
        scored = []
        for person in people:
            found = person_match.likeness(details, Details(person.name, person.email or "", person.phone or "",
                                                           person.address or ""))
            if found is not None:
                scored.append((found, person))
        scored.sort(key=lambda pair: (-pair[0].score, person_match.name_key(pair[1].name), pair[1].id))
        chosen = scored[:person_match.MAX_MATCHES]
        return _described(session, [person for _, person in chosen], [found.reasons for found, _ in chosen])


def describe(app: AppContext, person_id: int) -> dict[str, Any]:
    """One person on record as a match shows them (the log-a-complaint page's chosen person); NotFound if there is
    no such person or they were erased."""
    with app.uow() as uow:
        person = uow.session.get(Complainant, person_id)
        if person is None or person.anonymised_at is not None:
            raise NotFound(f"no person {person_id}")
        return _described(uow.session, [person], [()])[0]


def _described(session: Session, people: list[Complainant], reasons: list[tuple[str, ...]]) -> list[dict[str, Any]]:
    """Enough to recognise each person: name, email, phone and postcode as held (only staff who may read people
    reach this, service.domain.access), how many of their complaints are open, and their active restrictions and
    reasonable adjustments. Three queries however many people."""
    ids = [person.id for person in people]
    open_counts = dict(session.execute(
        select(Complaint.complainant_id, func.count()).where(Complaint.complainant_id.in_(ids),
                                                             Complaint.status == "open")
        .group_by(Complaint.complainant_id)).tuples().all()) if ids else {}
    restricted: dict[int, list[str]] = {}
    for person_id, kinds in session.execute(select(Restriction.complainant_id, Restriction.kinds).where(
            Restriction.complainant_id.in_(ids), Restriction.status == "active").order_by(Restriction.id)):
        restricted.setdefault(person_id, []).extend(KINDS.get(kind, kind) for kind in kinds or [])
    return [{
        "id": person.id, "name": person.name, "email": person.email or "", "phone": person.phone or "",
        "postcode": _spaced(person_match.postcode_key(person.address or "")),
        "open_complaints": open_counts.get(person.id, 0),
        "restrictions": restricted.get(person.id, []),
        "adjustments": [ADJUSTMENTS.get(key, key) for key in person.adjustments or []],
        "reasons": list(why),
    } for person, why in zip(people, reasons, strict=True)]


def _spaced(postcode: str) -> str:
    # Postcodes are read with the space before the last three characters (NG1 1AA).
    return f"{postcode[:-3]} {postcode[-3:]}" if postcode else ""
