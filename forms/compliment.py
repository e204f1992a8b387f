"""Recording a compliment: from whom, how and when it came, who or which team it praises, and what it says."""

from __future__ import annotations

from wtforms import DateField, SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from forms.base import TaskForm
from forms.log_complaint import CHANNELS


class Form(TaskForm):
    """A compliment is about a member of staff, a team, or both."""

    from_name = StringField("From", validators=[DataRequired(), Length(max=200)])
    channel = SelectField("Received by", choices=CHANNELS, validators=[InputRequired()])
    received_on = DateField("Received on", validators=[DataRequired()])
    about_staff = SelectField("About a member of staff", choices=[], validators=[Optional()])
    about_team = StringField("About a team", validators=[Length(max=200)])  # checked with about_staff below
    description = TextAreaField("What they said", validators=[DataRequired(), Length(max=20000)])

    def configure(self) -> None:
        """Any active member of staff may be praised."""
        self.about_staff.choices = [("", "—"), *self.context.get("staff", [])]

    def validate_received_on(self, field: DateField) -> None:
        """Not in the future."""
        if field.data and field.data > self.context["today"]:
            raise ValidationError("A compliment cannot arrive in the future.")

    def validate_about_team(self, field: StringField) -> None:
        """Someone must be told: name the member of staff or the team."""
        if not self.about_staff.data and not (field.data or "").strip():
            raise ValidationError("Say which member of staff or which team the compliment is about.")
