"""Stage 2 acknowledgement with the complaint definition (Code 5.6, 6.11)."""

from wtforms import BooleanField, DateField, TextAreaField, ValidationError
from wtforms.validators import DataRequired

from forms.base import TaskForm
from service.domain.calendar import london_today


class Form(TaskForm):
    """When Stage 2 was acknowledged and what the review will cover."""

    stage2_acknowledged_on = DateField("Acknowledged on", default=london_today, validators=[DataRequired()])
    stage2_complaint_definition = TextAreaField("What the Stage 2 review will consider", validators=[DataRequired()])
    stage2_outcome_sought = TextAreaField("The outcome the resident seeks", validators=[DataRequired()])
    meeting_offered = BooleanField("A call or meeting was offered")

    def validate_meeting_offered(self, field: BooleanField) -> None:
        """Where the procedure promises a call or meeting at Stage 2, it must have been offered."""
        if self.context.get("policy", {}).get("stage2", {}).get("offer_meeting") == "required" and not field.data:
            raise ValidationError("This procedure offers the resident a call or meeting at Stage 2: offer it.")

    def validate_stage2_acknowledged_on(self, field: DateField) -> None:
        """Not in the future, not before receipt."""
        self.check_event_date(field)
