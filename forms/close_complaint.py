"""Closing a complaint, with the Ombudsman route recorded (Code 6.19)."""

from wtforms import BooleanField, TextAreaField, ValidationError

from forms.base import TaskForm


class Form(TaskForm):
    """Confirm the resident knows the Ombudsman route, then close."""

    ombudsman_route_explained = BooleanField("The resident was told how to refer to the Housing Ombudsman")
    closing_notes = TextAreaField("Closing notes (optional)")

    def validate_ombudsman_route_explained(self, field: BooleanField) -> None:
        """The complaint cannot close until the resident has been told of the Ombudsman route."""
        if not field.data:
            raise ValidationError("Record that the resident was told how to go to the Housing Ombudsman.")
