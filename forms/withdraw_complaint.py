"""Withdrawing a complaint: the resident asked us to stop. When and how they asked are recorded; they need give
no reason."""

from wtforms import DateField, RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from forms.base import TaskForm

HOW = [("phone", "By phone"), ("email", "By email"), ("post", "By letter"), ("in_person", "In person"),
       ("web", "Online")]


class Form(TaskForm):
    """When and how the resident asked to withdraw, and what they said."""

    withdrawn_on = DateField("The resident asked to withdraw on", validators=[DataRequired()])
    withdrawal_asked_by = RadioField("How they asked", choices=HOW, validators=[InputRequired()])
    withdrawal_note = TextAreaField("What they said (optional)", validators=[Length(max=5000)])

    def validate_withdrawn_on(self, field: DateField) -> None:
        """Not in the future, not before receipt."""
        self.check_event_date(field)
