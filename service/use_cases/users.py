"""Staff accounts: add, authenticate by password, issue and check API bearer tokens (stored hashed)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from service.persistence.db import read_row
from service.persistence.models import ApiToken, SignInFailures, User
from service.use_cases.context import Actor, AppContext, now
from service.use_cases.errors import Forbidden, Invalid, NotFound
from service.use_cases.projection import Change, record

DEMO_USERS = [
    ("olivia", "Olivia Officer", "officer"),
    ("owen", "Owen Officer", "officer"),
    ("maya", "Maya Manager", "manager"),
    ("max", "Max Manager", "manager"),
    ("priya", "Priya Process-Owner", "process_owner"),
    ("adam", "Adam Admin", "admin"),
]
DEMO_PASSWORD = "complaintflow"


def _actor(user: User) -> Actor:
    return Actor(id=user.id, name=user.display_name, role=user.role)


def add(app: AppContext, name: str, role: str, password: str | None = None, display_name: str | None = None) -> str:
    """Add a member of staff; returns the password (generated when not given). Raises Invalid."""
    if role not in app.policy.roles:
        raise Invalid({"role": f"unknown role {role!r}; roles are {', '.join(app.policy.roles)}"})
    password = password or secrets.token_urlsafe(12)
    with app.uow() as uow:
        if uow.session.scalar(select(User.id).where(User.name == name)) is not None:
            raise Invalid({"name": f"a user called {name!r} already exists"})
        uow.session.add(User(name=name, display_name=display_name or name, role=role,
                             password_hash=generate_password_hash(password)))
        uow.commit()
    return password


def demo_users(app: AppContext) -> list[tuple[str, str, str, str | None]]:
    """The active profile's demo staff (name, display name, role, line manager)."""
    return app.policy.demo_users or [(name, display, role, None) for name, display, role in DEMO_USERS]


def ensure_demo_users(app: AppContext) -> None:
    """Create the active profile's demo staff (one or more per role) if they are missing."""
    with app.uow() as uow:
        session = uow.session
        existing = {user.name: user for user in session.scalars(select(User))}
        password_hash = generate_password_hash(DEMO_PASSWORD)  # hashing is slow on purpose: once is enough
        for name, display_name, role, _ in demo_users(app):
            if name not in existing:
                existing[name] = User(name=name, display_name=display_name, role=role, password_hash=password_hash)
                session.add(existing[name])
        session.flush()
        for name, _, _, manager in demo_users(app):
            if manager is not None and manager in existing:
                existing[name].manager_id = existing[manager].id
        uow.commit()


class AccountLocked(Forbidden):
    """Too many wrong passwords in a row: sign-in is refused until `until`, even with the right password."""

    def __init__(self, until: datetime) -> None:
        super().__init__(f"too many failed sign-ins; try again after {until:%H:%M} UTC")
        self.until = until


def authenticate(app: AppContext, name: str, password: str, address: str | None = None,
                 lockout: tuple[int, int] = (5, 15)) -> Actor | None:
    """The actor for a correct name and password, else None. After `lockout[0]` wrong passwords in a row for a
    name from one address, signing in as that name from that address is refused for `lockout[1]` minutes
    (AccountLocked): elsewhere the member of staff signs in as usual, and unknown names lock the same way. Every
    attempt goes on the audit trail."""
    after, minutes = lockout
    moment = now()
    with app.uow() as uow:
        session = uow.session
        failures = session.get(SignInFailures, (name, address or "unknown"), with_for_update=True)
        user = session.scalars(select(User).where(User.name == name, User.active.is_(True))).first()
        change = Change(user.id if user else None, moment)
        if failures is not None and failures.locked_until is not None and failures.locked_until > moment:
            record(session, None, change, "login_refused", f"Sign-in refused for {name}: locked from this address",
                   {"name": name, "address": address}, after={"locked_until": failures.locked_until.isoformat()})
            uow.commit()
            raise AccountLocked(failures.locked_until)
        if user is None or not check_password_hash(user.password_hash, password):
            # Locks over for a day are forgotten: the table holds addresses, which are personal data.
            session.execute(delete(SignInFailures).where(SignInFailures.locked_until < moment - timedelta(days=1)))
            if failures is None:
                failures = SignInFailures(name=name, address=address or "unknown", failed_logins=0)
                session.add(failures)
            before = _lock_state(failures)
            failures.failed_logins += 1
            if failures.failed_logins >= after:
                failures.locked_until, failures.failed_logins = moment + timedelta(minutes=minutes), 0
            record(session, None, change, "login_failed", f"Failed sign-in as {name}", {"name": name, "address": address},
                   before=before, after=_lock_state(failures))
            uow.commit()
            if failures.locked_until is not None and failures.locked_until > moment:
                raise AccountLocked(failures.locked_until)
            return None
        before = _lock_state(failures)
        if failures is not None:
            session.delete(failures)  # a right password starts the count again
        record(session, None, change, "login", f"{user.display_name} signed in", {"address": address},
               before=before, after=_lock_state(None))
        uow.commit()
        return _actor(user)


