"""A manager's decision on a proposed (or renewed) contact restriction: approve, reject, or approve with
amendments. The proposer may not decide (enforced by the task, not the form)."""

from wtforms import DateField, RadioField, SelectMultipleField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Optional

from forms.base import TaskForm, checkboxes
from service.domain.restrictions import KINDS, channel_conflict


class Form(TaskForm):
    """Approve, reject or amend, with reasons."""

    decision = RadioField(
        "Decision", choices=[("approve", "Approve"), ("amend", "Approve with amendments"), ("reject", "Reject")],
        validators=[InputRequired()])
    reasons = TextAreaField("Reasons", validators=[DataRequired()])
    amended_kinds = checkboxes("Amended restrictions", KINDS, required=False)
    amended_review_on = DateField("Amended review date", validators=[Optional()])

    def validate_amended_kinds(self, field: SelectMultipleField) -> None:
        """Amending means saying what the restrictions become."""
        if self.decision.data == "amend" and not field.data:
            raise ValidationError("Choose the restrictions as amended.")
        if conflict := channel_conflict(field.data):
            raise ValidationError(conflict)

    def validate_amended_review_on(self, field: DateField) -> None:
        """An amended review date is in the future."""
        if field.data and field.data <= self.context["today"]:
            raise ValidationError("The review date must be in the future.")
