"""One declarative form per user task, named by the form property of the task (its BPMN id by default).

Each module defines `Form`, a `forms.base.TaskForm`. The staff UI renders it server-side (CSRF comes from
Flask-WTF's CSRFProtect) and the JSON API validates with the same class.
"""

from __future__ import annotations

import importlib
import re

from forms.base import TaskForm, describe

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class UnknownForm(LookupError):
    """No form module of that name exists in forms/."""


def form_class(name: str) -> type[TaskForm]:
    """The form class called `name`; raises UnknownForm if there is none."""
    if not _NAME.match(name) or name in {"base"}:
        raise UnknownForm(name)
    try:
        module = importlib.import_module(f"forms.{name}")
    except ModuleNotFoundError as error:
        raise UnknownForm(name) from error
    cls = getattr(module, "Form", None)
    if not (isinstance(cls, type) and issubclass(cls, TaskForm)):
        raise UnknownForm(name)
    return cls


__all__ = ["TaskForm", "UnknownForm", "describe", "form_class"]
