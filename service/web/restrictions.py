"""Contact restrictions in the staff UI and the API: propose, view, and the approvers' page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import login_required

from forms import form_class
from service.use_cases import queries, restrictions
from service.use_cases.errors import Invalid, NotFound
from service.web import api_schemas
from service.web.auth import actor, app_ctx, reads_people, token_required
from service.web.openapi import validate

bp = Blueprint("restrictions", __name__)


@bp.route("/complainants/<int:complainant_id>/restrictions/new", methods=["GET", "POST"])
@login_required
@reads_people
def propose(complainant_id: int) -> Any:
    """Propose a contact restriction on a complainant, for a manager to decide."""
    try:
        person = restrictions.complainant_view(app_ctx(), complainant_id)
    except NotFound:
        abort(404, description="There is no such complainant.")
    form = form_class("propose_restriction")(request.form if request.method == "POST" else None,
                                             context=restrictions.form_context(app_ctx()))
    if request.method == "POST":
        try:
            proposed = restrictions.propose(app_ctx(), complainant_id, request.form, actor())
        except NotFound:
            abort(404, description="There is no such complainant.")
        except Invalid as error:
            form.show_errors(error.errors)
            flash("Please correct the fields marked below.", "error")
            return render_template("restriction_new.html", form=form, person=person), 422
        flash("Restriction proposed: a manager will decide.", "ok")
        return redirect(url_for("restrictions.restriction", restriction_id=proposed.id))
    return render_template("restriction_new.html", form=form, person=person)


@bp.get("/complainants/<int:complainant_id>")
@login_required
@reads_people
def complainant(complainant_id: int) -> Any:
    """A person's record: complaints, restrictions (with the banner), history."""
    try:
        view = restrictions.complainant_view(app_ctx(), complainant_id)
    except NotFound:
        abort(404, description="There is no such complainant.")
    return render_template("complainant.html", p=view)


@bp.get("/restrictions/<int:restriction_id>")
@login_required
@reads_people
def restriction(restriction_id: int) -> Any:
    """A restriction: what, why, its status, the notice sent."""
    try:
        view = restrictions.view(app_ctx(), restriction_id)
    except NotFound:
        abort(404, description="There is no such restriction.")
    return render_template("restriction.html", r=view)


@bp.get("/approvals")
@login_required
@reads_people
def approvals() -> Any:
    """Pending restriction decisions and reviews for me, with the evidence; and the decisions made."""
    pending = [t for t in queries.inbox(app_ctx(), actor()) if t.restriction_id is not None]
    details = {t.restriction_id: restrictions.view(app_ctx(), t.restriction_id) for t in pending if t.restriction_id}
    return render_template("approvals.html", pending=pending, details=details, decided=restrictions.decided(app_ctx()))


@bp.post("/api/v1/complainants/<int:complainant_id>/restrictions")
@token_required
@validate(201, api_schemas.Proposed, 404, 422, json=api_schemas.NewRestriction)
def api_propose(complainant_id: int) -> Any:
    """Propose a restriction: 201 `{id, status}`; 404 for an unknown complainant; 422 with field errors."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return jsonify(error="invalid", errors={"body": "Send a JSON object."}), 422
    try:
        proposed = restrictions.propose(app_ctx(), complainant_id, body, actor())
    except NotFound as error:
        return jsonify(error="notfound", message=str(error)), 404
    except Invalid as error:
        return jsonify(error="invalid", message=str(error), errors=error.errors), 422
    return jsonify(id=proposed.id, status=proposed.status), 201


@bp.get("/api/v1/restrictions/<int:restriction_id>")
@token_required
@reads_people
@validate(200, api_schemas.Restriction, 403, 404)
def api_restriction(restriction_id: int) -> Any:
    """One restriction."""
    try:
        return jsonify(restrictions.view(app_ctx(), restriction_id))
    except NotFound as error:
        return jsonify(error="notfound", message=str(error)), 404
