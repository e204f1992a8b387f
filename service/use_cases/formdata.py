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
        if isinstance(value, list) and all(isinstance(item, dict) for item in value) and value:
            # A list of objects (e.g. commitments) becomes WTForms' "name-0-field" keys.
            for index, item in enumerate(value):
                for sub_key, sub_value in item.items():
                    _add(formdata, f"{key}-{index}-{sub_key}", sub_value)
            continue
        _add(formdata, str(key), value)
    return formdata


def _add(formdata: MultiDict[str, str], key: str, value: Any) -> None:
    if value is None or value is False:
        return
    for item in value if isinstance(value, list) else [value]:
        formdata.add(key, "y" if item is True else str(item))


def _messages(name: str, field: Any, messages: Any) -> dict[str, str]:
    """One message per field; list rows report as "name-0-field"."""
    if isinstance(messages, list) and messages and isinstance(messages[0], dict):
        out: dict[str, str] = {}
        for index, row in enumerate(messages):
            for sub_name, sub_messages in (row or {}).items():
                out[f"{name}-{index}-{sub_name}"] = str(sub_messages[0])
        return out
    # A value that could not be read (e.g. "31/12/2026" for a date) says so, not just "required".
    unreadable = getattr(field, "process_errors", None)
    return {name: str(unreadable[0] if unreadable else messages[0])}


def validated(form_cls: type[TaskForm], data: Any, context: dict[str, Any]) -> TaskForm:
    """A validated form; raises Invalid with one message per field (unknown fields included)."""
    formdata = as_formdata(data)
    form = form_cls(formdata, context=context)
    errors = {name: "Not a field of this form." for name in formdata
              if name.split("-", 1)[0] not in form._fields and name not in _IGNORED}
    if not form.validate():
        for name, messages in form.errors.items():
            errors.update(_messages(name, form[name], messages))
    if errors:
        raise Invalid({name: str(message) for name, message in errors.items()})
    return form
