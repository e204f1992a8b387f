"""Where a procedure lets the landlord decline to escalate, the Stage 2 decision-maker decides, in writing."""

from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired

from forms.base import TaskForm


class Form(TaskForm):
    """Accept the escalation, or decline it with the written explanation sent to the resident."""

    escalation_decision = RadioField(
        "Decision", choices=[("accept", "Escalate to Stage 2"), ("decline", "Decline, with a written explanation")],
        validators=[InputRequired()],
    )
    decline_explanation = TextAreaField("Explanation sent to the resident")

    def validate_decline_explanation(self, field: TextAreaField) -> None:
        """A decline must be explained in writing."""
        self.require_when(field, self.escalation_decision.data == "decline",
                          "Explain in writing why escalation is declined.")
