"""Staff routes for the correspondence log: record a call or a letter received, open a letter's PDF."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_login import login_required

from service.use_cases import correspondence
from service.use_cases.errors import Invalid, NotFound
from service.web.auth import actor, app_ctx

bp = Blueprint("correspondence", __name__)


@bp.post("/complaints/<reference>/correspondence")
@login_required
def record(reference: str) -> Any:
    """Add a call, a letter or email received or sent by hand, or a note, to the complaint's log."""
    try:
        correspondence.record_contact(app_ctx(), reference, request.form, actor())
    except NotFound:
        abort(404, description=f"There is no complaint {reference}.")
    except Invalid as error:
        flash("Not added to the correspondence: " + " ".join(error.errors.values()), "error")
    else:
        flash("Added to the correspondence.", "ok")
    return redirect(url_for("staff.complaint", reference=reference) + "#correspondence")


def letter_response(correspondence_id: int) -> Response:
    """A letter of the log as an inline PDF (404 for anything else)."""
    try:
        name, pdf = correspondence.letter_pdf(app_ctx(), correspondence_id)
    except NotFound as error:
        abort(404, description=str(error))
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})


@bp.get("/correspondence/<int:correspondence_id>.pdf")
@login_required
def letter(correspondence_id: int) -> Response:
    """A letter as it was sent."""
    return letter_response(correspondence_id)
