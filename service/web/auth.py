"""Staff login (session cookie) and API bearer tokens."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, g, jsonify, redirect, render_template, request, url_for
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from service.domain import access
from service.use_cases import users
from service.use_cases.context import Actor, AppContext
from service.web.limits import limiter

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in."


class StaffUser(UserMixin):
    """The logged-in member of staff, as Flask-Login needs them."""

    def __init__(self, actor: Actor, session_key: str) -> None:
        self.actor = actor
        self.id = actor.id
        self.session_key = session_key

    def get_id(self) -> str:
        """What the session cookie carries: the id and the session number (users.session_key)."""
        return self.session_key


def app_ctx() -> AppContext:
    """The use-case context of the running app."""
    context: AppContext = current_app.extensions["complaintflow"]
    return context


@login_manager.user_loader
def _load(session_key: str) -> StaffUser | None:
    # A cookie from before its owner signed out (or from before sessions had numbers) signs nobody in.
    actor = users.actor_for_session(app_ctx(), session_key)
    return StaffUser(actor, session_key) if actor else None


def actor() -> Actor:
    """The acting member of staff: the bearer token's owner on the API, else the logged-in user."""
    if "api_actor" in g:
        api_actor: Actor = g.api_actor
        return api_actor
    staff_actor: Actor = current_user.actor
    return staff_actor


def token_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """401 unless the request carries `Authorization: Bearer <token>` of an active user."""
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        found = users.actor_for_token(app_ctx(), token.strip()) if scheme.lower() == "bearer" and token else None
        if found is None:
            response = jsonify(error="unauthorized", message="Send Authorization: Bearer <token>.")
            response.status_code = 401
            response.headers["WWW-Authenticate"] = "Bearer"
            return response
        g.api_actor = found
        g.api_token = token.strip()  # so that DELETE /tokens/current can revoke it
        return view(*args, **kwargs)
    return wrapper


def reads_people(view: Callable[..., Any]) -> Callable[..., Any]:
    """403 for a role that may not read complainants' personal data (see service.domain.access). Goes under
    login_required or token_required, which establish who is asking."""
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not access.reads_personal_data(actor().role):
            abort(403, description=access.REFUSAL)
        return view(*args, **kwargs)
    return wrapper


def _login_limit() -> str:
    return f"{current_app.config['LOGIN_LIMIT']} per minute"


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login() -> Any:
    """Sign in with name and password; too many attempts from one address are refused (429), and signing in as a
    name from an address is paused for a while after several wrong passwords in a row."""
    name, password = request.form.get("name", "").strip()[:80], request.form.get("password", "")
    if request.method == "POST" and not (name and password):
        # Not an attempt at anyone's account: nothing to count towards a lock.
        flash("Enter your name and your password.", "error")
    elif request.method == "POST":
        try:
            found = users.authenticate(app_ctx(), name, password, request.remote_addr,
                                       (current_app.config["LOCKOUT_AFTER"], current_app.config["LOCKOUT_MINUTES"]))
        except users.AccountLocked as locked:
            flash(f"Too many wrong passwords for this name from here: signing in as it from this address is "
                  f"paused until {locked.until:%H:%M} UTC. Ask an administrator if you need to sign in sooner.",
                  "error")
            return render_template("login.html", demo=[], demo_password=users.DEMO_PASSWORD), 403
        if found is not None:
            login_user(StaffUser(found, users.session_key(app_ctx(), found.id)))
            return redirect(_local_path(request.args.get("next", "")) or url_for("staff.inbox"))
        flash("That name and password do not match.", "error")
    demo = current_app.config.get("DEMO_USERS") and not current_app.config.get("TESTING")
    listed = [(name, display, role) for name, display, role, _ in users.demo_users(app_ctx())] if demo else []
    return render_template("login.html", demo=listed, demo_password=users.DEMO_PASSWORD)


def _local_path(target: str) -> str | None:
    """`target` if it is a path on this site, else None. Browsers drop tabs and line breaks and read a backslash as
    a slash, so `/%09/evil.example` or `/\\evil.example` would leave the site: anything with those, a control
    character, a scheme or a host is refused."""
    if not target.startswith("/") or target.startswith("//") or any(c == "\\" or ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


@bp.post("/logout")
def logout() -> Any:
    """Sign out, here and everywhere: every session cookie of this person stops working."""
    if current_user.is_authenticated:
        users.end_sessions(app_ctx(), current_user.actor.id)
    logout_user()
    return redirect(url_for("auth.login"))
