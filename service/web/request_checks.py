"""What every request must satisfy before a handler sees it, so that bad input gets a 4xx naming what was wrong
and where instead of failing in the database: ids in paths within the range of an integer column, text that
PostgreSQL and UTF-8 can store (no NUL, no unpaired surrogate), and JSON nested no deeper than any real body."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, Response, abort, jsonify, request

# The largest value of an INTEGER column (PostgreSQL's, and so the ids of every table).
MAX_ID = 2**31 - 1
MAX_JSON_DEPTH = 32
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def register(app: Flask) -> None:
    """Check every request's ids and text before its view."""
    app.before_request(check_request)


def _texts() -> Any:
    """(where, text) for every string the request carries: path parts, query, form fields, JSON keys and values."""
    for name, value in (request.view_args or {}).items():
        if isinstance(value, str):
            yield f"path {name}", value
    for name, value in request.args.items(multi=True):
        yield f"query {name}", name
        yield f"query {name}", value
    for name, value in request.form.items(multi=True):
        yield name, name
        yield name, value
    body = request.get_json(silent=True) if request.is_json else None
    # Iterative, so that the depth check is not itself a recursion.
    stack: list[tuple[str, Any, int]] = [("body", body, 0)]
    while stack:
        where, value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            yield where, None
            return
        if isinstance(value, str):
            yield where, value
        elif isinstance(value, dict):
            for key, item in value.items():
                yield where, key
                stack.append((key if where == "body" else f"{where}.{key}", item, depth + 1))
        elif isinstance(value, list):
            stack.extend((f"{where}[{index}]", item, depth + 1) for index, item in enumerate(value))


def _problem(text: str | None) -> str | None:
    if text is None:
        return f"is nested more than {MAX_JSON_DEPTH} levels deep."
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    character = found.group()
    what = "a NUL character (U+0000)" if character == "\x00" else f"an unpaired surrogate (U+{ord(character):04X})"
    return f"contains {what}, which cannot be stored: remove it."


def check_request() -> Response | tuple[Response, int] | None:
    """404 for an id past MAX_ID (it names no row; checked here rather than by the route's converter, where
    werkzeug would answer 405); 422 naming the first field whose text cannot be stored, or the JSON nested too
    deep; else carry on."""
    if any(isinstance(value, int) and value > MAX_ID for value in (request.view_args or {}).values()):
        abort(404)
    try:
        found = next(((where, problem) for where, text in _texts() if (problem := _problem(text))), None)
    except RecursionError:  # the JSON parser's own limit: deeper still than MAX_JSON_DEPTH
        found = ("body", _problem(None) or "")
    if found is None:
        return None
    where, problem = _UNSTORABLE.sub("\ufffd", found[0]), found[1]  # the name may be the culprit itself
    if request.path.startswith("/api/"):
        return jsonify(error="invalid", message=f"{where}: {problem}", errors={where: problem}), 422
    abort(422, description=f"{where}: {problem}")
