"""Proposing a remedy at any stage (Code 5.13, 7): what it is, and for money its breakdown."""

from decimal import Decimal

from wtforms import DecimalField, SelectMultipleField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, NumberRange, Optional

from forms.base import TaskForm, checkboxes, finite

KINDS = {"apology": "Apology", "explanation": "Explanation", "action": "Action to put things right",
         "reconsidered_decision": "Reconsidered decision", "financial": "Financial remedy"}
MONEY = [Optional(), finite, NumberRange(min=0, max=100000)]


class Form(TaskForm):
    """The remedy as it will be put to the resident."""

    remedy_kinds = checkboxes("Remedy", KINDS, required=True)
    remedy_description = TextAreaField("What we will do or pay, and why", validators=[DataRequired()])
    time_and_trouble = DecimalField("Time and trouble (£)", places=2, validators=MONEY)
    distress_and_inconvenience = DecimalField("Distress and inconvenience (£)", places=2, validators=MONEY)
    quantifiable_loss = DecimalField("Quantifiable loss (£)", places=2, validators=MONEY)

    def validate_remedy_kinds(self, field: SelectMultipleField) -> None:
        """A financial remedy has an amount; other remedies have none. (Checked here: the amounts are optional
        fields, whose own validators stop at an empty value.)"""
        parts = (self.time_and_trouble, self.distress_and_inconvenience, self.quantifiable_loss)
        # NaN or Infinity typed as an amount is refused by its own field; here it counts as no amount.
        total = sum((f.data for f in parts if f.data is not None and f.data.is_finite()), Decimal("0"))
        financial = "financial" in (field.data or [])
        if financial and total <= 0:
            raise ValidationError("Give the amount, broken down into its parts.")
        if not financial and total > 0:
            raise ValidationError("Tick 'Financial remedy' to offer money.")
