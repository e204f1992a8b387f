"""A compliment from a resident, on the public page: who they are, who or what they want to praise (if they
know), and what they want to say. Plain words; nothing but what they want to tell us is asked."""

from __future__ import annotations

from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from forms.base import TaskForm


class Form(TaskForm):
    """Name and what they want to say are needed; the rest helps us pass it on and thank them."""

    name = StringField("Your name", validators=[DataRequired(), Length(max=200)])
    email = EmailField("Your email, if you would like us to reply", validators=[Optional(), Email(), Length(max=254)])
    about = StringField("Who or which team you want to thank, if you know", validators=[Optional(), Length(max=200)])
    description = TextAreaField("What you want to tell us", validators=[DataRequired(), Length(max=20000)])
    # A field people never see (hidden by CSS, and labelled so); bots that fill every field give themselves away.
    website = StringField("Leave this empty", validators=[Optional()])

    @property
    def is_bot(self) -> bool:
        """Whether the hidden field was filled in."""
        return bool((self.website.data or "").strip())