def _lock_state(failures: SignInFailures | None) -> dict[str, Any]:
    if failures is None:
        return {"failed_logins": 0, "locked_until": None}
    return {"failed_logins": failures.failed_logins,
            "locked_until": failures.locked_until.isoformat() if failures.locked_until else None}


def session_key(app: AppContext, user_id: int) -> str:
    """What a new session cookie of `user_id` carries: their id and the current session number."""
    with app.uow() as uow:
        user = uow.session.get(User, user_id)
        return f"{user_id}:{user.session_epoch if user is not None else 0}"


def actor_for_session(app: AppContext, key: str) -> Actor | None:
    """The actor whose session cookie carries `key`, unless they signed out since (or left, or the key is junk)."""
    user_id, _, epoch = key.partition(":")
    if not (user_id.isdecimal() and epoch.isdecimal()) or int(user_id) > 2**31 - 1:
        return None
    user = read_row(app.session_factory, select(User.id, User.display_name, User.role).where(
        User.id == int(user_id), User.active.is_(True), User.session_epoch == int(epoch)))
    return Actor(id=user.id, name=user.display_name, role=user.role) if user else None


def end_sessions(app: AppContext, user_id: int) -> None:
    """Sign `user_id` out everywhere: every session cookie they hold stops working."""
    with app.uow() as uow:
        uow.session.execute(update(User).where(User.id == user_id).values(session_epoch=User.session_epoch + 1))
        uow.commit()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(app: AppContext, name: str) -> str:
    """A new bearer token for user `name`; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    with app.uow() as uow:
        user = uow.session.scalars(select(User).where(User.name == name)).first()
        if user is None:
            raise NotFound(f"no user {name!r}")
        uow.session.add(ApiToken(user_id=user.id, token_hash=_digest(token)))
        uow.commit()
    return token


def actor_for_token(app: AppContext, token: str) -> Actor | None:
    """The actor a bearer token belongs to, unless unknown or revoked."""
    user = read_row(app.session_factory, select(User.id, User.display_name, User.role).join(ApiToken).where(
        ApiToken.token_hash == _digest(token), ApiToken.revoked_at.is_(None), User.active.is_(True)))
    return Actor(id=user.id, name=user.display_name, role=user.role) if user else None


def revoke_token(app: AppContext, token: str) -> bool:
    """Revoke one bearer token, given as issued; False when it was unknown or already revoked."""
    with app.uow() as uow:
        row = uow.session.scalars(select(ApiToken).where(ApiToken.token_hash == _digest(token),
                                                         ApiToken.revoked_at.is_(None))).first()
        if row is None:
            return False
        row.revoked_at = now()
        uow.commit()
        return True


def revoke_tokens(app: AppContext, name: str) -> int:
    """Revoke every live bearer token of user `name`; returns how many. Raises NotFound."""
    with app.uow() as uow:
        user_id = uow.session.scalar(select(User.id).where(User.name == name))
        if user_id is None:
            raise NotFound(f"no user {name!r}")
        rows = uow.session.scalars(select(ApiToken).where(ApiToken.user_id == user_id,
                                                          ApiToken.revoked_at.is_(None))).all()
        moment = now()
        for row in rows:
            row.revoked_at = moment
        uow.commit()
        return len(rows)


def staff(app: AppContext) -> list[tuple[str, str, str]]:
    """(name, display name, role) of every active member of staff."""
    with app.uow() as uow:
        return [(u.name, u.display_name, u.role) for u in
                uow.session.scalars(select(User).where(User.active.is_(True)).order_by(User.role, User.name))]


def staff_choices(app: AppContext) -> list[tuple[str, str]]:
    """(user name, display name) of every active member of staff, by display name: who a form may name."""
    with app.uow() as uow:
        return staff_choices_in(uow.session)


def staff_choices_in(session: Session) -> list[tuple[str, str]]:
    """staff_choices, read in a session already open."""
    return [(u.name, u.display_name) for u in
            session.scalars(select(User).where(User.active.is_(True)).order_by(User.display_name))]
