"""The process endpoints of the JSON API (/api/v1/processes…), on the API blueprint and its error handlers."""

from __future__ import annotations

from datetime import date
from itertools import chain
from typing import Any

from flask import Response, jsonify, request

from service.use_cases import instance_migrations, process_versions, what_if
from service.use_cases.errors import DiagramInvalid, Invalid
from service.web import api_schemas
from service.web.api import bp
from service.web.auth import actor, app_ctx, token_required
from service.web.openapi import validate


@bp.errorhandler(DiagramInvalid)
def _diagram_invalid(error: DiagramInvalid) -> Any:
    return jsonify(error="invalid_diagram", errors=[problem.as_dict() for problem in error.problems]), 422


@bp.get("/processes")
@token_required
@validate(200, api_schemas.Processes)
def list_processes() -> Any:
    """Every process with its versions: state, author, comment, changes and running instances."""
    return jsonify(processes=process_versions.list_processes(app_ctx()))


@bp.get("/processes/<process_id>/versions/<int:number>")
@token_required
@validate(200, api_schemas.Version, 404)
def get_version(process_id: str, number: int) -> Any:
    """One version with its BPMN XML."""
    return jsonify(process_versions.source(app_ctx(), process_id, number))


@bp.post("/processes/<process_id>/versions")
@token_required
@validate(201, api_schemas.Version, 403, 404, 409, 422, json=api_schemas.NewVersion, query=api_schemas.VersionQuery)
def create_version(process_id: str) -> Any:
    """Store BPMN XML (the body, or JSON {xml, comment, loaded_version}) as a checked draft: 201, 422 with every
    problem, or 409 when `loaded_version` (optional; ?loaded_version= with an XML body) is no longer the newest."""
    if request.is_json:
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("xml"), str):
            raise Invalid({"xml": "Send the BPMN XML as the body, or JSON {\"xml\": ..., \"comment\": ...}."})
        xml, comment, loaded = body["xml"], str(body.get("comment", "")), body.get("loaded_version")
    else:
        xml, comment, loaded = request.get_data(as_text=True), request.args.get("comment", ""), request.args.get("loaded_version")
    return jsonify(process_versions.save_draft(app_ctx(), process_id, xml, comment, actor(),
                                               None if loaded is None else str(loaded))), 201


@bp.post("/processes/<process_id>/versions/<int:number>/deploy")
@token_required
@validate(200, api_schemas.Version, 403, 404, 422)
def deploy_version(process_id: str, number: int) -> Any:
    """Make a version live for new instances (deploying a retired one rolls back)."""
    return jsonify(process_versions.deploy(app_ctx(), process_id, number, actor()))


@bp.get("/processes/<process_id>/versions/<int:number>/migration")
@token_required
@validate(200, api_schemas.Migration, 404)
def migration_dry_run(process_id: str, number: int) -> Any:
    """Which running instances can move to this version, and why the others cannot."""
    return jsonify(instance_migrations.dry_run(app_ctx(), process_id, number))


@bp.post("/processes/<process_id>/versions/<int:number>/migration")
@token_required
@validate(200, api_schemas.Migration, 403, 404)
def migrate(process_id: str, number: int) -> Any:
    """Move every instance that can move to this version."""
    return jsonify(instance_migrations.migrate(app_ctx(), process_id, number, actor()))


@bp.post("/migrations/<int:migration_id>/revert")
@token_required
@validate(200, api_schemas.AnyObject, 403, 404, 409)
def revert(migration_id: int) -> Any:
    """Put a migrated instance back on its old version (409 once it has moved on)."""
    return jsonify(instance_migrations.revert(app_ctx(), migration_id, actor()))


def _day(body: dict[str, Any], name: str) -> date | None:
    value = body.get(name)
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise Invalid({name: "Give a date as YYYY-MM-DD."})


@bp.post("/processes/<process_id>/versions/<int:number>/replays")
@token_required
@validate(202, api_schemas.Replay, 403, 404, 422, json=api_schemas.ReplayRequest)
def start_replay(process_id: str, number: int) -> Any:
    """What-if: replay the complaints received in a period (JSON {period_from, period_to}, default the last 12
    months) through this version and the live one; 202 with the replay, whose figures follow as workers finish."""
    body = request.get_json(silent=True) or {}
    if not isinstance(body, dict):
        raise Invalid({"period_from": "Send JSON {period_from, period_to}."})
    started = what_if.start(app_ctx(), process_id, number, actor(), _day(body, "period_from"), _day(body, "period_to"))
    return jsonify(started), 202


@bp.get("/replays/<int:run_id>")
@token_required
@validate(200, api_schemas.Replay, 404)
def replay_report(run_id: int) -> Any:
    """A replay's progress and, once finished, its figures for both versions and the complaints that change."""
    return jsonify(what_if.report(app_ctx(), run_id))


@bp.get("/replays/<int:run_id>/complaints/<reference>")
@token_required
@validate(200, api_schemas.AnyObject, 404)
def replay_timelines(run_id: int, reference: str) -> Any:
    """One replayed complaint: its path and deadlines under each version."""
    return jsonify(what_if.timelines(app_ctx(), run_id, reference))


@bp.get("/replays/<int:run_id>/complaints.csv")
@token_required
@validate(200, None, 404, media="text/csv")
def replay_csv(run_id: int) -> Any:
    """The replay as CSV, a line per complaint."""
    rows = what_if.rows_csv(app_ctx(), run_id)
    first = next(rows)  # raises NotFound before the response starts
    return Response(chain([first], rows), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=replay-{run_id}.csv"})
