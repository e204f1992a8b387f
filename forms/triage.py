"""Triage: accept the complaint, or refuse it under a permitted exclusion (Code 2.1–2.4)."""

from wtforms import BooleanField, RadioField, SelectField, TextAreaField, ValidationError
from wtforms.validators import InputRequired

from forms.base import TaskForm


class Form(TaskForm):
    """Accept, or refuse with the exclusion, the reasons, and the resident told of the Ombudsman route."""

    triage_decision = RadioField(
        "Decision", choices=[("accept", "Accept the complaint"), ("refuse", "Refuse under an exclusion")],
        validators=[InputRequired()],
    )
    exclusion = SelectField("Exclusion that applies", choices=[], validate_choice=False)
    refusal_reasons = TextAreaField("Reasons for refusing")
    ombudsman_informed = BooleanField("The resident was told of their right to go to the Housing Ombudsman")
    triage_notes = TextAreaField("Complexity, vulnerability or adjustments noted (optional)")

    def configure(self) -> None:
        """Offer only the exclusions the active profile permits."""
        exclusions = self.context.get("policy", {}).get("exclusions") or {}
        self.exclusion.choices = [("", "—")] + list(exclusions.items())

    def validate_exclusion(self, field: SelectField) -> None:
        """A refusal names one of the profile's exclusions."""
        refusing = self.triage_decision.data == "refuse"
        self.require_when(field, refusing, "Choose the exclusion that applies.")
        if refusing and field.data not in dict(self.exclusion.choices or []):
            raise ValidationError("Not one of this procedure's exclusions.")

    def validate_refusal_reasons(self, field: TextAreaField) -> None:
        """A refusal must explain itself (Code 2.4)."""
        self.require_when(field, self.triage_decision.data == "refuse", "Explain why the complaint is refused.")

    def validate_ombudsman_informed(self, field: BooleanField) -> None:
        """A refused resident must be told they can go to the Ombudsman (Code 2.4)."""
        if self.triage_decision.data == "refuse" and not field.data:
            raise ValidationError("Tell the resident of their right to go to the Housing Ombudsman before refusing.")
