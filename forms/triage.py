"""Triage: accept the complaint, or refuse it under a permitted exclusion (Code 2.1–2.4), applying the
profile's time limits (Code 2.3: 12 months, with discretion; e.g. seed-002's recurring-issue override and
six months for former tenants)."""

from __future__ import annotations

from datetime import date
from typing import Any

from wtforms import BooleanField, RadioField, SelectField, TextAreaField, ValidationError
from wtforms.validators import InputRequired

from forms.base import TaskForm
from service.domain.calendar import add_months


class Form(TaskForm):
    """Accept, or refuse with the exclusion, the reasons, and the resident told of the Ombudsman route."""

    triage_decision = RadioField(
        "Decision", choices=[("accept", "Accept the complaint"), ("refuse", "Refuse under an exclusion")],
        validators=[InputRequired()],
    )
    exclusion = SelectField("Exclusion that applies", choices=[], validate_choice=False)
    refusal_reasons = TextAreaField("Reasons for refusing")
    ombudsman_informed = BooleanField("The resident was told of their right to go to the Housing Ombudsman")
    time_limit_ground = SelectField("The ground for accepting it although older than the time limit", choices=[],
                                    validate_choice=False)
    time_limit_reason = TextAreaField("Why it is accepted although older than the time limit (e.g. a recurring "
                                      "problem, or circumstances that prevented an earlier complaint)")
    triage_notes = TextAreaField("Complexity, vulnerability or adjustments noted (optional)")

    def _limits(self) -> dict[str, Any]:
        return dict(self.context.get("policy", {}).get("time_limit") or {})

    def configure(self) -> None:
        """Offer the profile's exclusions, and the time limit where the profile sets one."""
        exclusions = dict(self.context.get("policy", {}).get("exclusions") or {})
        months = self._limits().get("months")
        if months and "over_time_limit" not in exclusions:
            exclusions["over_time_limit"] = f"The issue arose more than {months} months ago"
        self.exclusion.choices = [("", "—")] + list(exclusions.items())
        grounds = self._limits().get("discretion_grounds")
        if grounds:
            self.time_limit_ground.choices = [("", "—"), *grounds.items()]
        else:
            del self["time_limit_ground"]  # this procedure names no grounds: the reason alone says why

    def _late(self) -> list[str]:
        """Which time limits the complaint is outside of, in words."""
        return [reason for reason, _discretion in self._outside_limits()]

    def _outside_limits(self) -> list[tuple[str, bool]]:
        """Each time limit the complaint is outside of, in words, with whether the profile allows discretion."""
        complaint = self.context.get("complaint") or {}
        received: date | None = complaint.get("received_on")
        limits, late = self._limits(), []
        issue, ended = complaint.get("issue_occurred_on"), complaint.get("tenancy_ended_on")
        if received and issue and limits.get("months") and received > add_months(issue, int(limits["months"])):
            late.append((f"the issue arose more than {limits['months']} months before the complaint",
                         limits.get("discretion") is not False))
        if received and ended and limits.get("former_tenant_months") and \
                received > add_months(ended, int(limits["former_tenant_months"])):
            late.append((f"the tenancy ended more than {limits['former_tenant_months']} months before the complaint",
                         limits.get("former_tenant_discretion", limits.get("discretion")) is not False))
        return late

    def validate_triage_decision(self, field: RadioField) -> None:
        """A complaint outside a limit with no discretion cannot be accepted."""
        closed = [reason for reason, discretion in self._outside_limits() if not discretion]
        if field.data == "accept" and closed:
            raise ValidationError(f"This procedure does not accept it: {'; '.join(closed)}. Refuse it and explain why.")

    def validate_time_limit_reason(self, field: TextAreaField) -> None:
        """Accepting a late complaint uses discretion, which must be explained."""
        self.require_when(field, self.triage_decision.data == "accept" and bool(self._late()),
                          f"It is outside the time limit ({'; '.join(self._late())}): say why it is accepted.")

    def validate_time_limit_ground(self, field: SelectField) -> None:
        """Where the procedure names the grounds for accepting an older complaint (seed-002 2.3: "evidence of a
        recurring problem", or "circumstances that may have prevented a complaint from being raised earlier"),
        one of them is chosen."""
        grounds = self._limits().get("discretion_grounds") or {}
        if not grounds or self.triage_decision.data != "accept" or not self._late():
            return
        if field.data not in grounds:
            raise ValidationError("This procedure accepts an older complaint only on these grounds: "
                                  f"{'; '.join(g[0].lower() + g[1:] for g in grounds.values())}. Choose the one "
                                  "that applies, or refuse it.")

    def validate_exclusion(self, field: SelectField) -> None:
        """A refusal names one of the profile's exclusions; the time limit only when it really applies."""
        refusing = self.triage_decision.data == "refuse"
        self.require_when(field, refusing, "Choose the exclusion that applies.")
        if refusing and field.data not in dict(self.exclusion.choices or []):
            raise ValidationError("Not one of this procedure's exclusions.")
        if refusing and field.data == "over_time_limit" and not self._late():
            raise ValidationError("The complaint is not known to be outside the time limit: record when the issue "
                                  "happened when logging it, or accept it.")

    def validate_refusal_reasons(self, field: TextAreaField) -> None:
        """A refusal must explain itself (Code 2.4)."""
        self.require_when(field, self.triage_decision.data == "refuse", "Explain why the complaint is refused.")

    def validate_ombudsman_informed(self, field: BooleanField) -> None:
        """A refused resident must be told they can go to the Ombudsman (Code 2.4)."""
        if self.triage_decision.data == "refuse" and not field.data:
            raise ValidationError("Tell the resident of their right to go to the Housing Ombudsman before refusing.")
