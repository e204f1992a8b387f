"""What residents use without logging in: the complaint form at /complain, rate-limited, with a hidden field
against bots; on success a confirmation page with the reference and the dates that follow."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, current_app, render_template, request

from forms import form_class
from service.domain.calendar import london_today
from service.use_cases import queries, submit_complaint
from service.use_cases.errors import Invalid
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
    return render_template("public_thanks.html", view=queries.complaint_view(app_ctx(), complaint.reference or ""))
