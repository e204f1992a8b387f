"""Stage 1 acknowledgement with the complaint definition (Code 5.6, 6.2), recorded the ways the procedure says
(seed-000: "by telephone or e-mail"; seed-001: "by telephone ... and confirm this in writing")."""

from typing import Any

from wtforms import DateField, SelectMultipleField, TextAreaField, ValidationError
from wtforms.validators import DataRequired

from forms.base import TaskForm, checkboxes
from service.domain.calendar import london_today

WAYS = {"phone": "By phone", "email": "By email", "letter": "By letter"}
# A profile's rule may name "writing": an email or a letter does.
_MEETS = {"phone": {"phone"}, "email": {"email"}, "letter": {"letter"}, "writing": {"email", "letter"}}
_SAY = {"phone": "by phone", "email": "by email", "letter": "by letter", "writing": "in writing (email or letter)"}


def missing_ways(rule: dict[str, Any], chosen: set[str]) -> str | None:
    """What the acknowledgement still lacks under the profile's `acknowledge_by` rule ({all_of: [...]} or
    {any_of: [...]}), in words, or None when `chosen` meets it."""
    if rule.get("all_of"):
        lacking = [way for way in rule["all_of"] if not _MEETS[way] & chosen]
        return " and ".join(_SAY[way] for way in lacking) or None
    ways = rule.get("any_of") or []
    return None if not ways or any(_MEETS[way] & chosen for way in ways) else " or ".join(_SAY[w] for w in ways)


class Form(TaskForm):
    """When and how the complaint was acknowledged, and what it is about."""

    stage1_acknowledged_on = DateField("Acknowledged on", default=london_today, validators=[DataRequired()])
    acknowledged_by = checkboxes("How the resident was acknowledged (the letter or email this form sends counts "
                                 "as writing)", WAYS, required=None)  # the procedure's rule decides
    complaint_definition = TextAreaField("What the complaint is about", validators=[DataRequired()])
    outcome_sought = TextAreaField("The outcome the resident seeks", validators=[DataRequired()])

    def configure(self) -> None:
        """Say the procedure's rule beside the field."""
        rule = self.context.get("policy", {}).get("stage1", {}).get("acknowledge_by")
        if rule:
            self.acknowledged_by.description = f"This procedure says: “{rule['says']}”."

    def validate_stage1_acknowledged_on(self, field: DateField) -> None:
        """Not in the future, not before receipt."""
        self.check_event_date(field)

    def validate_acknowledged_by(self, field: SelectMultipleField) -> None:
        """The ways the procedure says a complaint is acknowledged, each recorded, with the policy's words."""
        rule = self.context.get("policy", {}).get("stage1", {}).get("acknowledge_by")
        lacking = missing_ways(rule, set(field.data or [])) if rule else None
        if lacking:
            field.description = ""  # the error below carries the procedure's words
            raise ValidationError(f"This procedure says: “{rule['says']}”. Record the acknowledgement {lacking}.")
