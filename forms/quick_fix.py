"""An informal stage, Stage 0 or quick fix (for the procedures that have one): put it right straight away."""

from wtforms import BooleanField, DateField, RadioField, TextAreaField
from wtforms.validators import InputRequired

from forms.base import Blank, TaskForm
from service.domain.calendar import london_today


class Form(TaskForm):
    """Whether the issue was put right at once, and what was agreed."""

    quick_fix_outcome = RadioField(
        "Outcome", choices=[("resolved", "Put right and agreed with the resident"),
                            ("not_resolved", "Not put right: make it a formal complaint")],
        validators=[InputRequired()],
    )
    quick_fix_resolved_on = DateField("Put right on", default=london_today, validators=[Blank()])
    quick_fix_agreed = TextAreaField("What was agreed with the resident")
    confirmation_sent = BooleanField("Confirmation letter sent (problem, report and agreed resolution)")

    def _resolved(self) -> bool:
        return self.quick_fix_outcome.data == "resolved"

    def validate_quick_fix_resolved_on(self, field: DateField) -> None:
        """Needed when resolved; not in the future, not before receipt."""
        self.require_when(field, self._resolved(), "Give the date it was put right.")
        self.check_event_date(field)

    def validate_quick_fix_agreed(self, field: TextAreaField) -> None:
        """A resolution records what was agreed."""
        self.require_when(field, self._resolved(), "Record what was agreed with the resident.")

    def validate_confirmation_sent(self, field: BooleanField) -> None:
        """Where the procedure promises a confirmation letter, it must be sent."""
        promised = self.context.get("policy", {}).get("informal", {}).get("confirmation_letter")
        if self._resolved() and promised and not field.data:
            raise self.error("This procedure sends the resident a confirmation letter: record that it was sent.")
