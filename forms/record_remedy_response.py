"""The resident's answer to a remedy offered."""

from wtforms import DateField, RadioField
from wtforms.validators import DataRequired, InputRequired

from forms.base import TaskForm


class Form(TaskForm):
    """Accepted or declined, and when."""

    remedy_response = RadioField("Resident's answer", choices=[("accepted", "Accepted"), ("declined", "Declined")],
                                 validators=[InputRequired()])
    remedy_response_on = DateField("Answered on", validators=[DataRequired()])

    def validate_remedy_response_on(self, field: DateField) -> None:
        """Not in the future, not before receipt."""
        self.check_event_date(field)
