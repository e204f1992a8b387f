"""Blueprints: the staff UI (Jinja) and the JSON API (/api/v1). Handlers only translate HTTP to use cases."""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, current_app, g, jsonify, request
from flask_login import current_user
from flask_wtf.csrf import CSRFProtect

from service.use_cases import health
from service.web import (
    api,
    api_correspondence,
    api_processes,
    auth,
    compensation,
    correspondence,
    editor,
    errors,
    filters,
    limits,
    live_view,
    people,
    portal,
    public,
    replays,
    reports,
    request_checks,
    restrictions,
    staff,
)

_ = (api_processes, api_correspondence)  # imported for their routes, which they add to the API blueprint

csrf = CSRFProtect()
log = logging.getLogger("complaintflow.request")


def register_web(app: Flask) -> None:
    """Attach CSRF protection, login and the blueprints to `app`."""
    app.before_request(portal.allow_upload)  # before the CSRF check reads the body: its size limit applies to it
    csrf.init_app(app)
    request_checks.register(app)  # after the CSRF check, before any route is added
    errors.register_errors(app)
    auth.login_manager.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(staff.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(restrictions.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(editor.bp)
    app.register_blueprint(correspondence.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(people.bp)
    app.register_blueprint(replays.bp)
    app.register_blueprint(live_view.bp)
    app.register_blueprint(compensation.bp)
    app.register_blueprint(portal.bp)
    limits.limiter.init_app(app)
    filters.register(app)
    app.add_url_rule("/healthz", "healthz", healthz)
    csrf.exempt(api.bp)  # the API authenticates each request by bearer token, not by cookie
    csrf.exempt(restrictions.api_propose)
    app.before_request(_start_clock)
    app.after_request(_security_headers)
    app.after_request(_log_request)


# Pages load scripts, styles and fonts from this site only (bpmn-js and its minimap are served from
# node_modules), run no inline script, and may not be framed. Inline styles stay allowed: the base template and
# the modeler's canvas use them.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; font-src 'self' data:; object-src 'none'; base-uri 'self'; "
                           "form-action 'self'; frame-ancestors 'none'")


def _security_headers(response: Response) -> Response:
    headers = response.headers
    if response.mimetype == "text/html":
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    if current_app.config["SESSION_COOKIE_SECURE"]:  # served over HTTPS: browsers keep to it for a year
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def _start_clock() -> None:
    g.request_started = time.perf_counter()


def _log_request(response: Response) -> Response:
    # One structured line per request: what, who, the answer and how long it took.
    started = g.get("request_started")
    # The bearer token's owner on the API, else the signed-in member of staff, else nobody.
    signed_in = "api_actor" in g or (current_user and current_user.is_authenticated)
    user = auth.actor().name if signed_in else None
    log.info("request", extra={"method": request.method, "path": request.path, "status": response.status_code,
                               "ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
                               "user": user})
    return response


def healthz() -> tuple[Response, int]:
    """For load balancers and compose health checks: 200 when the database and the broker answer, else 503. Where
    the rate limits are counted is reported too, but the app serves either way, so it does not make it unhealthy."""
    results = health.check(current_app.extensions["complaintflow"], current_app.config["BROKER_URL"])
    healthy = all(value == "ok" for value in results.values())
    return jsonify(status="ok" if healthy else "unavailable", **results,
                   rate_limits=limits.counting_in()), 200 if healthy else 503
