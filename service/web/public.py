"""What residents use without logging in: the complaint form at /complain, rate-limited, with a hidden field
against bots; on success a confirmation page with the reference and the dates that follow."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, current_app, render_template, request, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer

from forms import form_class
from service.domain.calendar import london_today
from service.use_cases import queries, submit_complaint, verified_email
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
    return render_template("public_thanks.html", view=queries.complaint_view(app_ctx(), complaint.reference or ""))


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key or "", salt="complaint-email-link")


def _email_link(complaint_id: int, email: str) -> str:
    """The link emailed to the resident, on the configured public address (never the request's Host)."""
    base = current_app.config.get("PUBLIC_URL") or f"http://{current_app.config['HOST']}:{current_app.config['PORT']}"
    return base.rstrip("/") + url_for("public.confirm_email", token=_signer().dumps([complaint_id, email]))


@bp.route("/complain/confirm/<token>", methods=["GET", "POST"])
@limiter.limit(_limit)
def confirm_email(token: str) -> Any:
    """The link in the email: a page asking the resident to confirm (a GET changes nothing, so a mail scanner
    opening the link does no harm), then the complaint is added to their record."""
    try:
        complaint_id, email = _signer().loads(token, max_age=verified_email.LINK_DAYS * 24 * 3600)
    except (BadSignature, ValueError, TypeError):
        return render_template("public_confirm.html", state="invalid", days=verified_email.LINK_DAYS), 400
    if request.method == "GET":
        return render_template("public_confirm.html", state="ask")
    try:
        reference = verified_email.link(app_ctx(), int(complaint_id), str(email))
    except (NotFound, Invalid):
        return render_template("public_confirm.html", state="invalid", days=verified_email.LINK_DAYS), 400
    return render_template("public_confirm.html", state="done", reference=reference)
