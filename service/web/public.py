"""What residents use without logging in: the complaint form at /complain, rate-limited, with a hidden field
against bots; on success a confirmation page with the reference and the dates that follow."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request

from forms import form_class
from service.domain.calendar import london_today
from service.outbound.links import LinkExpired, LinkInvalid, Links, resident_links
from service.use_cases import compliments, queries, submit_complaint, verified_email
from service.use_cases.errors import Invalid, NotFound
from service.web.auth import app_ctx
from service.web.limits import limiter

bp = Blueprint("public", __name__)
log = logging.getLogger(__name__)


def _limit() -> str:
    return f"{current_app.config['PUBLIC_FORM_LIMIT']} per hour"


@bp.route("/complain", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def complain() -> Any:
    """The public complaint form (no JavaScript needed); errors come back next to their fields."""
    form = form_class("public_complaint")(request.form if request.method == "POST" else None,
                                          context={"today": london_today()})
    if request.method == "GET":
        return render_template("public_complaint.html", form=form)
    try:
        complaint = submit_complaint.run_public(app_ctx(), request.form)
    except Invalid as error:
        form.show_errors(error.errors)
        return render_template("public_complaint.html", form=form, invalid=True), 422
    except submit_complaint.Ignored:
        log.info("public form: hidden field filled in, nothing stored", extra={"ip": request.remote_addr})
        return render_template("public_thanks.html", view=None)
    verified_email.offer_link(app_ctx(), complaint.id, _email_link)
    links = app_ctx().portal_links
    return render_template("public_thanks.html", view=queries.complaint_view(app_ctx(), complaint.reference or ""),
                           portal_url=links.url(complaint.id) if links else None)


def _email_links() -> Links:
    return resident_links(current_app.config, "complaint-email-link", "/complain/confirm/", verified_email.LINK_DAYS)


def _email_link(complaint_id: int, email: str) -> str:
    """The link emailed to the resident, on the configured public address (never the request's Host)."""
    return _email_links().url([complaint_id, email])


@bp.route("/complain/confirm/<token>", methods=["GET", "POST"])
@limiter.limit(_limit)
def confirm_email(token: str) -> Any:
    """The link in the email: a page asking the resident to confirm (a GET changes nothing, so a mail scanner
    opening the link does no harm), then the complaint is added to their record."""
    try:
        complaint_id, email = _email_links().read(token)
    except (LinkExpired, LinkInvalid, ValueError, TypeError):
        return render_template("public_confirm.html", state="invalid", days=verified_email.LINK_DAYS), 400
    if request.method == "GET":
        return render_template("public_confirm.html", state="ask")
    try:
        reference = verified_email.link(app_ctx(), int(complaint_id), str(email))
    except (NotFound, Invalid):
        return render_template("public_confirm.html", state="invalid", days=verified_email.LINK_DAYS), 400
    return render_template("public_confirm.html", state="done", reference=reference)


@bp.route("/compliment", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def compliment() -> Any:
    """The public compliment form: we pass it on to whoever it praises, and count it in our reports."""
    form = form_class("public_compliment")(request.form if request.method == "POST" else None,
                                           context={"today": london_today()})
    if request.method == "GET":
        return render_template("public_compliment.html", form=form)
    try:
        compliments.record_public(app_ctx(), request.form)
    except Invalid as error:
        form.show_errors(error.errors)
        return render_template("public_compliment.html", form=form, invalid=True), 422
    return render_template("public_compliment.html", form=None)


@bp.get("/logo")
def logo() -> Any:
    """The landlord's logo (LANDLORD_LOGO), for the public pages; 404 when none is set."""
    picture = app_ctx().landlord_logo
    if picture is None:
        abort(404, description="No logo is set.")
    return Response(picture.data, mimetype=picture.mimetype, headers={"Cache-Control": "public, max-age=3600"})
