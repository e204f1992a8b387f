"""Recording compliance with the Ombudsman's determination."""

from wtforms import DateField, TextAreaField
from wtforms.validators import DataRequired

from forms.base import TaskForm


class Form(TaskForm):
    """When compliance was evidenced to the Ombudsman, and how."""

    compliance_reported_on = DateField("Compliance reported to the Ombudsman on", validators=[DataRequired()])
    compliance_evidence = TextAreaField("Evidence of compliance", validators=[DataRequired()])

    def validate_compliance_reported_on(self, field: DateField) -> None:
        """Not in the future, not before receipt."""
        self.check_event_date(field)
