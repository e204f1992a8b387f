"""Stage 1 acknowledgement with the complaint definition (Code 5.6, 6.2)."""

from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import DataRequired

from forms.base import TaskForm
from service.domain.calendar import london_today


class Form(TaskForm):
    """When and how the complaint was acknowledged, and what it is about."""

    stage1_acknowledged_on = DateField("Acknowledged on", default=london_today, validators=[DataRequired()])
    acknowledgement_method = SelectField(
        "Acknowledged by", choices=[("letter", "Letter"), ("email", "Email"), ("phone", "Phone, confirmed in writing")],
        default="letter",
    )
    complaint_definition = TextAreaField("What the complaint is about", validators=[DataRequired()])
    outcome_sought = TextAreaField("The outcome the resident seeks", validators=[DataRequired()])

    def validate_stage1_acknowledged_on(self, field: DateField) -> None:
        """Not in the future, not before receipt."""
        self.check_event_date(field)
