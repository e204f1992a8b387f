"""Security checks beside the authorization matrix: CSRF on every HTML form, the session cookie's flags in
production, passwords and API tokens stored only as hashes, and tokens revoked (one, or all of a user's)."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.security import check_password_hash

from service import app_context, create_app
from service.cli import prepare
from service.persistence.models import ApiToken, User
from service.use_cases import users
from service.use_cases.context import AppContext
from tests.conftest import REDIS_URL, csrf_token, london
from tests.web.test_authorization import fill, served_rules
from tests.web.test_browser_forms import Browser

# Path parameters for rules CSRF refuses before any view runs: they need only match the rule's converters.
ANY_PARAMS = {"reference": "CF-2026-000001", "task_id": "t", "complainant_id": 1, "restriction_id": 1,
              "correspondence_id": 1, "process_id": "complaint", "number": 1, "migration_id": 1, "compliment_id": 1,
              "action_id": 1, "key": "acknowledgement", "name": "f", "year": 2026, "half": 1, "kind": "csv",
              "run_id": 1, "element": "triage", "token": "not-a-signed-link",
              "evidence_id": 1}


def html_form_posts(app: Flask) -> list[str]:
    """The path of every POST rule outside the API (which authenticates by bearer token, not cookie)."""
    return sorted(fill(key.split(" ", 1)[1], ANY_PARAMS) for key in served_rules(app)
                  if key.startswith("POST ") and not key.startswith("POST /api/"))


def test_every_html_form_refuses_a_post_without_a_csrf_token(app, clock):
    clock(london(2026, 12, 1, 11))
    paths = html_form_posts(app)
    assert {"/login", "/logout", "/complain", "/tasks/t"} <= set(paths)
    admin = Browser(app, "adam")  # signed in: what a forged cross-site post would ride on
    anonymous = app.test_client()
    anonymous.get("/complain")  # a visitor's session holds a token, so a forged one is compared with it
    refused = []
    for path in paths:
        for client in (admin.client, anonymous):
            missing = client.post(path, data={"text": "x"})
            forged = client.post(path, data={"text": "x", "csrf_token": "forged"})
            refused += [missing.status_code == 400 and b"The CSRF token is missing." in missing.data,
                        forged.status_code == 400 and b"The CSRF token is invalid." in forged.data]
            assert refused[-2:] == [True, True], f"{path}: {missing.status_code}, {forged.status_code}"
    print(f"CSRF: {len(paths)} HTML POST routes, {len(refused)} forged posts refused")
    # With the page's token the same kind of post passes CSRF and reaches its view.
    token = csrf_token(admin.page("/learning"))
    assert admin.client.post("/learning", data={"title": "", "csrf_token": token}).status_code == 302


def test_the_api_ignores_the_session_cookie(app):
    # The API is exempt from CSRF because only a bearer token opens it: a signed-in browser gets 401.
    browser = Browser(app, "adam")
    api_rules = [key for key in served_rules(app) if " /api/v1/" in key and key != "GET /api/v1/openapi.json"]
    assert len(api_rules) > 20
    for key in api_rules:
        method, path = key.split(" ", 1)
        response = browser.client.open(fill(path, ANY_PARAMS), method=method)
        assert response.status_code == 401, key


@pytest.fixture
def production_app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The app as deployed: not TESTING, served under a real host name (its logging set up, then put back)."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    flask_app = create_app({"DATABASE_URL": database_url, "TESTING": False, "HOST": "complaints.example.org",
                            "SECRET_KEY": "production-like", "DEMO_USERS": True,
                            "BROKER_URL": REDIS_URL or f"sqla+sqlite:///{tmp_path / 'broker.db'}",
                            "RESULT_BACKEND": f"db+sqlite:///{tmp_path / 'results.db'}"})
    prepare(flask_app)
    yield flask_app
    flask_app.extensions["complaintflow_engine"].dispose()
    root.handlers[:] = handlers
    root.setLevel(level)
    logging.captureWarnings(False)


def cookie_attributes(set_cookie: str) -> dict[str, str]:
    """`name=value; Secure; SameSite=Lax` → {"secure": "", "samesite": "Lax", …} (names lower-cased)."""
    parts = [part.strip() for part in set_cookie.split(";")[1:]]
    return {name.lower(): value for name, _, value in (part.partition("=") for part in parts)}


def test_the_session_cookie_is_secure_httponly_and_lax_in_production(production_app):
    client = production_app.test_client()
    site = "https://complaints.example.org"
    page = client.get("/login", base_url=site).get_data(as_text=True)
    # Over HTTPS, Flask-WTF also wants the Referer of our own site.
    response = client.post("/login", base_url=site, headers={"Referer": f"{site}/login"},
                           data={"name": "olivia", "password": users.DEMO_PASSWORD, "csrf_token": csrf_token(page)})
    assert response.status_code == 302
    sessions = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert len(sessions) == 1, response.headers.getlist("Set-Cookie")
    flags = cookie_attributes(sessions[0])
    assert "secure" in flags and "httponly" in flags and flags.get("samesite") == "Lax", sessions[0]


def stored(ctx: AppContext, model: Any, *where: Any) -> list[Any]:
    """Rows of `model` as the database holds them."""
    with ctx.uow() as uow:
        rows = list(uow.session.scalars(select(model).where(*where)))
        uow.session.expunge_all()
        return rows


def test_passwords_are_stored_as_salted_werkzeug_hashes(ctx):
    password = "correct horse battery staple"
    users.add(ctx, "nadia", "officer", password)
    users.add(ctx, "nico", "officer", password)
    hashes = {u.name: u.password_hash for u in stored(ctx, User, User.name.in_(["nadia", "nico"]))}
    for value in hashes.values():
        assert re.match(r"(scrypt|pbkdf2):", value), value
        assert password not in value
        assert check_password_hash(value, password) and not check_password_hash(value, password + "!")
    assert hashes["nadia"] != hashes["nico"], "the same password must not give the same hash (salt)"
    for demo in stored(ctx, User, User.name == "olivia"):
        assert demo.password_hash.startswith(("scrypt:", "pbkdf2:")) and users.DEMO_PASSWORD not in demo.password_hash


def sha256_hex(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def test_api_tokens_are_stored_as_sha256_and_revoked_by_the_api(app, ctx):
    client = app.test_client()
    first, second = users.issue_token(ctx, "olivia"), users.issue_token(ctx, "olivia")
    olivia_id = users.actor_for_token(ctx, first).id
    rows = stored(ctx, ApiToken, ApiToken.user_id == olivia_id)
    assert sorted(r.token_hash for r in rows) == sorted(sha256_hex(t) for t in (first, second))
    for row in rows:
        assert re.fullmatch(r"[0-9a-f]{64}", row.token_hash)
        assert not any(token in str(getattr(row, column.key)) for column in ApiToken.__table__.columns
                       for token in (first, second))

    def get(token: str) -> int:
        return client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {token}"}).status_code

    assert get(first) == 200 and get(second) == 200
    revoked = client.delete("/api/v1/tokens/current", headers={"Authorization": f"Bearer {first}"})
    assert revoked.status_code == 204
    assert get(first) == 401 and get(second) == 200  # only the token the request was sent with
    assert client.delete("/api/v1/tokens/current", headers={"Authorization": f"Bearer {first}"}).status_code == 401
    assert [r.revoked_at is not None for r in stored(ctx, ApiToken, ApiToken.token_hash == sha256_hex(first))] == [True]
    assert users.revoke_token(ctx, first) is False and users.revoke_token(ctx, second) is True
    assert get(second) == 401


def test_revoke_every_token_of_a_user_from_the_command_line(app, ctx):
    client = app.test_client()
    runner = app.test_cli_runner()
    olivia = [users.issue_token(ctx, "olivia") for _ in range(2)]
    maya = users.issue_token(ctx, "maya")

    def get(token: str) -> int:
        return client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {token}"}).status_code

    result = runner.invoke(args=["users", "revoke-token", "olivia"])
    assert result.exit_code == 0 and result.output.strip() == "revoked 2 token(s) for olivia"
    assert [get(t) for t in olivia] == [401, 401] and get(maya) == 200
    assert runner.invoke(args=["users", "revoke-token", "olivia"]).output.strip() == "revoked 0 token(s) for olivia"
    unknown = runner.invoke(args=["users", "revoke-token", "nobody"])
    assert unknown.exit_code != 0 and "no user 'nobody'" in unknown.output
    assert users.revoke_tokens(app_context(app), "maya") == 1 and get(maya) == 401
