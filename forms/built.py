"""Forms a process owner builds in the browser: a list of field definitions turned into a TaskForm class.

A definition is plain data, stored in the database, so adding a step to the procedure needs no developer:
    {"name": "site_visit_on", "label": "Date of the site visit", "kind": "date", "required": true}
"""

from __future__ import annotations

import keyword
import re
from typing import Any

from wtforms import Field
from wtforms.fields import BooleanField, DateField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from forms.base import TaskForm

KINDS = {
    "text": "One line of text",
    "textarea": "Several lines of text",
    "date": "A date that has happened (not in the future)",
    "number": "A whole number",
    "choice": "One of a list of choices",
    "yes_no": "A tick box (yes / no)",
}
NAME = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
# Names the procedure itself reads or the form machinery uses: a built form may not overwrite them.
RESERVED = {"policy", "csrf_token", "context", "data", "errors", "meta", "submit"}


def definition_errors(name: str, title: str, fields: Any) -> dict[str, str]:
    """What is wrong with a form definition, by where it is ("name", "title", "fields.2.label"…)."""
    errors = {}
    if not NAME.match(name or "") or keyword.iskeyword(name):
        errors["name"] = "Use lower-case letters, digits and underscores, starting with a letter."
    if not (title or "").strip():
        errors["title"] = "Give the form a title."
    if not isinstance(fields, list) or not fields:
        errors["fields"] = "Add at least one field."
        return errors
    seen: set[str] = set()
    for index, field in enumerate(fields):
        where = f"fields.{index}"
        if not isinstance(field, dict):
            errors[where] = "Each field must be an object."
            continue
        field_name = field.get("name")
        if not isinstance(field_name, str) or not NAME.match(field_name) or keyword.iskeyword(field_name) \
                or field_name in RESERVED:
            errors[f"{where}.name"] = "Use lower-case letters, digits and underscores, starting with a letter."
        elif field_name in seen:
            errors[f"{where}.name"] = f"Two fields are called {field_name}."
        seen.add(str(field_name))
        if not isinstance(field.get("label"), str) or not field["label"].strip():
            errors[f"{where}.label"] = "Give the field a label."
        if field.get("kind") not in KINDS:
            errors[f"{where}.kind"] = f"Choose one of: {', '.join(KINDS)}."
        if field.get("kind") == "choice":
            choices = field.get("choices")
            if not isinstance(choices, list) or len(choices) < 2 or not all(
                    isinstance(c, str) and c.strip() for c in choices):
                errors[f"{where}.choices"] = "Give at least two choices."
    return errors


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "choice"


def _field(spec: dict[str, Any]) -> Field:
    label, kind, required = spec["label"], spec["kind"], bool(spec.get("required"))
    description = spec.get("help", "")
    needed = [DataRequired()] if required else [Optional()]
    if kind == "text":
        return StringField(label, needed + [Length(max=500)], description=description)
    if kind == "textarea":
        return TextAreaField(label, needed + [Length(max=20000)], description=description)
    if kind == "date":
        return DateField(label, needed, description=description)
    if kind == "number":
        return IntegerField(label, [InputRequired() if required else Optional(), NumberRange(min=0)],
                            description=description)
    if kind == "choice":
        choices = [(_slug(choice), choice) for choice in spec["choices"]]
        return RadioField(label, choices=choices, validators=[InputRequired() if required else Optional()],
                          description=description)
    return BooleanField(label, description=description)


def build_form(title: str, fields: list[dict[str, Any]]) -> type[TaskForm]:
    """A TaskForm class with one field per definition; date fields refuse the future and dates before receipt."""
    attributes: dict[str, Any] = {"title": title}
    dates = []
    for spec in fields:
        attributes[spec["name"]] = _field(spec)
        if spec["kind"] == "date":
            dates.append(spec["name"])
    for name in dates:
        # WTForms runs `validate_<field>` methods as inline validators.
        attributes[f"validate_{name}"] = lambda form, field: form.check_event_date(field)
    return type("BuiltForm", (TaskForm,), attributes)
