"""After a quick fix, the resident may still go formal within the procedure's window."""

from wtforms import DateField, RadioField
from wtforms.validators import InputRequired

from forms.base import Blank, TaskForm


class Form(TaskForm):
    """Did the resident ask to make it a formal complaint? Stage 1 then counts from that request."""

    go_formal = RadioField(
        "Resident's answer", choices=[("yes", "Asked to make a formal complaint"), ("no", "Satisfied: close")],
        validators=[InputRequired()],
    )
    stage1_received_on = DateField("Formal complaint requested on", validators=[Blank()])

    def validate_stage1_received_on(self, field: DateField) -> None:
        """Needed when going formal; not in the future, not before receipt."""
        self.require_when(field, self.go_formal.data == "yes", "Give the date the resident asked to go formal.")
        self.check_event_date(field)
