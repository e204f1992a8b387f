"""Error answers no blueprint gives itself: JSON on every path under /api/ (also where no route matched, or a
blueprint other than the API's serves the path), and a 413 that names the limit, as JSON on the API and as a
page elsewhere."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, current_app, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge, ServiceUnavailable

from service.use_cases.errors import DatabaseUnavailable

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


def register_errors(app: Flask) -> None:
    """Attach the handlers. By status code, the 413 one comes before any blueprint's catch-all."""
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(413, _too_large)
    app.register_error_handler(DatabaseUnavailable, _unavailable)


def as_json(error: HTTPException) -> Any:
    """`error` as the API's JSON error, keeping the headers it needs (a 405's Allow, a 401's WWW-Authenticate)."""
    response = jsonify(error=(error.name or "error").lower().replace(" ", "_"), message=error.description)
    response.status_code = error.code or 500
    return _with_headers(response, error)


def _with_headers(response: Any, error: HTTPException) -> Any:
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def _http_error(error: HTTPException) -> Any:
    if request.path.startswith("/api/"):
        return as_json(error)
    if error.code is None or error.code < 400:  # a routing redirect, not an error
        return error
    # A page in the app's own layout, saying what was wrong and where to go next (headers such as Allow kept).
    return _with_headers(make_response(render_template("error.html", error=error), error.code), error)


def _too_large(error: RequestEntityTooLarge) -> Any:
    limit = request.max_content_length or current_app.config["MAX_CONTENT_LENGTH"]  # a form may allow more
    described = RequestEntityTooLarge(f"The request body is larger than the {limit:,} bytes this service accepts. "
                                      "Send less: shorter text, or fewer or smaller files.")
    return as_json(described) if request.path.startswith("/api/") else described


def _unavailable(error: DatabaseUnavailable) -> Any:
    # A 503 with Retry-After, not a 500: the request was fine, the database did not answer, nothing was saved.
    log.warning("database unavailable", extra={"error": str(error)})  # the driver's error class only
    described = ServiceUnavailable("The database is not answering just now, so nothing was saved. "
                                   f"Try again in {RETRY_AFTER_SECONDS} seconds.", retry_after=RETRY_AFTER_SECONDS)
    return as_json(described) if request.path.startswith("/api/") else described  # Retry-After kept
