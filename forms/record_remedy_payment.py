"""Recording that an accepted financial remedy was paid."""

from wtforms import DateField, DecimalField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from forms.base import TaskForm, finite


class Form(TaskForm):
    """When it was paid, how much and how."""

    remedy_paid_on = DateField("Paid on", validators=[DataRequired()])
    remedy_paid_amount = DecimalField("Amount paid (£)", places=2, validators=[DataRequired(), finite,
                                                                             NumberRange(min=0.01, max=100000)])
    remedy_payment_method = StringField("How (e.g. bank transfer, rent account credit)",
                                        validators=[DataRequired(), Length(max=200)])

    def validate_remedy_paid_on(self, field: DateField) -> None:
        """Not in the future, not before receipt."""
        self.check_event_date(field)
