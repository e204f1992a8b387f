"""The live view of a procedure on its diagram: who waits where now, and how long each step takes."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, render_template
from flask_login import login_required

from service.use_cases import procedure_heat
from service.use_cases.errors import NotFound
from service.web.auth import app_ctx

bp = Blueprint("live_view", __name__)


@bp.get("/processes/<process_id>/versions/<int:number>/heat.json")
@login_required
def heat(process_id: str, number: int) -> Any:
    """Per element: instances waiting there now, tasks done there in 12 months and their median days."""
    try:
        return jsonify(procedure_heat.heat(app_ctx(), process_id, number))
    except NotFound as error:
        abort(404, description=str(error))


@bp.get("/processes/<process_id>/versions/<int:number>/elements/<element>")
@login_required
def waiting(process_id: str, number: int, element: str) -> str:
    """The tasks waiting at one element of a version, oldest first."""
    try:
        rows = procedure_heat.waiting_at(app_ctx(), process_id, number, element)
    except NotFound as error:
        abort(404, description=str(error))
    return render_template("waiting.html", process_id=process_id, number=number, element=element, rows=rows)
