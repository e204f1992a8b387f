"""What the Housing Ombudsman asked for or decided: an information request (with its deadline), the
determination (with its orders), or the case closing."""

from wtforms import DateField, RadioField, TextAreaField, ValidationError
from wtforms.validators import InputRequired

from forms.base import Blank, TaskForm
from forms.commitments import commitment_list


class Form(TaskForm):
    """One event in the Ombudsman's handling of the complaint."""

    ombudsman_event = RadioField("What happened", choices=[
        ("information_request", "The Ombudsman asked for information"),
        ("determination", "The Ombudsman made a determination"),
        ("closed", "The Ombudsman closed the case without a determination")], validators=[InputRequired()])
    information_requested = TextAreaField("What was asked for")
    information_due_on = DateField("Information due by", validators=[Blank()])
    determination = TextAreaField("The determination (findings, e.g. maladministration)")
    ombudsman_orders = commitment_list("Orders: what, who owns it, by when")

    def validate_information_requested(self, field: TextAreaField) -> None:
        """An information request says what was asked for."""
        self.require_when(field, self.ombudsman_event.data == "information_request", "Say what was asked for.")

    def validate_information_due_on(self, field: DateField) -> None:
        """An information request has its deadline."""
        self.require_when(field, self.ombudsman_event.data == "information_request", "Give the deadline.")

    def validate_determination(self, field: TextAreaField) -> None:
        """A determination is recorded."""
        self.require_when(field, self.ombudsman_event.data == "determination", "Record the determination.")

    def validate_ombudsman_orders(self, field: object) -> None:
        """Orders only come with a determination."""
        if self.ombudsman_event.data != "determination" and any(
                (row.get("action") or "").strip() for row in self.ombudsman_orders.data):
            raise ValidationError("Orders come with a determination.")
