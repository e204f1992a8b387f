"""Stage 1 response: decision, reasons, remedy, outstanding actions (Code 6.6, 6.9)."""

from wtforms import DateField, RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired

from forms.analysis import analysis_fields, offer_analysis_choices
from forms.base import TaskForm
from forms.commitments import commitment_list
from forms.offer_remedy import response_remedy_check, response_remedy_fields
from service.domain.calendar import london_today
from service.domain.reporting import OUTCOMES

DECISIONS = list(OUTCOMES.items())


class Form(TaskForm):
    """The Stage 1 decision as it goes to the resident."""

    stage1_responded_on = DateField("Responded on", default=london_today, validators=[DataRequired()])
    stage1_decision = RadioField("Decision", choices=DECISIONS, validators=[InputRequired()])
    stage1_reasons = TextAreaField("Reasons for the decision", validators=[DataRequired()])
    stage1_remedy = TextAreaField("Remedy offered, in the words of the letter (optional)")
    (stage1_remedy_kinds, stage1_time_and_trouble, stage1_distress_and_inconvenience,
     stage1_quantifiable_loss) = response_remedy_fields()
    validate_stage1_remedy_kinds = response_remedy_check("stage1")
    complaint_category, root_cause = analysis_fields()
    stage1_commitments = commitment_list("Outstanding actions we commit to: what, who owns it, by when (optional)")

    def configure(self) -> None:
        """The profile's categories and root causes."""
        offer_analysis_choices(self)

    def validate_stage1_responded_on(self, field: DateField) -> None:
        """Not in the future, not before receipt."""
        self.check_event_date(field)
