"""Escalation: the resident asks for Stage 2, or the complaint closes.

The Code requires no reasons (6.12); a profile may require them (e.g. what they disagree with and the outcome
they want), and then they are required here.
"""

from wtforms import DateField, RadioField, TextAreaField
from wtforms.validators import InputRequired, ValidationError

from forms.base import Blank, TaskForm
from service.domain.deadlines import window_last_day


class Form(TaskForm):
    """Record the resident's escalation request, or that they did not escalate."""

    escalate = RadioField(
        "Did the resident ask to escalate?",
        choices=[("yes", "Yes: escalate to Stage 2"), ("no", "No: close the complaint")],
        validators=[InputRequired()],
    )
    escalation_requested_on = DateField("Escalation requested on", validators=[Blank()])
    escalation_reasons = TextAreaField("What the resident remains unhappy about")
    escalation_outcome_sought = TextAreaField("The outcome the resident now wants")

    def _reasons_required(self) -> bool:
        return self.escalate.data == "yes" and bool(
            self.context.get("policy", {}).get("escalation", {}).get("reasons_required"))

    def validate_escalation_requested_on(self, field: DateField) -> None:
        """Needed when escalating; not in the future, not before receipt, not after the profile's window."""
        self.require_when(field, self.escalate.data == "yes", "Give the date the resident asked to escalate.")
        self.check_event_date(field)
        window = self.context.get("policy", {}).get("escalation", {}).get("window")
        response = self.context.get("deadlines", {}).get("stage1_response")
        if self.escalate.data != "yes" or not window or field.data is None or response is None or not response.met_on:
            return
        # The window's timer closes the task at the end of its last day, but the sweep may not have run yet.
        last = window_last_day(response.met_on, window)
        if field.data > last:
            raise ValidationError(
                f"The resident asked on {field.data:%d %B %Y}, after the time to ask for Stage 2 ended on "
                f"{last:%d %B %Y} ({window['days']} {window.get('unit', 'working')} days from the Stage 1 response "
                f"of {response.met_on:%d %B %Y}). Choose \"No\" to close the complaint, and tell the resident they "
                "can take it to the Housing Ombudsman.")

    def validate_escalation_reasons(self, field: TextAreaField) -> None:
        """Required only where this procedure asks for reasons."""
        self.require_when(field, self._reasons_required(), "This procedure asks what the resident disagrees with.")

    def validate_escalation_outcome_sought(self, field: TextAreaField) -> None:
        """Required only where this procedure asks for the outcome wanted."""
        self.require_when(field, self._reasons_required(), "This procedure asks what outcome the resident wants.")
