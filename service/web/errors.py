"""Error answers no blueprint gives itself: JSON on every path under /api/ (also where no route matched, or a
blueprint other than the API's serves the path), and a 413 that names the limit, as JSON on the API and as a
page elsewhere."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, jsonify, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge


def register_errors(app: Flask) -> None:
    """Attach the handlers. By status code, the 413 one comes before any blueprint's catch-all."""
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(413, _too_large)


def _as_json(error: HTTPException) -> Any:
    return jsonify(error=(error.name or "error").lower().replace(" ", "_"), message=error.description), error.code


def _http_error(error: HTTPException) -> Any:
    return _as_json(error) if request.path.startswith("/api/") else error


def _too_large(error: RequestEntityTooLarge) -> Any:
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    described = RequestEntityTooLarge(f"The request body is larger than the {limit:,} bytes this service accepts. "
                                      "Send less: shorter text, or fewer or smaller files.")
    return _as_json(described) if request.path.startswith("/api/") else described
