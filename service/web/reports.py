"""Reports: the TSM complaint measures, on a page with the working and through the API."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import login_required

from service.domain.calendar import london_today
from service.use_cases import register, reports
from service.use_cases.errors import Invalid
from service.web.auth import actor, app_ctx, token_required

bp = Blueprint("reports", __name__)


def _year() -> int:
    raw = request.args.get("year", "")
    if not raw:
        return reports.current_reporting_year(london_today())
    if not raw.isdigit():
        abort(400, description="year must be a number such as 2026")
    return int(raw)


@bp.get("/reports/tsm")
@login_required
def tsm_page() -> Any:
    """CH01 and CH02 for a reporting year, each count opening the complaints behind it."""
    year = _year()
    try:
        figures = reports.tsm(app_ctx(), year)
    except Invalid as error:
        abort(400, description=" ".join(error.errors.values()))
    figure = request.args.get("working")
    listed = reports.working(app_ctx(), year, figure) if figure else None
    return render_template("tsm.html", t=figures, figure=figure, listed=listed,
                           may_edit=actor().role in {"admin", app_ctx().manager_role})


@bp.post("/reports/homes")
@login_required
def set_homes() -> Any:
    """Managers and admins record the relevant homes for a reporting year."""
    if actor().role not in {"admin", app_ctx().manager_role}:
        abort(403)
    try:
        year = int(request.form.get("year", ""))
        reports.set_homes(app_ctx(), year, int(request.form.get("low_cost_rental", "0") or 0),
                          int(request.form.get("low_cost_home_ownership", "0") or 0))
    except ValueError:
        flash("Give whole numbers for the year and the homes.", "error")
        return redirect(url_for("reports.tsm_page"))
    except Invalid as error:
        flash(" ".join(error.errors.values()), "error")
        return redirect(url_for("reports.tsm_page"))
    flash("Homes recorded.", "ok")
    return redirect(url_for("reports.tsm_page", year=year))


def _register_response() -> Response:
    headers = {"Content-Disposition": "attachment; filename=complaints-register.csv"}
    return Response(stream_with_context(register.csv_lines(app_ctx())), mimetype="text/csv", headers=headers)


@bp.get("/reports/register.csv")
@login_required
def register_csv() -> Any:
    """The complaints register as CSV (streamed)."""
    return _register_response()


@bp.get("/api/v1/reports/register.csv")
@token_required
def api_register_csv() -> Any:
    """The complaints register as CSV (streamed)."""
    return _register_response()


@bp.get("/api/v1/reports/tsm")
@token_required
def api_tsm() -> Any:
    """`{ch01: {stage1, stage2, homes}, ch02: {stage1, stage2}, counts: {...}}` for `?year=` (its April start)."""
    try:
        return jsonify(reports.tsm(app_ctx(), _year()))
    except Invalid as error:
        return jsonify(error="invalid", errors=error.errors), 422


@bp.get("/api/v1/reports/tsm/working")
@token_required
def api_working() -> Any:
    """The complaint references behind one TSM count: `?year=2026&figure=stage1_responded_within`."""
    try:
        return jsonify(reports.working(app_ctx(), _year(), request.args.get("figure", "")))
    except Invalid as error:
        return jsonify(error="invalid", errors=error.errors), 422
