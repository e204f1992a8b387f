"""What every task form shares: the context it validates against, event-date rules, extension rules,
and the field description the JSON API publishes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from wtforms import Field, Form, ValidationError
from wtforms.fields import (
    BooleanField,
    DateField,
    FieldList,
    RadioField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Optional, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from service.domain.calendar import add_working_days


class TaskForm(Form):
    """A form whose validators can read `context`: today, the receipt date, the task data, the policy."""

    def __init__(self, formdata: Any = None, context: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(formdata, **kwargs)
        self.context: dict[str, Any] = context or {}
        self.configure()

    # Fields a mixin adds that belong after the form's own (a person's needs after who they are and what
    # happened): WTForms orders fields by when they were made, and a mixin's are made first.
    LATE_FIELDS: tuple[str, ...] = ()

    def __iter__(self) -> Any:
        """The fields in the order people fill them in: the form's own, then its LATE_FIELDS."""
        late = {name for cls in type(self).__mro__ for name in cls.__dict__.get("LATE_FIELDS", ())}
        fields = list(super().__iter__())
        return iter([f for f in fields if f.name not in late] + [f for f in fields if f.name in late])

    def configure(self) -> None:
        """Hook for choices that depend on the context (e.g. the profile's exclusions)."""

    def show_errors(self, errors: Mapping[str, str]) -> None:
        """Put a use case's field errors next to their fields; what was typed stays in the form."""
        for name, message in errors.items():
            if name in self._fields:
                self[name].errors = [message]

    def task_data(self) -> dict[str, Any]:
        """The validated values as JSON-ready task data (dates as ISO strings, blank list rows dropped)."""
        from forms.commitments import filled

        out: dict[str, Any] = {}
        for name, value in self.data.items():
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = str(value)  # money stays exact in task data
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                value = filled(value)
            out[name] = value
        return out

    # Shared validation helpers -------------------------------------------------------------------

    @staticmethod
    def error(message: str) -> ValidationError:
        """A validation error to raise from a field validator."""
        return ValidationError(message)

    def check_event_date(self, field: Field) -> None:
        """Staff record events after the fact: a date may be past, never future, never before receipt."""
        if field.data is None:
            return
        today: date = self.context["today"]
        if field.data > today:
            raise ValidationError(f"{field.label.text} cannot be in the future (today is {today:%d %B %Y}).")
        earliest = self.context.get("earliest_event_date")
        if earliest is not None and field.data < earliest:
            raise ValidationError(
                f"{field.label.text} cannot be before the complaint was received ({earliest:%d %B %Y})."
            )

    def require_when(self, field: Field, condition: bool, message: str = "This field is required.") -> None:
        """Make `field` required only when `condition` holds (e.g. reasons when refusing)."""
        if condition and (field.data is None or (isinstance(field.data, str) and not field.data.strip())):
            raise ValidationError(message)

    def check_extension(self, stage: str, next_step: Field, extended_to: Field, good_reason: Field) -> None:
        """An extension needs a new date after the current deadline, within the profile's cap of working days
        after the original one unless `good_reason` gives one (Code 6.4 and 6.15: "without good reason"), and is
        refused once the current deadline has passed (Code 6.4–6.5, 6.15–6.16)."""
        if next_step.data != "extend":
            return
        deadline = self.context.get("deadlines", {}).get(f"stage{stage}_response")
        if deadline is None:
            raise ValidationError("There is no response deadline to extend yet.")
        due = deadline.due
        today: date = self.context["today"]
        if today > due:
            raise ValidationError(
                f"The response was due on {due:%d %B %Y}: an extension must be agreed before the deadline passes."
            )
        if extended_to.data is None:
            raise ValidationError("Give the new response date.")
        if extended_to.data <= due:
            raise ValidationError(f"The new date must be after the current deadline ({due:%d %B %Y}).")
        limit = self._extension_limit(stage)
        if limit is None:
            return  # this procedure agrees the new date with the resident, with no cap of its own
        cap_days, latest = limit
        if extended_to.data > latest and not (good_reason.data or "").strip():
            raise ValidationError(
                f"An extension may add at most {cap_days} working days: the latest date is {latest:%d %B %Y}, "
                "unless there is a good reason to go beyond it: give it below, and it is flagged in the register."
            )

    def _extension_limit(self, stage: str) -> tuple[int, date] | None:
        """The profile's cap in working days and the latest response date it allows without a good reason, or
        None (no cap, or no response deadline yet)."""
        cap = self.context.get("policy", {}).get(f"stage{stage}", {}).get("extension_cap_days")
        deadline = self.context.get("deadlines", {}).get(f"stage{stage}_response")
        if cap is None or deadline is None:
            return None
        return int(cap), add_working_days(deadline.original_due, int(cap))

    def check_extension_agreed(self, stage: str, next_step: Field, agreed_by: Field) -> None:
        """How the new date was agreed with the resident, the way the procedure says where it says one
        (seed-000 and seed-001: "we will telephone you to agree when you will get a full response")."""
        if next_step.data != "extend":
            return
        rule = self.context.get("policy", {}).get(f"stage{stage}", {}).get("extension_agreed_by")
        if rule and agreed_by.data != rule["way"]:
            raise ValidationError(f"This procedure says: “{rule['says']}”. Agree the new date with the resident "
                                  f"{AGREED_WAYS[rule['way']].lower()} and record it.")
        if agreed_by.data and agreed_by.data not in AGREED_WAYS:
            raise ValidationError(f"Choose one of: {', '.join(AGREED_WAYS.values())}.")

    def check_beyond_cap_reason(self, stage: str, next_step: Field, extended_to: Field, reason: Field) -> None:
        """The good reason for going beyond the cap is given only when the new date is beyond it (it flags the
        complaint in the register)."""
        if not (reason.data or "").strip():
            return
        limit = self._extension_limit(stage)
        if next_step.data != "extend" or limit is None or extended_to.data is None or extended_to.data <= limit[1]:
            raise ValidationError("Leave this empty: it is only for an extension beyond the procedure's limit"
                                  + (f" (after {limit[1]:%d %B %Y})." if limit else "."))


