"""Escalation: the resident asks for Stage 2, or the complaint closes. No reasons are required (Code 6.12)."""

from wtforms import DateField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Optional

from forms.base import TaskForm


class Form(TaskForm):
    """Record the resident's escalation request, or that they did not escalate."""

    escalate = RadioField(
        "Did the resident ask to escalate?",
        choices=[("yes", "Yes: escalate to Stage 2"), ("no", "No: close the complaint")],
        validators=[InputRequired()],
    )
    escalation_requested_on = DateField("Escalation requested on", validators=[Optional()])
    escalation_notes = TextAreaField("What the resident remains unhappy about (optional; no reasons are required)")

    def validate_escalation_requested_on(self, field: DateField) -> None:
        """Needed when escalating; not in the future, not before receipt."""
        self.require_when(field, self.escalate.data == "yes", "Give the date the resident asked to escalate.")
        self.check_event_date(field)
