"""Blueprints: the staff UI (Jinja) and the JSON API (/api/v1). Handlers only translate HTTP to use cases."""

from __future__ import annotations

from flask import Flask
from flask_wtf.csrf import CSRFProtect

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
    csrf.exempt(api.bp)  # the API authenticates each request by bearer token, not by cookie
    csrf.exempt(restrictions.api_propose)
