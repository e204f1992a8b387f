"""Stage 1 investigation: findings, then respond or agree an extension (Code 6.4–6.5)."""

from wtforms import DateField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired

from forms.base import Blank, TaskForm, extension_agreed_field


class Form(TaskForm):
    """Findings so far, and whether the response can be sent in time."""

    investigation_notes = TextAreaField("Investigation findings", validators=[DataRequired()])
    stage1_next_step = RadioField(
        "Next step", choices=[("respond", "Ready to respond"), ("extend", "Extend the deadline")],
        validators=[InputRequired()], default="respond",
    )
    stage1_extended_to = DateField("New response date", validators=[Blank()])
    stage1_extension_reasons = TextAreaField("Reasons for the extension (sent to the resident)")
    stage1_extension_agreed_by = extension_agreed_field()
    stage1_beyond_cap_reason = TextAreaField(
        "Only to go beyond the procedure's limit on extensions: the good reason (exceptional circumstances)")

    def validate_stage1_extended_to(self, field: DateField) -> None:
        """Within the cap, after the current date, and only before the deadline passes."""
        self.check_extension("1", self.stage1_next_step, field, self.stage1_beyond_cap_reason)

    def validate_stage1_extension_reasons(self, field: TextAreaField) -> None:
        """An extension must give reasons."""
        self.require_when(field, self.stage1_next_step.data == "extend", "Give the reasons for the extension.")

    def validate_stage1_extension_agreed_by(self, field: SelectField) -> None:
        """Agreed with the resident the way the procedure says."""
        self.check_extension_agreed("1", self.stage1_next_step, field)

    def validate_stage1_beyond_cap_reason(self, field: TextAreaField) -> None:
        """Only for an extension beyond the procedure's limit."""
        self.check_beyond_cap_reason("1", self.stage1_next_step, self.stage1_extended_to, field)
