"""Errors use cases raise; the web layer maps each to one HTTP status."""

from __future__ import annotations

from datetime import datetime

# Raised by every unit of work when the database does not answer; the web layer answers 503 (re-exported here so
# that it need not reach into persistence).
from service.persistence.db import DatabaseUnavailable as DatabaseUnavailable


class UseCaseError(Exception):
    """Base of the errors below."""


class NotFound(UseCaseError):
    """No such complaint, task or user (404)."""


class Forbidden(UseCaseError):
    """The actor may not do this (403)."""


class Conflict(UseCaseError):
    """The thing changed under the actor: e.g. the task was already completed or cancelled (409)."""


class EditConflict(Conflict):
    """Someone else saved the thing being edited after the editor loaded it (409); nothing was stored.

    `version` is the stored version now (a page reloaded on it may save), `saved_by` and `saved_at` say whose
    save it is and when (see service.use_cases.concurrent_edits)."""

    def __init__(self, message: str, version: str, saved_by: str, saved_at: datetime | None) -> None:
        super().__init__(message)
        self.version, self.saved_by, self.saved_at = version, saved_by, saved_at

    def as_dict(self) -> dict[str, str | None]:
        """The details an API client needs to reload and try again."""
        return {"version": self.version, "saved_by": self.saved_by,
                "saved_at": self.saved_at.isoformat() if self.saved_at else None}


class Invalid(UseCaseError):
    """The data failed validation; `errors` maps each field to its message (422)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


class DiagramInvalid(UseCaseError):
    """A diagram failed its checks; `problems` name the element (and line) of each (422)."""

    def __init__(self, problems: list) -> None:  # list[service.workflow.validate.Problem]
        super().__init__("; ".join(str(problem.message) for problem in problems))
        self.problems = problems
