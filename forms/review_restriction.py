"""Reviewing a contact restriction on its review date: lift it, renew it (approved again), or amend it."""

from wtforms import DateField, RadioField, SelectMultipleField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, InputRequired

from forms.base import Blank, TaskForm, checkboxes
from service.domain.restrictions import KINDS, channel_conflict


class Form(TaskForm):
    """The review's outcome, with reasons and, unless lifting, the next review date."""

    review_outcome = RadioField(
        "Outcome", choices=[("lift", "Lift the restriction"), ("renew", "Renew it (needs approval again)"),
                            ("amend", "Amend it")], validators=[InputRequired()])
    review_reasons = TextAreaField("Reasons", validators=[DataRequired()])
    amended_kinds = checkboxes("Amended restrictions", KINDS, required=False)
    next_review_on = DateField("Next review date", validators=[Blank()])

    def validate_amended_kinds(self, field: SelectMultipleField) -> None:
        """Amending means saying what the restrictions become."""
        if self.review_outcome.data == "amend" and not field.data:
            raise ValidationError("Choose the restrictions as amended.")
        if conflict := channel_conflict(field.data):
            raise ValidationError(conflict)

    def validate_next_review_on(self, field: DateField) -> None:
        """Renewing or amending sets the next review, in the future."""
        self.require_when(field, self.review_outcome.data in ("renew", "amend"), "Give the next review date.")
        if field.data and field.data <= self.context["today"]:
            raise ValidationError("The review date must be in the future.")
