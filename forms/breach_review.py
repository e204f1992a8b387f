"""A manager's review of a missed deadline (Code 5.9: keep the resident updated when late)."""

from wtforms import DateField, TextAreaField
from wtforms.validators import DataRequired, Optional

from forms.base import TaskForm


class Form(TaskForm):
    """What was done about the missed deadline."""

    breach_action = TextAreaField("Action taken", validators=[DataRequired()])
    resident_updated_on = DateField("Resident updated on (optional)", validators=[Optional()])

    def validate_resident_updated_on(self, field: DateField) -> None:
        """Not in the future, not before receipt."""
        self.check_event_date(field)
