"""The outcome of a referral after Stage 2 (e.g. the ICP met and recommended)."""

from wtforms import DateField, TextAreaField
from wtforms.validators import DataRequired, Optional

from forms.base import TaskForm


class Form(TaskForm):
    """When the panel or designated person considered it, and what they concluded."""

    referral_met_on = DateField("Considered on", validators=[Optional()])
    referral_outcome = TextAreaField("Outcome and any recommendations", validators=[DataRequired()])

    def validate_referral_met_on(self, field: DateField) -> None:
        """Not in the future, not before receipt."""
        self.check_event_date(field)
