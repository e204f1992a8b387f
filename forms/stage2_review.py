"""Stage 2 review by a manager who did not handle Stage 1 (Code 6.13); may agree an extension (6.15–6.16)."""

from wtforms import DateField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired

from forms.base import Blank, TaskForm, extension_agreed_field


class Form(TaskForm):
    """Review findings, and whether the final response can be sent in time."""

    review_notes = TextAreaField("Review findings", validators=[DataRequired()])
    stage2_next_step = RadioField(
        "Next step", choices=[("respond", "Ready to respond"), ("extend", "Extend the deadline")],
        validators=[InputRequired()], default="respond",
    )
    stage2_extended_to = DateField("New response date", validators=[Blank()])
    stage2_extension_reasons = TextAreaField("Reasons for the extension (sent to the resident)")
    stage2_extension_agreed_by = extension_agreed_field()
    stage2_beyond_cap_reason = TextAreaField(
        "Only to go beyond the procedure's limit on extensions: the good reason (exceptional circumstances)")

    def validate_stage2_extended_to(self, field: DateField) -> None:
        """Within the cap, after the current date, and only before the deadline passes."""
        self.check_extension("2", self.stage2_next_step, field, self.stage2_beyond_cap_reason)

    def validate_stage2_extension_reasons(self, field: TextAreaField) -> None:
        """An extension must give reasons."""
        self.require_when(field, self.stage2_next_step.data == "extend", "Give the reasons for the extension.")

    def validate_stage2_extension_agreed_by(self, field: SelectField) -> None:
        """Agreed with the resident the way the procedure says."""
        self.check_extension_agreed("2", self.stage2_next_step, field)

    def validate_stage2_beyond_cap_reason(self, field: TextAreaField) -> None:
        """Only for an extension beyond the procedure's limit."""
        self.check_beyond_cap_reason("2", self.stage2_next_step, self.stage2_extended_to, field)
