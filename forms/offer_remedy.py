"""Proposing a remedy at any stage (Code 5.13, 7): what it is, and for money its breakdown."""

from decimal import Decimal
from typing import Any

from wtforms import DecimalField, SelectMultipleField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from forms.base import TaskForm, checkboxes, finite

KINDS = {"apology": "Apology", "explanation": "Explanation", "action": "Action to put things right",
         "reconsidered_decision": "Reconsidered decision", "financial": "Financial remedy"}
MONEY = [Optional(), finite, NumberRange(min=0, max=100000)]


class Form(TaskForm):
    """The remedy as it will be put to the resident."""

    remedy_kinds = checkboxes("Remedy", KINDS, required=True)
    remedy_description = TextAreaField("What we will do or pay, and why", validators=[DataRequired()])
    time_and_trouble = DecimalField("Time and trouble (£)", places=2, validators=MONEY)
    distress_and_inconvenience = DecimalField("Distress and inconvenience (£)", places=2, validators=MONEY)
    quantifiable_loss = DecimalField("Quantifiable loss (£)", places=2, validators=MONEY)

    def validate_remedy_kinds(self, field: SelectMultipleField) -> None:
        """A financial remedy has an amount; other remedies have none. (Checked here: the amounts are optional
        fields, whose own validators stop at an empty value.)"""
        problem = _money_problem(list(field.data or []), [getattr(self, part).data for part in PARTS])
        if problem:
            raise ValidationError(problem)


def _money_problem(kinds: list[str], amounts: list[Decimal | None]) -> str | None:
    # NaN or Infinity typed as an amount is refused by its own field; here it counts as no amount.
    total = sum((amount for amount in amounts if amount is not None and amount.is_finite()), Decimal("0"))
    financial = "financial" in kinds
    if financial and total <= 0:
        return "Give the amount, broken down into its parts."
    if not financial and total > 0:
        return "Tick 'Financial remedy' to offer money."
    return None


def response_remedy_fields() -> tuple[Any, Any, Any, Any]:
    """The fields a response form (Stage 1 or 2) adds after its remedy text, so that the remedy it names is put
    on record with its kinds and, for money, its breakdown, and goes through the profile's approval like any
    other: kinds, then the three amounts. Name them `stageN_remedy_kinds`, `stageN_time_and_trouble`, … and
    check them with `response_remedy_check("stageN")`."""
    # No Optional() on the kinds: it would stop validation when nothing is ticked, before money without a kind
    # is caught.
    return (SelectMultipleField("Remedy offered: what kind (tick to put it on record)", choices=list(KINDS.items()),
                                widget=ListWidget(prefix_label=False), option_widget=CheckboxInput()),
            DecimalField("Time and trouble (£)", places=2, validators=MONEY),
            DecimalField("Distress and inconvenience (£)", places=2, validators=MONEY),
            DecimalField("Quantifiable loss (£)", places=2, validators=MONEY))


def response_remedy_check(prefix: str) -> Any:
    """The inline validator of `<prefix>_remedy_kinds`: money needs a kind, a kind needs the remedy's words, and
    a financial remedy needs its amount."""
    def validate_kinds(self: TaskForm, field: SelectMultipleField) -> None:
        amounts = [getattr(self, f"{prefix}_{part}").data for part in PARTS]
        if not field.data and any(amount for amount in amounts):
            raise ValidationError("Say what kind of remedy the money is.")
        if field.data and not (getattr(self, f"{prefix}_remedy").data or "").strip():
            raise ValidationError("Describe the remedy in the box above: it goes in the letter.")
        problem = _money_problem(list(field.data or []), amounts) if field.data else None
        if problem:
            raise ValidationError(problem)
    return validate_kinds


PARTS = ("time_and_trouble", "distress_and_inconvenience", "quantifiable_loss")
