"""A review of a complaint response by the team the profile names (seed-002: "All complaint responses will be
subject to review by the Performance Improvement Team who will ensure that potential opportunities for
improvement are identified. Service Managers are responsible for developing and implementing improvement work").

The review tasks of complaint.bpmn (`review_stage1_response`, `review_stage2_response`) share this form. The
learning is reported with the year's learning; an improvement action becomes a learning action owned by the member
of staff named (a Service Manager), followed to done like any other.
"""

from __future__ import annotations

from wtforms import DateField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from forms.base import Blank, TaskForm

VERDICTS = {"met": "Yes: it met the policy and procedure", "partly": "Partly", "not_met": "No"}


class Form(TaskForm):
    """Whether the response met the policy, the learning identified, and any improvement work with its owner."""

    response_met_policy = RadioField("Did the response meet the requirements of the policy and procedure?",
                                     choices=list(VERDICTS.items()), validators=[InputRequired()])
    response_shortfalls = TextAreaField("Where it fell short", validators=[Length(max=5000)])
    learning_identified = TextAreaField(
        "Learning identified", validators=[DataRequired(), Length(max=5000)],
        description="What this complaint and its response teach us; say so if there is none.")
    improvement_action = TextAreaField("Improvement work for a Service Manager (if any)",
                                       validators=[Length(max=5000)])
    improvement_owner = SelectField("Who develops and implements it", choices=[], default="")
    improvement_due_on = DateField("Due by", validators=[Blank()])

    def configure(self) -> None:
        """Any active member of staff may own the improvement work."""
        staff = self.context.get("staff")
        self.improvement_owner.choices = [("", "—"), *(staff() if callable(staff) else staff or [])]

    def validate_response_shortfalls(self, field: TextAreaField) -> None:
        """A response that fell short says where."""
        self.require_when(field, self.response_met_policy.data in ("partly", "not_met"),
                          "Say where the response fell short of the policy.")

    def validate_improvement_owner(self, field: SelectField) -> None:
        """Improvement work has an owner; no owner without work."""
        action = (self.improvement_action.data or "").strip()
        self.require_when(field, bool(action), "Name who develops and implements the improvement work.")
        if field.data and not action:
            raise self.error("Leave this empty, or describe the improvement work.")

    def validate_improvement_due_on(self, field: DateField) -> None:
        """Improvement work has a due date, today or later."""
        self.require_when(field, bool((self.improvement_action.data or "").strip()),
                          "Give the date the improvement work is due by.")
        today = self.context.get("today")
        if field.data is not None and today is not None and field.data < today:
            raise self.error("The due date cannot be in the past.")
