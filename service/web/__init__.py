"""Blueprints: the staff UI (Jinja) and the JSON API (/api/v1). Handlers only translate HTTP to use cases."""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify
from flask_wtf.csrf import CSRFProtect

from service.use_cases import health
from service.web import api, auth, reports, restrictions, staff

csrf = CSRFProtect()


def register_web(app: Flask) -> None:
    """Attach CSRF protection, login and the blueprints to `app`."""
    csrf.init_app(app)
    auth.login_manager.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(staff.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(restrictions.bp)
    app.register_blueprint(reports.bp)
    app.add_url_rule("/healthz", "healthz", healthz)
    csrf.exempt(api.bp)  # the API authenticates each request by bearer token, not by cookie
    csrf.exempt(restrictions.api_propose)


def healthz() -> tuple[Response, int]:
    """For load balancers and compose health checks: 200 when the database and the broker answer, else 503."""
    results = health.check(current_app.extensions["complaintflow"], current_app.config["BROKER_URL"])
    healthy = all(value == "ok" for value in results.values())
    return jsonify(status="ok" if healthy else "unavailable", **results), 200 if healthy else 503
