"""Sending the Ombudsman what they asked for, with an evidence pack of the case file."""

from wtforms import BooleanField, DateField, TextAreaField, ValidationError
from wtforms.validators import DataRequired

from forms.base import TaskForm


class Form(TaskForm):
    """When it was sent and what the pack contained."""

    information_sent_on = DateField("Sent on", validators=[DataRequired()])
    evidence_pack_sent = BooleanField("The case file's evidence pack was included (complaint, correspondence, history)")
    information_sent = TextAreaField("What was sent", validators=[DataRequired()])

    def validate_information_sent_on(self, field: DateField) -> None:
        """Not in the future, not before receipt."""
        self.check_event_date(field)

    def validate_evidence_pack_sent(self, field: BooleanField) -> None:
        """The Ombudsman gets the case file, not a summary of it."""
        if not field.data:
            raise ValidationError("Send the evidence pack of the case file (see the case file page).")