AGREED_WAYS = {"phone": "By phone", "email": "By email", "letter": "By letter", "in_person": "In person"}


def extension_agreed_field() -> SelectField:
    """How an extension's new date was agreed with the resident (blank: not recorded)."""
    return SelectField("How the new date was agreed with the resident",
                       choices=[("", "—"), *AGREED_WAYS.items()], validate_choice=False)


class Blank:
    """Optional() for a date needed only when another answer calls for it: a blank value is no value and no
    error, but unlike Optional() the validation chain goes on, so the field's validate_<name> still runs and can
    require it (e.g. the new response date when extending). With Optional() such a check never ran on a blank
    date, and the procedure failed later on the missing value."""

    field_flags = {"optional": True}

    def __call__(self, form: Form, field: Field) -> None:
        """Clear the "not a valid date" a blank value gives; leave the data as it is (None, or the default)."""
        if not field.raw_data or isinstance(field.raw_data[0], str) and not field.raw_data[0].strip():
            field.errors[:] = []


def finite(form: Form, field: Field) -> None:
    """An amount must be a number: "NaN" and "Infinity" read as decimals but are none (and NumberRange cannot
    even compare a signalling NaN, "sNaN")."""
    if isinstance(field.data, Decimal) and not field.data.is_finite():
        raise StopValidation("Give an amount in pounds, such as 25.50.")


def checkboxes(label: str, choices: dict[str, str], required: bool | None) -> SelectMultipleField:
    """A set of tick boxes, one per choice (e.g. the restrictions, or the kinds of remedy): at least one when
    `required`; none allowed when False; None leaves it to the form's own validate_<field>, which then runs even
    with nothing ticked (Optional() would stop it)."""
    validators = [] if required is None else [InputRequired() if required else Optional()]
    return SelectMultipleField(label, choices=list(choices.items()), validators=validators,
                               widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def from_task_data(value: Any) -> Any:
    """Task data back into form values: ISO date strings become dates, inside lists and rows too."""
    if isinstance(value, dict):
        return {key: from_task_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [from_task_data(item) for item in value]
    if isinstance(value, str) and _ISO_DATE.match(value):
        return date.fromisoformat(value)
    return value


def field_type(field: Field) -> str:
    """The widget kind of a field, as the JSON API describes it."""
    if isinstance(field, DateField):
        return "date"
    if isinstance(field, BooleanField):
        return "boolean"
    if isinstance(field, (RadioField, SelectField)):
        return "choice"
    if isinstance(field, TextAreaField):
        return "text"
    return "string"


def describe(form: Form) -> list[dict[str, Any]]:
    """The form's fields as data: name, type, label, required, choices, description."""
    fields = []
    for field in form:
        if isinstance(field, FieldList):
            fields.append({"name": field.name, "type": "list", "label": field.label.text, "required": False,
                           "fields": describe(field.unbound_field.args[0]())})
            continue
        entry: dict[str, Any] = {
            "name": field.name,
            "type": field_type(field),
            "label": field.label.text,
            "required": any(isinstance(v, (DataRequired, InputRequired)) for v in field.validators),
        }
        if getattr(field, "choices", None) is not None:
            entry["choices"] = [{"value": value, "label": label} for value, label in field.choices]
            if isinstance(field, SelectMultipleField):
                entry["multiple"] = True
        if field.description:
            entry["description"] = field.description
        fields.append(entry)
    return fields
