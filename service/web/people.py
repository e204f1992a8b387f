"""Personal data and the audit trail: a person's subject-access export and erasure, a complaint's case file for
the Ombudsman, and the whole trail for the managing role and administrators."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from service.outbound import pdf as pdf_renderer
from service.use_cases import audit_trail, evidence, exports, personal_data
from service.use_cases.errors import Conflict, Forbidden, Invalid, NotFound
from service.web.auth import actor, app_ctx, reads_people
from service.web.request_checks import MAX_ID

bp = Blueprint("people", __name__)


def _zip(name: str, data: bytes) -> Response:
    return Response(data, mimetype="application/zip", headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/complainants/<int:complainant_id>/export.zip")
@login_required
def subject_access(complainant_id: int) -> Any:
    """Everything held about a person (UK GDPR art. 15), as a zip of JSON and their letters."""
    try:
        return _zip(*exports.subject_access(app_ctx(), complainant_id, actor()))
    except Forbidden as error:
        abort(403, description=str(error))
    except NotFound:
        abort(404, description="There is no such person.")


@bp.post("/complainants/<int:complainant_id>/erase")
@login_required
def erase(complainant_id: int) -> Any:
    """Erase a person on request (administrators): anonymise them and their closed complaints."""
    try:
        count = personal_data.erase(app_ctx(), complainant_id, request.form.get("reason", ""), actor())
    except Forbidden as error:
        abort(403, description=str(error))
    except NotFound:
        abort(404, description="There is no such person.")
    except (Conflict, Invalid) as error:
        flash(f"Not erased: {error}", "error")
    else:
        flash(f"Erased: the person and {count} complaint(s) are anonymised; the audit trail keeps what was done.", "ok")
    return redirect(url_for("restrictions.complainant", complainant_id=complainant_id))


def _printable(view: dict[str, Any]) -> bytes:
    # The staff's printable case file page, as PDF, made from the view the export already read.
    pdf = pdf_renderer.render(render_template("case_file.html", c=view))
    return pdf


@bp.get("/complaints/<reference>/case-file.zip")
@login_required
def case_file(reference: str) -> Any:
    """The Ombudsman's case file: the complaint as JSON, the printable case file as PDF, and every letter."""
    try:
        return _zip(*exports.case_file(app_ctx(), reference, actor(), _printable))
    except Forbidden as error:
        abort(403, description=str(error))
    except NotFound:
        abort(404, description=f"There is no complaint {reference}.")


@bp.get("/complaints/<reference>/evidence/<int:evidence_id>")
@login_required
@reads_people
def evidence_file(reference: str, evidence_id: int) -> Any:
    """A file the resident added to their complaint, downloaded (never shown inline: it is the resident's)."""
    try:
        name, content_type, data = evidence.file(app_ctx(), reference, evidence_id)
    except NotFound:
        abort(404, description=f"There is no such file on complaint {reference}.")
    return Response(data, mimetype=content_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/audit")
@login_required
def audit() -> Any:
    """The audit trail, newest first: filter by kind, by member of staff, or by person; page on by id."""
    try:
        audit_trail.ensure_data_officer(app_ctx(), actor())
    except Forbidden as error:
        abort(403, description=str(error))
    args = request.args
    person, before = args.get("person", ""), args.get("before", "")
    if any(value and not (value.isascii() and value.isdigit() and int(value) <= MAX_ID) for value in (person, before)):
        abort(400, description=f"person and before are whole numbers up to {MAX_ID}.")
    entries = audit_trail.entries(app_ctx(), kind=args.get("kind") or None, actor=args.get("actor") or None,
                                  complainant_id=int(person) if person else None,
                                  before_id=int(before) if before else None)
    return render_template("audit.html", entries=entries, kinds=audit_trail.kinds(app_ctx()), args=args,
                           page=audit_trail.PAGE)
