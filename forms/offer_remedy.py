"""Proposing a remedy at any stage (Code 5.13, 7): what it is, and for money its breakdown."""

from decimal import Decimal

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


def response_remedy(stage: str) -> type:
    """Fields for a response form (`stage` "1" or "2") that put the remedy it names on record as a remedy, with
    its kinds and, for money, its breakdown: it then goes through the profile's approval like any other."""
    prefix = f"stage{stage}"

    def validate_kinds(self: TaskForm, field: SelectMultipleField) -> None:
        amounts = [getattr(self, f"{prefix}_{part}").data for part in PARTS]
        if not field.data and any(amount for amount in amounts):
            raise ValidationError("Say what kind of remedy the money is.")
        if field.data and not (getattr(self, f"{prefix}_remedy").data or "").strip():
            raise ValidationError("Describe the remedy in the box above: it goes in the letter.")
        problem = _money_problem(list(field.data or []), amounts) if field.data else None
        if problem:
            raise ValidationError(problem)

    return type(f"Stage{stage}Remedy", (), {
        # No Optional(): it would stop validation when nothing is ticked, before money without a kind is caught.
        f"{prefix}_remedy_kinds": SelectMultipleField(
            "Remedy offered: what kind (tick to put it on record)", choices=list(KINDS.items()),
            widget=ListWidget(prefix_label=False), option_widget=CheckboxInput()),
        f"{prefix}_time_and_trouble": DecimalField("Time and trouble (£)", places=2, validators=MONEY),
        f"{prefix}_distress_and_inconvenience": DecimalField("Distress and inconvenience (£)", places=2,
                                                             validators=MONEY),
        f"{prefix}_quantifiable_loss": DecimalField("Quantifiable loss (£)", places=2, validators=MONEY),
        f"validate_{prefix}_remedy_kinds": validate_kinds,
    })


PARTS = ("time_and_trouble", "distress_and_inconvenience", "quantifiable_loss")
