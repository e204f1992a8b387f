"""Complaintflow: the complaints procedure of English social landlords, run as BPMN.

`create_app(config)` is the only place things are wired together.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from service.config import load_settings
from service.domain.policy import load_policy
from service.logs import configure_logging
from service.outbound import logo
from service.outbound.links import resident_links
from service.persistence.db import make_engine, make_session_factory
from service.use_cases.context import AppContext


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the staff app. Config keys: DATABASE_URL, PROFILE, TESTING (and the rest of service.config);
    each also read from COMPLAINTFLOW_<KEY>. The app itself never needs a broker; timers go through Celery."""
    from service.web import register_web  # the web layer imports the app's pieces, not the other way round

    settings = load_settings(config)
    if not settings["TESTING"]:  # under test, pytest captures the logs
        configure_logging(settings["LOG_LEVEL"])
    app = Flask(__name__, template_folder="web/templates", static_folder="web/static")
    app.config.update(settings)
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_SECURE=_secure_cookies(settings),
                      WTF_CSRF_ENABLED=settings.get("WTF_CSRF_ENABLED", True))
    engine = make_engine(settings["DATABASE_URL"])
    policy = load_policy(settings["PROFILE"]).with_landlord(settings["LANDLORD_NAME"], settings["LANDLORD_ADDRESS"],
                                                            settings["LANDLORD_CONTACT"])
    app.extensions["complaintflow"] = AppContext(make_session_factory(engine), policy, settings["MAIL_FROM"],
                                                 resident_links(settings, "resident-portal", "/my-complaint/",
                                                                int(settings["PORTAL_LINK_DAYS"])),
                                                 logo.load(str(settings["LANDLORD_LOGO"])))
    app.extensions["complaintflow_engine"] = engine
    register_web(app)
    from service.cli import register_cli

    register_cli(app)
    return app


def _secure_cookies(settings: dict[str, Any]) -> bool:
    choice = str(settings["SECURE_COOKIES"]).strip().lower()
    if choice in {"true", "false"}:
        return choice == "true"
    return not settings["TESTING"] and settings["HOST"] not in ("127.0.0.1", "localhost")


def app_context(app: Flask) -> AppContext:
    """The use-case context of a created app."""
    context: AppContext = app.extensions["complaintflow"]
    return context
