"""The public complaint form at /complain: what a resident tells us, in their words, with no login."""

from __future__ import annotations

from wtforms import DateField, EmailField, Field, RadioField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Email, Length, Optional

from forms.base import TaskForm
from forms.person import PersonNeeds
from service.domain.reporting import TENURE_QUESTION


class Form(TaskForm, PersonNeeds):
    """A resident's complaint: who they are, how to reach them, what happened, what they want."""

    name = StringField("Your name", validators=[DataRequired(), Length(max=200)])
    email = EmailField("Email", validators=[Optional(), Email(), Length(max=254)],
                       description="We send letters here as PDF. Leave blank to get them by post.")
    phone = StringField("Phone", validators=[Optional(), Length(max=40)])
    # No Optional(): it would stop the chain before the "some way to reply" check.
    address = TextAreaField("Your address, or the home your complaint is about", validators=[Length(max=2000)])
    # The regulator counts complaints from renters and shared owners apart from everyone else's (TSM CH01).
    tenure = RadioField("Your home", choices=list(TENURE_QUESTION.items()), default="unknown",
                        validators=[Optional()])
    tenancy_ended_on = DateField("If you have moved out: when your tenancy ended", validators=[Optional()])
    description = TextAreaField("What happened", validators=[DataRequired(), Length(max=20000)])
    outcome_sought = TextAreaField("What would put it right for you", validators=[Optional(), Length(max=5000)])
    # A field people never see (hidden by CSS, and labelled so); bots that fill every field give themselves away.
    website = StringField("Leave this empty", validators=[Optional()])

    def validate_address(self, field: Field) -> None:
        """We need one way to reply."""
        if not (self.email.data or self.phone.data or (field.data or "").strip()):
            raise ValidationError("Give us an email, a phone number or an address so we can reply.")

    def validate_tenancy_ended_on(self, field: Field) -> None:
        """A tenancy cannot end in the future."""
        if field.data is not None and field.data > self.context["today"]:
            raise ValidationError("The date your tenancy ended cannot be in the future.")

    @property
    def is_bot(self) -> bool:
        """Whether the hidden field was filled in."""
        return bool((self.website.data or "").strip())
