"""What a complaint form asks about the person: reasonable adjustments, disclosed vulnerabilities (Code 5.10), and
whether someone is complaining for them with their consent. Shared by the staff and the public forms."""

from __future__ import annotations

from typing import Any

from wtforms import Field, StringField, TextAreaField
from wtforms.validators import Length, Optional

from forms.base import checkboxes

ADJUSTMENTS = {
    "large_print": "Large print letters",
    "other_language": "Letters or an interpreter in another language",
    "phone_at_set_times": "Phone calls only at set times",
    "bsl": "British Sign Language interpreter",
    "easy_read": "Easy read",
    "email_only": "Contact by email only",
    "other": "Something else",
}


class PersonNeeds:
    """Form fields for adjustments, vulnerabilities and a representative (mix into a TaskForm), shown after the
    form's own fields."""

    LATE_FIELDS: tuple[str, ...] = ("adjustments", "adjustment_notes", "vulnerabilities", "representative_name",
                   "representative_relationship", "representative_contact", "representative_consent")

    adjustments = checkboxes("Reasonable adjustments needed", ADJUSTMENTS, required=False)
    # No Optional() on the two below: it would stop the chain before their "required when" checks run.
    adjustment_notes = TextAreaField("About those adjustments (which language, when to call…)",
                                     validators=[Length(max=2000)])
    vulnerabilities = TextAreaField("Anything about health or circumstances we should take into account (optional)",
                                    validators=[Optional(), Length(max=5000)])
    representative_name = StringField("Complaining for someone else? Your name", validators=[Optional(), Length(max=200)])
    representative_relationship = StringField("Your relationship to them (relative, advocate, councillor…)",
                                              validators=[Optional(), Length(max=200)])
    representative_contact = StringField("Your phone or email", validators=[Optional(), Length(max=254)])
    representative_consent = TextAreaField("How they agreed to you complaining for them (e.g. signed consent form)",
                                           validators=[Length(max=2000)])

    def validate_adjustment_notes(self, field: Field) -> None:
        """Another language, set call times and 'something else' need the detail."""
        chosen = set(self.adjustments.data or [])  # type: ignore[attr-defined]
        self.require_when(field, bool(chosen & {"other_language", "phone_at_set_times", "other"}),  # type: ignore[attr-defined]
                          "Tell us which language, what times, or what else you need.")

    def validate_representative_consent(self, field: Field) -> None:
        """A representative needs the resident's consent (or it must be explained)."""
        self.require_when(field, bool((self.representative_name.data or "").strip()),  # type: ignore[attr-defined]
                          "Say how the person you are complaining for agreed to it.")

    def person_needs(self) -> dict[str, Any]:
        """The values to store: adjustments on the person, the representative on the complaint."""
        data: dict[str, Any] = self.data  # type: ignore[attr-defined]
        name = (data.get("representative_name") or "").strip()
        return {
            "adjustments": [key for key in data.get("adjustments") or [] if key in ADJUSTMENTS],
            "adjustment_notes": (data.get("adjustment_notes") or "").strip(),
            "vulnerabilities": (data.get("vulnerabilities") or "").strip(),
            "representative": {"name": name, "relationship": (data.get("representative_relationship") or "").strip(),
                               "contact": (data.get("representative_contact") or "").strip(),
                               "consent": (data.get("representative_consent") or "").strip()} if name else None,
        }
