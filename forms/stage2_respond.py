"""Stage 2 final response: decision, reasons, remedy, outstanding actions (Code 6.19)."""

from wtforms import DateField, RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired

from forms.analysis import analysis_fields, offer_analysis_choices
from forms.base import TaskForm
from forms.offer_remedy import response_remedy_check, response_remedy_fields
from forms.stage1_respond import DECISIONS
from service.domain.calendar import london_today


class Form(TaskForm):
    """The final decision as it goes to the resident; the category and root cause start as Stage 1 left them."""

    prefill = True

    stage2_responded_on = DateField("Responded on", default=london_today, validators=[DataRequired()])
    stage2_decision = RadioField("Decision", choices=DECISIONS, validators=[InputRequired()])
    stage2_reasons = TextAreaField("Reasons for the decision", validators=[DataRequired()])
    stage2_remedy = TextAreaField("Remedy offered, in the words of the letter (optional)")
    (stage2_remedy_kinds, stage2_time_and_trouble, stage2_distress_and_inconvenience,
     stage2_quantifiable_loss) = response_remedy_fields()
    validate_stage2_remedy_kinds = response_remedy_check("stage2")
    complaint_category, root_cause = analysis_fields()
    stage2_outstanding_actions = TextAreaField("Outstanding actions, with owners and dates (optional)")

    def configure(self) -> None:
        """The profile's categories and root causes."""
        offer_analysis_choices(self)

    def validate_stage2_responded_on(self, field: DateField) -> None:
        """Not in the future, not before receipt."""
        self.check_event_date(field)
