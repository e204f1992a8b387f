"""Following the Ombudsman's orders through: tick each when done (the next due date drives the timer)."""

from wtforms import TextAreaField, ValidationError

from forms.base import TaskForm
from forms.commitments import commitment_list


class Form(TaskForm):
    """The orders, as made, with what has been done."""

    prefill = True
    ombudsman_orders = commitment_list("Orders: tick those done")
    orders_note = TextAreaField("Notes (optional)")

    def validate_ombudsman_orders(self, field: object) -> None:
        """There is at least one order."""
        if not any((row.get("action") or "").strip() for row in self.ombudsman_orders.data):
            raise ValidationError("List the orders being complied with.")
