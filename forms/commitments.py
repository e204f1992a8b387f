"""Commitments a response makes: an action, who owns it, and when it is due (Code 6.6, 7.3)."""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, DateField, FieldList, Form, FormField, StringField
from wtforms.validators import Length, Optional


class CommitmentRow(Form):
    """One commitment; a row left blank is ignored."""

    action = StringField("Action", validators=[Optional(), Length(max=500)])
    owner = StringField("Owner", validators=[Optional(), Length(max=200)])
    due = DateField("Due", validators=[Optional()])
    delivered = BooleanField("Delivered")

    def validate(self, extra_validators: Any = None) -> bool:
        """A row with an action needs its owner and due date (blank rows are fine)."""
        valid = super().validate(extra_validators)
        if (self.action.data or "").strip():
            if not (self.owner.data or "").strip():
                self.owner.errors.append("Name who owns this action.")
                valid = False
            if self.due.data is None and not self.due.errors:
                self.due.errors.append("Give the date this action is due.")
                valid = False
        return valid


def commitment_list(label: str) -> FieldList:
    """A list of commitment rows (three blank rows to fill in on the page)."""
    return FieldList(FormField(CommitmentRow), label=label, min_entries=3, max_entries=20)


def filled(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows that say something, dates as ISO strings."""
    return [{**row, "due": row["due"].isoformat() if row.get("due") else None}
            for row in rows if (row.get("action") or "").strip()]
