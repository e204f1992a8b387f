"""The resident's own page for their complaint, opened from the private link we send (no account, no password):
where it stands, what happens next, who is dealing with it, letters and contact; ask for Stage 2 or withdraw it.
A link that has expired or was changed gets a page that sends a new one to the email on record."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from service.outbound.links import LinkExpired, LinkInvalid
from service.use_cases import evidence, resident_portal
from service.use_cases.errors import Conflict, Invalid, NotFound
from service.web.auth import app_ctx
from service.web.limits import limiter

bp = Blueprint("portal", __name__)


def _limit() -> str:
    return f"{current_app.config['PUBLIC_FORM_LIMIT'] * 6} per hour"


def _complaint_id(token: str) -> int | str:
    """The complaint the link opens, or why it does not: "expired" or "invalid"."""
    links = app_ctx().portal_links
    if links is None:
        return "invalid"
    try:
        payload = links.read(token)
    except LinkExpired:
        return "expired"
    except LinkInvalid:
        return "invalid"
    return payload if isinstance(payload, int) and not isinstance(payload, bool) else "invalid"


def _opened(view: Callable[..., Any]) -> Callable[..., Any]:
    """Open the link's complaint for `view(token, complaint_id, ...)`; a link that is not (or no longer) good gets
    the page that sends a new one, and a complaint no longer on record says so."""
    @wraps(view)
    def wrapper(token: str, **kwargs: Any) -> Any:
        complaint_id = _complaint_id(token)
        if isinstance(complaint_id, str):
            return _no_link(complaint_id)
        try:
            return view(token, complaint_id, **kwargs)
        except NotFound:
            return _no_link("gone")
    return wrapper


def _no_link(why: str) -> Any:
    links = app_ctx().portal_links
    return render_template("portal_link.html", why=why, days=links.days if links else 0), 400


def allow_upload() -> None:
    """Let the evidence form's body be as large as a file may be (the app's own limit is 1 MB): set before the
    CSRF check reads the body, which is where the limit is enforced."""
    if request.endpoint == "portal.add_evidence":
        request.max_content_length = evidence.MAX_BYTES + 64 * 1024


@bp.route("/my-complaint", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def new_link() -> Any:
    """Ask for a new link: the complaint's reference and the email on record."""
    if request.method == "POST":
        resident_portal.send_link(app_ctx(), request.form.get("reference", "")[:30],
                                  request.form.get("email", "")[:254])
        return render_template("portal_link.html", why="sent", days=0)
    return render_template("portal_link.html", why="ask", days=0)


@bp.get("/my-complaint/<token>")
@limiter.limit(_limit)
@_opened
def page(token: str, complaint_id: int) -> Any:
    """The complaint as its resident sees it."""
    return render_template("portal.html", c=resident_portal.view(app_ctx(), complaint_id), token=token)


@bp.post("/my-complaint/<token>/escalate")
@limiter.limit(_limit)
@_opened
def escalate(token: str, complaint_id: int) -> Any:
    """Ask for a review (Stage 2): no reasons needed unless this procedure asks for them."""
    try:
        resident_portal.escalate(app_ctx(), complaint_id, request.form.get("reasons", "")[:20000],
                                 request.form.get("outcome", "")[:20000])
    except Conflict as error:
        flash(str(error), "error")
    except Invalid as error:
        flash("Not sent: " + " ".join(error.errors.values()), "error")
        return render_template("portal.html", c=resident_portal.view(app_ctx(), complaint_id), token=token,
                               typed=request.form), 422
    else:
        flash("Thank you: we have your request for a review (Stage 2). We will acknowledge it and tell you when to "
              "expect our final response.", "ok")
    return redirect(url_for("portal.page", token=token))


@bp.post("/my-complaint/<token>/withdraw")
@limiter.limit(_limit)
@_opened
def withdraw(token: str, complaint_id: int) -> Any:
    """Withdraw the complaint: we stop working on it."""
    try:
        resident_portal.withdraw(app_ctx(), complaint_id, request.form.get("note", ""))
    except Conflict:
        flash("Your complaint is already closed: there is nothing to withdraw.", "error")
    else:
        flash("Your complaint is withdrawn. You can make a new complaint at any time.", "ok")
    return redirect(url_for("portal.page", token=token))


@bp.post("/my-complaint/<token>/evidence")
@limiter.limit(_limit)
@_opened
def add_evidence(token: str, complaint_id: int) -> Any:
    """Add a file (a photo, a letter, a report) to the complaint, with a note."""
    try:
        upload = request.files.get("file")
        name = evidence.add(app_ctx(), complaint_id, upload.filename or "" if upload else "",
                            upload.read(evidence.MAX_BYTES + 1) if upload else b"",
                            request.form.get("note", ""))
    except RequestEntityTooLarge:
        flash(f"Not sent: files can be up to {evidence.MAX_BYTES // (1024 * 1024)} MB. Nothing was kept.", "error")
    except Invalid as error:
        flash("Not sent: " + " ".join(error.errors.values()), "error")
    except Conflict as error:
        flash(str(error), "error")
    else:
        flash(f"Thank you: we have {name} and have told the person dealing with your complaint.", "ok")
    return redirect(url_for("portal.page", token=token))


@bp.post("/my-complaint/<token>/adjustments")
@limiter.limit(_limit)
@_opened
def ask_adjustment(token: str, complaint_id: int) -> Any:
    """Ask for something that would make dealing with us easier (large print, calls at set times, …)."""
    try:
        resident_portal.ask_adjustment(app_ctx(), complaint_id, request.form.getlist("adjustments")[:10],
                                       request.form.get("adjustment_notes", ""))
    except Invalid as error:
        flash("Not sent: " + " ".join(error.errors.values()), "error")
    else:
        flash("Thank you: we have added this to your record and told the person dealing with your complaint.", "ok")
    return redirect(url_for("portal.page", token=token))


@bp.get("/my-complaint/<token>/letters/<int:correspondence_id>.pdf")
@limiter.limit(_limit)
@_opened
def letter(token: str, complaint_id: int, correspondence_id: int) -> Any:
    """A letter we sent on this complaint."""
    try:
        name, pdf = resident_portal.letter(app_ctx(), complaint_id, correspondence_id)
    except NotFound:
        return render_template("portal_link.html", why="no-letter", days=0), 404
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})
