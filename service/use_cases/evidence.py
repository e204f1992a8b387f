"""Files a resident adds to their complaint from their own page: a photo of the damp, a letter, a report. The
type is read from the file's first bytes (never its name), the size is capped, and each file is kept with the
complaint, on its audit trail, and offered to staff on the complaint's page."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select

from service.persistence.models import Complaint, Evidence, Notification
from service.use_cases.context import AppContext, find_complaint, now
from service.use_cases.errors import Conflict, Invalid, NotFound
from service.use_cases.projection import Change, record

MAX_BYTES = 5 * 1024 * 1024
MAX_FILES = 20  # per complaint
# The file's first bytes → (its type, how a resident names it).
TYPES = {b"%PDF-": ("application/pdf", "PDF document"), b"\xff\xd8\xff": ("image/jpeg", "JPEG photo"),
         b"\x89PNG\r\n\x1a\n": ("image/png", "PNG image")}
ACCEPTED = "PDF documents and JPEG or PNG photos"


def _safe_name(filename: str, content_type: str) -> str:
    # Only the last part of the name, in plain ASCII (it goes into a Content-Disposition header, which must be
    # Latin-1), with the extension its type has.
    last = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = last.rsplit(".", 1)[0] if "." in last else last
    stem = re.sub(r"[^\w .()-]+", "_", stem, flags=re.ASCII).strip(" ._")[:150]
    extension = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}[content_type]
    return f"{stem or 'file'}{extension}"


def add(app: AppContext, complaint_id: int, filename: str, data: bytes, note: str = "") -> str:
    """Keep a resident's file with their open complaint and tell its handler; the stored name. Raises Invalid
    (no file, too large, a type we do not take, too many files) and Conflict (the complaint is closed)."""
    if not data:
        raise Invalid({"file": "Choose a file to send."})
    if len(data) > MAX_BYTES:
        raise Invalid({"file": f"Files can be up to {MAX_BYTES // (1024 * 1024)} MB; this one is larger. "
                               "Nothing was kept."})
    found = next((kind for magic, kind in TYPES.items() if data.startswith(magic)), None)
    if found is None:
        raise Invalid({"file": f"We can take {ACCEPTED}; this file is none of them. Nothing was kept."})
    content_type, words = found
    with app.uow() as uow:
        session = uow.session
        complaint = session.get(Complaint, complaint_id)
        if complaint is None or complaint.anonymised_at is not None:
            raise NotFound("This complaint is no longer on record.")
        if complaint.status != "open":
            raise Conflict("Your complaint is closed, so we cannot add files to it. Please contact us instead.")
        kept = session.scalar(select(func.count()).select_from(Evidence).where(Evidence.complaint_id == complaint_id))
        if (kept or 0) >= MAX_FILES:
            raise Invalid({"file": f"A complaint can have up to {MAX_FILES} files. Please contact us to send more."})
        name = _safe_name(filename, content_type)
        moment = now()
        session.add(Evidence(complaint_id=complaint_id, filename=name, content_type=content_type, size=len(data),
                             data=data, note=(note or "").strip()[:5000], added_at=moment))
        record(session, complaint, Change(None, moment), "evidence_added",
               f"The resident added {name} ({words}, {max(1, len(data) // 1024)} KB) online",
               {"filename": name, "note": (note or "").strip()[:5000]})
        if complaint.handler_id is not None:
            session.add(Notification(user_id=complaint.handler_id, message=f"{complaint.reference}: the resident "
                                     f"added {name} online"))
        uow.commit()
        return name


def for_complaint(session: Any, complaint_id: int) -> list[dict[str, Any]]:
    """The files on a complaint, oldest first (without their bytes)."""
    rows = session.scalars(select(Evidence).where(Evidence.complaint_id == complaint_id).order_by(Evidence.id))
    return [{"id": e.id, "filename": e.filename, "content_type": e.content_type, "size": e.size,
             "note": e.note, "added_at": e.added_at.isoformat()} for e in rows]


def file(app: AppContext, reference: str, evidence_id: int) -> tuple[str, str, bytes]:
    """(name, type, bytes) of one file of complaint `reference`; raises NotFound."""
    with app.uow() as uow:
        complaint = find_complaint(uow.session, reference)
        row = uow.session.get(Evidence, evidence_id)
        if row is None or row.complaint_id != complaint.id or row.data is None:
            raise NotFound(f"there is no file {evidence_id} on complaint {reference}")
        return row.filename, row.content_type, row.data
