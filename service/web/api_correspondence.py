"""The correspondence endpoints of the JSON API, on the API blueprint."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, url_for

from service.use_cases import correspondence
from service.web import api_schemas
from service.web.api import bp
from service.web.auth import app_ctx, reads_people, token_required
from service.web.correspondence import letter_response
from service.web.openapi import validate


@bp.get("/complaints/<reference>/correspondence")
@token_required
@reads_people
@validate(200, api_schemas.CorrespondenceLog, 403, 404)
def list_correspondence(reference: str) -> Any:
    """Every letter, email, call and note of the complaint, oldest first."""
    items = correspondence.log_for(app_ctx(), reference)
    return jsonify([{**item, "document_url": url_for("api.correspondence_document", correspondence_id=item["id"])
                     if item["has_document"] else None} for item in items])


@bp.get("/correspondence/<int:correspondence_id>/document")
@token_required
@reads_people
@validate(200, None, 403, 404, media="application/pdf")
def correspondence_document(correspondence_id: int) -> Response:
    """A letter as PDF."""
    return letter_response(correspondence_id)
