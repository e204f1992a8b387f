"""The JSON API under /api/v1 (bearer tokens). Each handler translates HTTP to one use case and back."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from service.domain.calendar import london_today
from service.use_cases import complete_task, queries, submit_complaint, users, withdraw_complaint
from service.use_cases.errors import Conflict, EditConflict, Forbidden, Invalid, NotFound, UseCaseError
from service.web import api_schemas
from service.web.auth import actor, app_ctx, reads_people, token_required
from service.web.errors import as_json
from service.web.openapi import document, validate

bp = Blueprint("api", __name__, url_prefix="/api/v1")
_STATUS = {NotFound: 404, Forbidden: 403, Conflict: 409, Invalid: 422}


@bp.errorhandler(UseCaseError)
def _use_case_error(error: UseCaseError) -> Any:
    # The nearest mapped class: an EditConflict is a Conflict (409).
    status = next((_STATUS[cls] for cls in type(error).__mro__ if cls in _STATUS), 400)
    body: dict[str, Any] = {"error": type(error).__name__.lower(), "message": str(error)}
    if isinstance(error, Invalid):
        body["errors"] = error.errors
    if isinstance(error, EditConflict):
        body["conflict"] = error.as_dict()  # who saved, when, and the version to reload
    return jsonify(body), status


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Any:
    return as_json(error)


def _json_body() -> Any:
    data = request.get_json(silent=True)
    if data is None:
        raise Invalid({"body": "Send a JSON object with Content-Type: application/json."})
    return data


@bp.get("/openapi.json")
def openapi() -> Any:
    """The OpenAPI document of this API, generated from the models that validate its requests."""
    return jsonify(document(current_app))


@bp.post("/complaints")
@token_required
@validate(201, api_schemas.Complaint, 422, json=api_schemas.NewComplaint)
def create_complaint() -> Any:
    """Log a complaint; 201 with the complaint, 422 with field errors."""
    body = _json_body()
    if not isinstance(body, dict):
        raise Invalid({"body": "Send a JSON object."})
    person = body.get("complainant")
    if not isinstance(person, dict):
        raise Invalid({"complainant": "Give the complainant as an object with at least a name."})
    flat = {f"complainant_{key}": value for key, value in person.items()}
    flat.update({key: value for key, value in body.items() if key != "complainant"})
    if "handler" in flat and flat["handler"] is None:
        flat.pop("handler")
    try:
        complaint = submit_complaint.run(app_ctx(), flat, actor())
    except Invalid as error:
        # Report complainant fields under the names the client sent.
        raise Invalid({name.replace("complainant_", "complainant.", 1): message
                       for name, message in error.errors.items()}) from error
    return jsonify(queries.complaint_view(app_ctx(), complaint.reference or "")), 201


@bp.get("/complaints/<reference>")
@token_required
@reads_people
@validate(200, api_schemas.Complaint, 403, 404)
def get_complaint(reference: str) -> Any:
    """A complaint with its deadlines and history."""
    return jsonify(queries.complaint_view(app_ctx(), reference))


@bp.post("/complaints/<reference>/withdraw")
@token_required
@reads_people
@validate(200, api_schemas.Complaint, 403, 404, 409, 422, json=api_schemas.Withdrawal)
def withdraw(reference: str) -> Any:
    """Withdraw an open complaint at the resident's request: its open tasks and timers stop; 409 if not open."""
    withdraw_complaint.run(app_ctx(), reference, _json_body(), actor())
    return jsonify(queries.complaint_view(app_ctx(), reference))


@bp.get("/tasks")
@token_required
@validate(200, api_schemas.TaskList, 422, query=api_schemas.TasksQuery)
def list_tasks() -> Any:
    """The open tasks the caller may work, most urgent first (`?limit=`, default 100, at most 1000)."""
    today = london_today()
    policy = app_ctx().policy
    limit = request.args.get("limit", queries.INBOX_LIMIT, type=int)
    if not 1 <= limit <= 1000:
        raise Invalid({"limit": "Give a whole number from 1 to 1000."})
    return jsonify([queries.task_dict(task, today, policy.lane_roles(task.lane))
                    for task in queries.inbox(app_ctx(), actor(), limit)])


@bp.get("/tasks/<task_id>")
@token_required
@validate(200, api_schemas.AnyObject, 404)
def get_task(task_id: str) -> Any:
    """One task with its form definition."""
    return jsonify(queries.task_view(app_ctx(), task_id, actor()))


@bp.post("/tasks/<task_id>/complete")
@token_required
@validate(200, api_schemas.AnyObject, 403, 404, 409, 422, json=api_schemas.Completion)
def complete(task_id: str) -> Any:
    """Complete a task with `{data: {...}}`: 200, 403, 404, 409 or 422."""
    body = _json_body()
    data = body.get("data", {}) if isinstance(body, dict) else None
    result = complete_task.run(app_ctx(), task_id, data, actor())
    return jsonify(result.as_dict())


@bp.delete("/tokens/current")
@token_required
@validate(204)
def revoke_current_token() -> Any:
    """Revoke the bearer token this request was sent with: 204, and the token gets 401 from then on."""
    users.revoke_token(app_ctx(), g.api_token)
    return "", 204
