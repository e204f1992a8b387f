"""Optimistic concurrency for edits that replace what someone else may just have saved.

A page that edits a stored thing (a letter template, a built form, a draft diagram, the self-assessment, the
relevant homes, who holds a task) carries the version it was loaded from; the save hands it back, and
`ensure_unchanged` refuses the save when the stored version has moved on since, naming who saved it and when.
Nothing is locked while a page is open: two people may edit at once, and the second to save is told instead of
silently replacing the first's work.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from service.domain.calendar import LONDON
from service.use_cases.errors import EditConflict

# The version a page carries for something never saved (a letter on its shipped text, a form not yet built).
NEVER_SAVED = "0"


@dataclass(frozen=True)
class Saved:
    """The stored version of an edited thing: its version (as the page carries it), who saved it, and when."""

    version: str
    by: str
    at: datetime | None


def when(moment: datetime) -> str:
    """A moment as staff read it: London time, e.g. "14:05 on 3 March 2027"."""
    local = moment.astimezone(LONDON)
    return f"{local:%H:%M} on {local.day} {local:%B %Y}"


def _serialise_saves(session: Session, subject: str) -> None:
    # Check and write must be one step, or two saves landing together both pass the check. PostgreSQL: a lock
    # on the subject held to the end of the transaction (reads after it see the other save, READ COMMITTED).
    # SQLite transactions begin IMMEDIATE (persistence.db), so writers already queue.
    if session.get_bind().dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(subject.encode()).digest()[:8], "big", signed=True)
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def ensure_unchanged(session: Session, subject: str, loaded: str | None, read: Callable[[], Saved | None],
                     what: str) -> None:
    """Hold back other saves of `subject` until this transaction ends, then raise EditConflict unless the
    stored version (`read()`, None while nothing is stored) is still `loaded`, the one the editor started from.

    `subject` names what is edited ("letter_template:stage1_ack"), `what` says it in words for the message
    ("the Stage 1 acknowledgement letter"). `loaded` None: the caller sent no version (an API client that did
    not ask to be checked); saves are still serialised.
    """
    _serialise_saves(session, subject)
    stored = read()
    if loaded is None or stored is None or loaded.strip() == stored.version:
        return  # not asked to check, nothing stored to overwrite, or still the version the editor started from
    moment = f" at {when(stored.at)}" if stored.at is not None else ""
    raise EditConflict(f"{stored.by} saved {what}{moment}, after you opened it", stored.version, stored.by,
                       stored.at)
