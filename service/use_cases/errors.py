"""Errors use cases raise; the web layer maps each to one HTTP status."""

from __future__ import annotations


class UseCaseError(Exception):
    """Base of the errors below."""


class NotFound(UseCaseError):
    """No such complaint, task or user (404)."""


class Forbidden(UseCaseError):
    """The actor may not do this (403)."""


class Conflict(UseCaseError):
    """The thing changed under the actor: e.g. the task was already completed or cancelled (409)."""


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
