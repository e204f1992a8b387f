"""What-if replay pages: ask what a version would have done to a period's complaints, watch it run, read it."""

from __future__ import annotations

from datetime import date
from itertools import chain
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from service.use_cases import what_if
from service.use_cases.errors import Forbidden, Invalid, NotFound
from service.web.auth import actor, app_ctx
from service.web.editor import editors_only

bp = Blueprint("replays", __name__)


def _day(name: str) -> date | None:
    value = request.form.get(name, "").strip()
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise Invalid({name: "Give a date as YYYY-MM-DD."})


@bp.post("/processes/<process_id>/versions/<int:number>/replays")
@login_required
def start(process_id: str, number: int) -> Response:
    """Start a replay of the period in the form (default: the last 12 months) and show its page."""
    editors_only()
    try:
        started = what_if.start(app_ctx(), process_id, number, actor(), _day("period_from"), _day("period_to"))
    except Invalid as error:
        flash("Not replayed: " + " ".join(error.errors.values()), "error")
        return redirect(url_for("editor.process", process_id=process_id))
    except (Forbidden, NotFound) as error:
        abort(404 if isinstance(error, NotFound) else 403, description=str(error))
    return redirect(url_for("replays.show", run_id=started["id"]))


@bp.get("/replays/<int:run_id>")
@login_required
def show(run_id: int) -> str:
    """The replay: a progress bar (the page reloads itself) until every complaint is replayed, then its figures."""
    try:
        report = what_if.report(app_ctx(), run_id)
    except NotFound as error:
        abort(404, description=str(error))
    return render_template("replay.html", report=report, roles=_roles(report))


def _roles(report: dict[str, Any]) -> list[str]:
    sides = report.get("sides") or {}
    return sorted({role for side in sides.values() for role in side["work"]})


@bp.get("/replays/<int:run_id>/complaints/<reference>")
@login_required
def complaint(run_id: int, reference: str) -> str:
    """One complaint's two timelines, side by side."""
    try:
        both = what_if.timelines(app_ctx(), run_id, reference)
    except NotFound as error:
        abort(404, description=str(error))
    return render_template("replay_complaint.html", run_id=run_id, both=both)


@bp.get("/replays/<int:run_id>/complaints.csv")
@login_required
def download(run_id: int) -> Response:
    """The replay as CSV."""
    try:
        rows = what_if.rows_csv(app_ctx(), run_id)
        first = next(rows)
    except NotFound as error:
        abort(404, description=str(error))
    return Response(chain([first], rows), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=replay-{run_id}.csv"})
