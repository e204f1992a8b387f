"""Approving a remedy where the profile requires it (e.g. seed-001: the Head of Service, for money)."""

from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired

from forms.base import TaskForm


class Form(TaskForm):
    """Approve the remedy as proposed, or not."""

    remedy_approval = RadioField("Decision", choices=[("approve", "Approve"), ("reject", "Do not approve")],
                                 validators=[InputRequired()])
    remedy_approval_reasons = TextAreaField("Reasons (including how the level compares with similar cases)",
                                            validators=[DataRequired()])
