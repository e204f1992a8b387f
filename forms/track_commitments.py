"""Following a response's commitments through (Code 6.6, 7.3): tick what was delivered, or record that the
resident asks to escalate. In profiles that say so, a commitment missed reopens the complaint at Stage 2."""

from wtforms import BooleanField, TextAreaField, ValidationError

from forms.base import TaskForm
from forms.commitments import commitment_list


class Form(TaskForm):
    """The commitments, as made (and since updated), with what has been delivered."""

    prefill = True
    stage1_commitments = commitment_list("Commitments: tick those delivered")
    resident_asks_to_escalate = BooleanField("The resident is unhappy with the response and asks to escalate")
    commitments_note = TextAreaField("Notes (optional)")

    def validate_stage1_commitments(self, field: object) -> None:
        """There is at least one commitment to track."""
        if not any((row.get("action") or "").strip() for row in self.stage1_commitments.data):
            raise ValidationError("List the commitments being tracked.")
