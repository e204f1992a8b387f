"""Proposing a contact restriction: the behaviour, the restrictions chosen, why they are proportionate, the
Equality Act 2010 considerations, and when it will be reviewed (Code 5.14-5.15)."""

from __future__ import annotations

from wtforms import DateField, SelectField, SelectMultipleField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length

from forms.base import TaskForm, checkboxes
from service.domain.restrictions import KINDS, channel_conflict


class Form(TaskForm):
    """The proposal a manager will decide on."""

    kinds = checkboxes("Restrictions proposed", KINDS, required=True)
    details = TextAreaField("Details (set call times, the 'other' restriction…)", validators=[Length(max=5000)])
    named_contact = SelectField("Named member of staff (for one-contact restrictions)", choices=[],
                                validate_choice=False)
    behaviour = TextAreaField("Behaviour seen, with dates", validators=[DataRequired(), Length(max=20000)])
    evidence = TextAreaField("Evidence", validators=[DataRequired(), Length(max=20000)])
    reasons = TextAreaField("Why this is proportionate", validators=[DataRequired(), Length(max=20000)])
    equality_considerations = TextAreaField(
        "Equality Act 2010 considerations, including any disclosed disability or vulnerability",
        validators=[DataRequired(), Length(max=20000)])
    review_on = DateField("Review date", validators=[DataRequired()])

    def configure(self) -> None:
        """Offer the staff who could be the single named contact."""
        self.named_contact.choices = [("", "—")] + list(self.context.get("staff", []))

    def validate_details(self, field: TextAreaField) -> None:
        """'Other' and set call times must be described."""
        needs = {"other", "call_times"} & set(self.kinds.data or [])
        self.require_when(field, bool(needs), "Describe the set times or the other restriction.")

    def validate_kinds(self, field: SelectMultipleField) -> None:
        """At most one 'only' channel: each names the one way the resident may contact us."""
        if conflict := channel_conflict(field.data):
            raise ValidationError(conflict)

    def validate_named_contact(self, field: SelectField) -> None:
        """A one-contact restriction names the contact, who must be one of our staff."""
        self.require_when(field, "one_contact" in (self.kinds.data or []), "Choose the named member of staff.")
        if field.data and field.data not in dict(self.named_contact.choices or []):
            raise ValidationError("Not a member of staff.")

    def validate_review_on(self, field: DateField) -> None:
        """A restriction is for a limited time: the review date is in the future, within a year."""
        today = self.context["today"]
        if field.data and field.data <= today:
            raise ValidationError("The review date must be in the future.")
        if field.data and (field.data - today).days > 366:
            raise ValidationError("Review a restriction at least once a year.")
