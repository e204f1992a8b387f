"""Stage 2 final response: decision, reasons, remedy, outstanding actions (Code 6.19)."""

from wtforms import DateField, RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired

from forms.base import TaskForm
from forms.stage1_respond import DECISIONS
from service.domain.calendar import london_today


class Form(TaskForm):
    """The final decision as it goes to the resident."""

    stage2_responded_on = DateField("Responded on", default=london_today, validators=[DataRequired()])
    stage2_decision = RadioField("Decision", choices=DECISIONS, validators=[InputRequired()])
    stage2_reasons = TextAreaField("Reasons for the decision", validators=[DataRequired()])
    stage2_remedy = TextAreaField("Remedy offered (optional)")
    stage2_outstanding_actions = TextAreaField("Outstanding actions, with owners and dates (optional)")

    def validate_stage2_responded_on(self, field: DateField) -> None:
        """Not in the future, not before receipt."""
        self.check_event_date(field)
