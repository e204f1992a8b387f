"""Validate submitted data with a form from forms/, whether it came from an HTML form or JSON."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

from forms import TaskForm
from service.use_cases.errors import Invalid

_IGNORED = {"csrf_token", "submit"}


def as_formdata(data: Any) -> MultiDict[str, str]:
    """JSON values as form values: booleans as checkbox ticks, lists as repeated keys, None as absent."""
    if isinstance(data, MultiDict):
        return data
    if not isinstance(data, dict):
        raise Invalid({"data": "Send an object of field values."})
    formdata: MultiDict[str, str] = MultiDict()
    for key, value in data.items():
        if value is None or value is False:
            continue
        for item in value if isinstance(value, list) else [value]:
            formdata.add(str(key), "y" if item is True else str(item))
    return formdata


def validated(form_cls: type[TaskForm], data: Any, context: dict[str, Any]) -> TaskForm:
    """A validated form; raises Invalid with one message per field (unknown fields included)."""
    formdata = as_formdata(data)
    form = form_cls(formdata, context=context)
    errors = {name: "Not a field of this form." for name in formdata if name not in form._fields and name not in _IGNORED}
    if not form.validate():
        for name, messages in form.errors.items():
            # A value that could not be read (e.g. "31/12/2026" for a date) says so, not just "required".
            unreadable = form[name].process_errors
            errors[name] = str(unreadable[0] if unreadable else messages[0])
    if errors:
        raise Invalid({name: str(message) for name, message in errors.items()})
    return form
