"""Logging a complaint received by any channel (Code 3.1): who, how, when, what, and the outcome sought."""

from __future__ import annotations

from datetime import UTC, date, datetime

from wtforms import DateField, EmailField, SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from forms.base import TaskForm
from forms.person import PersonNeeds
from service.domain.calendar import london_datetime
from service.domain.reporting import TENURES

CHANNELS = [
    ("phone", "Phone"), ("email", "Email"), ("letter", "Letter"), ("in_person", "In person"), ("web", "Web form"),
    ("social_media", "Social media"), ("text", "Text message"), ("councillor_mp", "Councillor or MP"),
]
EARLIEST = date(2000, 1, 1)


def parse_received(value: str) -> datetime:
    """An ISO date (taken as the start of that day in London) or datetime (naive taken as London) → UTC.
    Raises ValueError for anything else, including a moment that falls outside years 1–9999 in UTC."""
    text = value.strip()
    if len(text) == 10:
        return london_datetime(date.fromisoformat(text))
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        return london_datetime(moment.date(), moment.time())
    try:
        return moment.astimezone(UTC)
    except OverflowError as error:  # e.g. 0001-01-01T00:00+00:01 is in year 0 in UTC
        raise ValueError(f"{text} is outside the years 1 to 9999") from error


class Form(TaskForm, PersonNeeds):
    """The complaint as staff log it; `received_at` accepts a date or a datetime."""

    complainant_name = StringField("Complainant's name", validators=[DataRequired(), Length(max=200)])
    complainant_email = EmailField("Email", validators=[Optional(), Email(), Length(max=254)])
    complainant_phone = StringField("Phone", validators=[Optional(), Length(max=40)])
    complainant_address = TextAreaField("Address or tenancy", validators=[Optional(), Length(max=2000)])
    tenure = SelectField("Tenure", choices=list(TENURES.items()), default="low_cost_rental",
                         description="Which stock the complaint counts against in the TSM (CH01).")
    channel = SelectField("Received by", choices=CHANNELS, validators=[InputRequired()])
    received_at = StringField("Received on", validators=[DataRequired()],
                              description="A date (YYYY-MM-DD) or date and time; not in the future.")
    description = TextAreaField("What happened", validators=[DataRequired(), Length(max=20000)])
    issue_occurred_on = DateField("When the issue happened (if known)", validators=[Optional()])
    tenancy_ended_on = DateField("Former tenant: tenancy ended on", validators=[Optional()])
    outcome_sought = TextAreaField("Outcome sought (optional)", validators=[Optional(), Length(max=5000)])
    about_staff = SelectField("About a member of staff (optional)", choices=[], validate_choice=False,
                              validators=[Optional()])
    handler = SelectField("Handler", choices=[], validate_choice=False, validators=[Optional()])

    def configure(self) -> None:
        """Offer the staff who can handle Stage 1, and every member of staff a complaint may be about."""
        self.handler.choices = [("", "Assign automatically")] + list(self.context.get("handlers", []))
        self.about_staff.choices = [("", "—")] + list(self.context.get("staff", []))

    def validate_about_staff(self, field: SelectField) -> None:
        """When given, a member of staff we know."""
        if field.data and field.data not in dict(self.about_staff.choices or []):
            raise ValidationError("Not a member of staff.")

    def validate_received_at(self, field: StringField) -> None:
        """A real date or datetime, not in the future, not absurdly old."""
        try:
            moment = parse_received(field.data or "")
        except ValueError as error:
            raise ValidationError("Give a date as YYYY-MM-DD, or a date and time as YYYY-MM-DDTHH:MM.") from error
        if moment > self.context["now"]:
            raise ValidationError("The date received cannot be in the future.")
        if moment.date() < EARLIEST:
            raise ValidationError(f"The date received cannot be before {EARLIEST:%d %B %Y}.")

    def validate_issue_occurred_on(self, field: DateField) -> None:
        """Not in the future."""
        if field.data and field.data > self.context["today"]:
            raise ValidationError("The issue cannot have happened in the future.")

    def validate_tenancy_ended_on(self, field: DateField) -> None:
        """Not in the future."""
        if field.data and field.data > self.context["today"]:
            raise ValidationError("A tenancy that ends in the future is not a former tenancy.")

    def validate_handler(self, field: SelectField) -> None:
        """The handler, when given, must be one of the offered staff."""
        if field.data and field.data not in dict(self.handler.choices or []):
            raise ValidationError("Not a member of staff who can handle Stage 1.")
