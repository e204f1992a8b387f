"""A learning action (Code 9): what will change because of a complaint, who owns it, and by when."""

from __future__ import annotations

from wtforms import DateField, SelectField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length

from forms.base import TaskForm


class Form(TaskForm):
    """The action, its owner among the staff, and its due date (today or later)."""

    action = TextAreaField("What will change", validators=[DataRequired(), Length(max=5000)])
    owner = SelectField("Owner", choices=[], validators=[InputRequired()])
    due_on = DateField("Due by", validators=[DataRequired()])

    def configure(self) -> None:
        """Any active member of staff may own an action."""
        self.owner.choices = [("", "—"), *self.context.get("staff", [])]

    def validate_due_on(self, field: DateField) -> None:
        """An action is planned: it cannot be due in the past."""
        if field.data and field.data < self.context["today"]:
            raise ValidationError("The due date cannot be in the past.")
