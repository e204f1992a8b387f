"""Letter templates: the shipped ones, and the versions admins save in the app (each save a new version; a letter
already sent keeps the text it was sent with)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2 import Undefined
from sqlalchemy import func, select

from service.outbound import letters
from service.persistence.models import Correspondence, LetterTemplate
from service.use_cases.concurrent_edits import Saved, ensure_unchanged
from service.use_cases.context import Actor, AppContext, now
from service.use_cases.correspondence import make_failed_letters
from service.use_cases.errors import Forbidden, Invalid, NotFound

SAMPLE = {
    "reference": "CF-2027-000123", "landlord": "Sample Homes", "today": "1 March 2027",
    "complainant": {"name": "Sam Resident", "address": "1 Sample Street"}, "representative": {},
    "handler": "Olivia Officer", "received_on": "1 March 2027", "description": "Damp in the bedroom",
    "due": {"stage1_acknowledge": "8 March 2027", "stage1_response": "15 March 2027",
            "stage2_acknowledge": "22 March 2027", "stage2_response": "5 April 2027"},
    "data": {}, "exclusion": "legal proceedings have started", "ombudsman": letters.OMBUDSMAN,
    "options": ["Refer your complaint to the Housing Ombudsman now."],
    "escalation": {"reasons_required": False, "by": "29 March 2027"}, "stage2_handler": "Maya Manager",
    "stage2_role": "Complaints manager",
}


def _current(session: Any, key: str) -> LetterTemplate | None:
    return session.scalars(select(LetterTemplate).where(LetterTemplate.key == key)
                           .order_by(LetterTemplate.version.desc()).limit(1)).first()


def _saved(row: LetterTemplate | None) -> Saved | None:
    return Saved(str(row.version), row.author, row.created_at) if row is not None else None


@dataclass(frozen=True)
class SavedTemplate:
    """A saved template version, and what became of the letters that had failed under the one before."""

    version: int
    made: int  # failed letters now made and sent
    still_failing: int


def all_templates(app: AppContext) -> list[dict[str, Any]]:
    """Every letter the procedure sends, with the version in use (0: the shipped one) and how many of its letters
    are waiting for the template to be fixed."""
    with app.uow() as uow:
        versions = dict(uow.session.execute(select(LetterTemplate.key, func.max(LetterTemplate.version))
                                            .group_by(LetterTemplate.key)).all())
        failed = dict(uow.session.execute(select(Correspondence.letter, func.count())
                                          .where(Correspondence.failure.is_not(None))
                                          .group_by(Correspondence.letter)).all())
    return [{"key": key, "title": title, "version": versions.get(key, 0), "failed": failed.get(key, 0)}
            for key, (title, _subject) in letters.LETTERS.items()]


def template(app: AppContext, key: str) -> dict[str, Any]:
    """The template of letter `key` in use; raises NotFound."""
    if key not in letters.LETTERS:
        raise NotFound(f"there is no letter {key!r}")
    with app.uow() as uow:
        saved = _current(uow.session, key)
        if saved is None:
            return {"key": key, "title": letters.LETTERS[key][0], "version": 0, "subject": letters.LETTERS[key][1],
                    "body": letters.default_template(key), "author": "shipped"}
        return {"key": key, "title": letters.LETTERS[key][0], "version": saved.version, "subject": saved.subject,
                "body": saved.body, "author": saved.author}


def save(app: AppContext, key: str, subject: str, body: str, actor: Actor,
         loaded: str | None = None) -> SavedTemplate:
    """Store a new version of letter `key` and make the letters that failed under the one before; raises
    Forbidden (admins only), NotFound, Invalid, or EditConflict when a version other than `loaded` (the one the
    editor opened; None: unchecked) is current by then."""
    if actor.role != "admin":
        raise Forbidden("only an admin may edit letter templates")
    if key not in letters.LETTERS:
        raise NotFound(f"there is no letter {key!r}")
    errors = {}
    if not subject.strip():
        errors["subject"] = "Give the email subject."
    problem = letters.template_error(body, {**SAMPLE, "data": _Anything()})
    if problem:
        errors["body"] = f"The template does not work: {problem}"
    if errors:
        raise Invalid(errors)
    with app.uow() as uow:
        ensure_unchanged(uow.session, f"letter_template:{key}", loaded, lambda: _saved(_current(uow.session, key)),
                         f"the template of the letter {letters.LETTERS[key][0]!r}")
        current = _current(uow.session, key)
        row = LetterTemplate(key=key, version=(current.version + 1) if current else 1, subject=subject.strip(),
                             body=body, author=actor.name)
        uow.session.add(row)
        uow.session.flush()
        made, still_failing = make_failed_letters(uow.session, app, key, actor.id, now())
        uow.commit()
        return SavedTemplate(row.version, made, still_failing)


class _Anything(dict[str, Any]):
    # Task data differs by letter: a field the trial render lacks is blank (as in a real letter), while a
    # misspelt top-level name (refrence) is still an error.
    def __missing__(self, key: str) -> Any:
        return Undefined(name=key)

