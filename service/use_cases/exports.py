"""Exports of personal data, each recorded on the audit trail: a person's subject-access export (UK GDPR art. 15)
and a complaint's case file for the Housing Ombudsman. Both are zip files of JSON and the letters as sent."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.persistence.models import Complainant, Complaint, Correspondence
from service.use_cases import queries, restrictions
from service.use_cases.audit_trail import ensure_data_officer
from service.use_cases.context import Actor, AppContext, now
from service.use_cases.correspondence import document
from service.use_cases.errors import NotFound
from service.use_cases.projection import Change, record


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def _letters(app: AppContext, session: Session, complaint_id: int, folder: str) -> dict[str, bytes]:
    # The letters of one complaint, as sent (PDF), named by date, kind and id so they sort in order.
    files: dict[str, bytes] = {}
    rows = session.scalars(select(Correspondence).where(Correspondence.complaint_id == complaint_id,
                                                        Correspondence.letter.is_not(None)).order_by(Correspondence.id))
    for row in rows:
        pdf = document(session, row, app)
        if pdf is not None:
            files[f"{folder}{row.at:%Y-%m-%d}-{row.letter}-{row.id}.pdf"] = pdf
    return files


def _zip(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def printable_case_file(app: AppContext, reference: str, actor: Actor) -> dict[str, Any]:
    """The complaint's whole case file for the printable page, its opening on the audit trail like the zip
    export's; raises NotFound."""
    view = queries.complaint_view(app, reference)
    with app.uow() as uow:
        session = uow.session
        complaint = session.scalars(select(Complaint).where(Complaint.reference == reference)).one()
        record(session, complaint, Change(actor.id, now()), "export", f"Printable case file opened by {actor.name}",
               {"export": "printable_case_file"}, after={"export": "printable_case_file"})
        uow.commit()
    return view


def case_file(app: AppContext, reference: str, actor: Actor,
              printable: Callable[[dict[str, Any]], bytes] | None = None) -> tuple[str, bytes]:
    """(file name, zip) of a complaint's case file for the Ombudsman: the complaint with its deadlines, decisions,
    remedies, correspondence log and full history (case.json), every letter as sent, and the printable case file
    that `printable` makes from the same view (case-file.pdf); raises NotFound or Forbidden."""
    ensure_data_officer(app, actor)
    view = queries.complaint_view(app, reference)
    extra = {"case-file.pdf": printable(view)} if printable else {}
    with app.uow() as uow:
        session = uow.session
        complaint = session.scalars(select(Complaint).where(Complaint.reference == reference)).one()
        letters = _letters(app, session, complaint.id, "letters/")
        files: dict[str, str | bytes] = {"case.json": _json(view), **letters, **extra}
        files["README.txt"] = (f"Complaint {reference}: case file exported {now():%d %B %Y %H:%M} UTC by {actor.name}.\n"
                               "case.json: the complaint, its deadlines and whether each was met, the decisions, "
                               "remedies, correspondence log and the full history.\nletters/: each letter as sent.\n"
                               + "".join(f"{name}: the printable case file.\n" for name in extra))
        record(session, complaint, Change(actor.id, now()), "export", f"Ombudsman case file exported by {actor.name}",
               {"export": "ombudsman_case_file"}, after={"export": "ombudsman_case_file", "files": len(files)})
        uow.commit()
    return f"{reference}-case-file.zip", _zip(files)


def subject_access(app: AppContext, person_id: int, actor: Actor) -> tuple[str, bytes]:
    """(file name, zip) of everything held about a person: their details and restrictions with the person-level
    history (person.json), each complaint in full (complaints/<reference>.json) and every letter sent to them;
    raises NotFound."""
    ensure_data_officer(app, actor)
    person_view = restrictions.complainant_view(app, person_id)
    # Each complaint in full, read before this export's own transaction (one unit of work at a time).
    views = {c["reference"]: queries.complaint_view(app, c["reference"]) for c in person_view["complaints"]}
    with app.uow() as uow:
        session = uow.session
        person = session.get(Complainant, person_id)
        if person is None:
            raise NotFound(f"no person {person_id}")
        details = {"id": person.id, "name": person.name, "email": person.email, "phone": person.phone,
                   "address": person.address, "adjustments": person.adjustments,
                   "adjustment_notes": person.adjustment_notes, "vulnerabilities": person.vulnerabilities,
                   "created_at": person.created_at}
        files: dict[str, str | bytes] = {"person.json": _json({**person_view, **details})}
        for reference, view in views.items():
            files[f"complaints/{reference}.json"] = _json(view)
            complaint_id = session.scalar(select(Complaint.id).where(Complaint.reference == reference))
            files.update(_letters(app, session, complaint_id or 0, f"letters/{reference}/"))
        record(session, None, Change(actor.id, now()), "export", f"Subject access export by {actor.name}",
               {"export": "subject_access"}, after={"export": "subject_access", "files": len(files)},
               complainant_id=person_id)
        uow.commit()
    return f"person-{person_id}-subject-access.zip", _zip(files)
