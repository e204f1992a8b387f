"""Every setting, read from env vars prefixed COMPLAINTFLOW_, with embedded defaults (SQLite for the
database and the Celery broker), overridable by the dict given to create_app."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VAR = Path(os.environ.get("COMPLAINTFLOW_VAR_DIR", ROOT / "var"))

DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": f"sqlite:///{VAR / 'complaintflow.db'}",
    "PROFILE": "code-2024",
    "TESTING": False,
    "SECRET_KEY": None,
    "BROKER_URL": f"sqla+sqlite:///{VAR / 'broker.db'}",
    "RESULT_BACKEND": f"db+sqlite:///{VAR / 'results.db'}",
    "TIMER_SWEEP_SECONDS": 5.0,
    # How often a worker polls the embedded (SQLite) broker's table; Redis pushes instead.
    "BROKER_POLL_SECONDS": 1.0,
    "HOST": "127.0.0.1",
    # Session cookies only over HTTPS: "true" behind TLS (the compose setup), "false", or "auto" (on unless the
    # app is served on this machine only or under test).
    "SECURE_COOKIES": "auto",
    "PORT": 5000,
    # Where residents reach the app, for the links we email them (never taken from a request's Host header).
    # Empty: http://HOST:PORT.
    "PUBLIC_URL": "",
    # How long a resident's private link to their complaint works (a new one is sent on request).
    "PORTAL_LINK_DAYS": 30,
    "DEMO_USERS": True,
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    "LOG_LEVEL": "INFO",
    # Email: SMTP when SMTP_HOST is set (SMTP_TLS: starttls, ssl or none), else .eml files in OUTBOX_DIR.
    "SMTP_HOST": "",
    "SMTP_PORT": 25,
    "SMTP_TLS": "starttls",
    "SMTP_USER": "",
    "SMTP_PASSWORD": "",
    "MAIL_FROM": "complaints@complaintflow.local",
    # Who sends the letters: the landlord's name and postal address (lines separated by "|"), printed at the head
    # of every letter and under every email. Empty: the profile's `landlord`, else the demo's Example Homes.
    "LANDLORD_NAME": "",
    "LANDLORD_ADDRESS": "",
    # How residents reach the landlord (phone, email, website; separated by "|"), and its logo (a PNG or JPEG
    # file of up to 200 KB): on the public pages and every letter.
    "LANDLORD_CONTACT": "",
    "LANDLORD_LOGO": "",
    "OUTBOX_DIR": str(VAR / "outbox"),
    # Public complaint form: submissions allowed per address per hour.
    "PUBLIC_FORM_LIMIT": 10,
    # Sign-in: attempts allowed per address per minute; wrong passwords in a row before an account is locked,
    # and for how long.
    "LOGIN_LIMIT": 20,
    # Looking up people on record as staff type on the log-a-complaint page: lookups per member of staff per minute
    # (the page asks at most about four times a second while typing, and pauses between words).
    "MATCH_LIMIT": 120,
    "LOCKOUT_AFTER": 5,
    "LOCKOUT_MINUTES": 15,
    # UK GDPR storage limitation: closed complaints are anonymised this many years after they closed.
    "RETENTION_YEARS": 6,
    "RETENTION_SWEEP_SECONDS": 24 * 3600.0,
    # Where the public form's rate limit counts (Flask-Limiter): memory:// per process, or redis://… shared.
    "RATELIMIT_STORAGE_URI": "memory://",
    # Where `npm ci` put the browser packages the modeler page loads (bpmn-js).
    "NODE_MODULES": str(ROOT / "node_modules"),
}


def _coerce(default: Any, raw: str) -> Any:
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw


def load_settings(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Defaults, then COMPLAINTFLOW_<KEY> env vars, then `overrides`."""
    settings = dict(DEFAULTS)
    for key, default in DEFAULTS.items():
        raw = os.environ.get(f"COMPLAINTFLOW_{key}")
        if raw is not None:
            settings[key] = _coerce(default, raw) if default is not None else raw
    settings.update(overrides or {})
    if not settings["SECRET_KEY"]:
        settings["SECRET_KEY"] = _persistent_secret()
    return settings


def _persistent_secret() -> str:
    # Sessions survive restarts of the embedded default without anyone having to set a key.
    path = VAR / "secret_key"
    if not path.exists():
        VAR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
