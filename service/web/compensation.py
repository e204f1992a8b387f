"""The yearly review of compensation levels for equity (seed-001's Customer Service Manager and Director; the
Stage 2 role where a procedure names no reviewers)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from service.use_cases import equity_review
from service.use_cases.errors import Forbidden, Invalid
from service.web.auth import actor, app_ctx
from service.web.reports import reporting_year

bp = Blueprint("compensation", __name__)


def _page(year: int, notes: str = "", errors: dict[str, str] | None = None, status: int = 200) -> Any:
    try:
        figures = equity_review.review(app_ctx(), year)
    except Invalid as error:
        abort(400, description=" ".join(error.errors.values()))
    return render_template("equity_review.html", r=figures, notes=notes, errors=errors or {},
                           may_sign=actor().role in equity_review.reviewers(app_ctx())), status


@bp.get("/reports/compensation-review")
@login_required
def review_page() -> Any:
    """The year's compensation levels, by category, with the reviewers' sign-offs."""
    if not equity_review.may_read(app_ctx(), actor().role):
        abort(403, description="The compensation review is for its reviewers, the Stage 2 managers and admins.")
    return _page(reporting_year())


@bp.post("/reports/compensation-review")
@login_required
def sign_off() -> Any:
    """A reviewer signs the year's levels off, saying what the review found."""
    year, notes = reporting_year(), request.form.get("notes", "")
    try:
        equity_review.sign_off(app_ctx(), year, notes, actor())
    except Forbidden as error:
        abort(403, description=str(error))
    except Invalid as error:
        return _page(year, notes, error.errors, 422)
    flash("Review signed off.", "ok")
    return redirect(url_for("compensation.review_page", year=year))
