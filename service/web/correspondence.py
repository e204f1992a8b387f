"""Staff routes for correspondence: record a call or a letter received, open a letter's PDF, and (admins) edit
the letter templates."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from service.use_cases import correspondence, letter_templates
from service.use_cases.errors import EditConflict, Forbidden, Invalid, NotFound
from service.web.auth import actor, app_ctx, reads_people

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
@reads_people
def letter(correspondence_id: int) -> Response:
    """A letter as it was sent."""
    return letter_response(correspondence_id)


@bp.get("/letters")
@login_required
def letters_page() -> str:
    """The letters the procedure sends; admins edit their templates."""
    return render_template("letters.html", letters=letter_templates.all_templates(app_ctx()),
                           may_edit=actor().role == "admin")


@bp.route("/letters/<key>", methods=["GET", "POST"])
@login_required
def letter_template(key: str) -> Any:
    """Edit one letter's template (Jinja, every value escaped); a broken template is refused with its line."""
    try:
        current = letter_templates.template(app_ctx(), key)
    except NotFound as error:
        abort(404, description=str(error))
    errors: dict[str, str] = {}
    theirs, conflict = None, None
    if request.method == "POST":
        posted = {"subject": request.form.get("subject", ""), "body": request.form.get("body", "")}
        try:
            saved = letter_templates.save(app_ctx(), key, posted["subject"], posted["body"], actor(),
                                            request.form.get("loaded_version", ""))
        except Forbidden as error:
            abort(403, description=str(error))
        except Invalid as error:
            # Still the version the page was opened on: a later save by someone else is caught when fixed.
            loaded = request.form.get("loaded_version", "")
            current = {**current, **posted, "version": int(loaded) if loaded.isdecimal() else 0}
            errors = error.errors
        except EditConflict as error:
            # The page now stands on their version, with the user's own text kept in the form.
            theirs, conflict = letter_templates.template(app_ctx(), key), str(error)
            current = {**theirs, **posted}
        else:
            flash(f"{current['title']}: version {saved.version} saved; letters from now on use it.", "ok")
            if saved.made:
                flash(f"{saved.made} letter(s) that had failed under the old template are now made and sent.", "ok")
            if saved.still_failing:
                flash(f"{saved.still_failing} letter(s) still fail with this template: the complaint's history "
                      "says why.", "error")
            return redirect(url_for("correspondence.letters_page"))
    status = 409 if conflict else 422 if errors else 200
    return render_template("letter_template.html", t=current, errors=errors, theirs=theirs, conflict=conflict,
                           may_edit=actor().role == "admin"), status
