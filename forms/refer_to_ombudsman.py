"""Recording that a complaint was referred to the Housing Ombudsman."""

from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Length, Optional

from forms.base import TaskForm


class Form(TaskForm):
    """When, and the Ombudsman's reference if known."""

    referred_to_ombudsman_on = DateField("Referred on", validators=[DataRequired()])
    ombudsman_reference = StringField("Ombudsman's reference (if known)", validators=[Optional(), Length(max=80)])

    def validate_referred_to_ombudsman_on(self, field: DateField) -> None:
        """Not in the future, not before receipt."""
        self.check_event_date(field)
