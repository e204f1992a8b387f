"""What the handler records at each response for learning (Code 9) and the reports: category and root cause."""

from __future__ import annotations

from wtforms import SelectField
from wtforms.validators import InputRequired

from forms.base import TaskForm
from service.domain.reporting import categories, root_causes


def analysis_fields() -> tuple[SelectField, SelectField]:
    """The category and root-cause fields, made where a form declares them so they keep their place in it."""
    return (SelectField("Category of complaint", choices=[], validators=[InputRequired()]),
            SelectField("Root cause", choices=[], validators=[InputRequired()],
                        description="What caused the complaint, as far as the investigation found."))


def offer_analysis_choices(form: TaskForm) -> None:
    """Offer the profile's categories and root causes."""
    params = form.context.get("policy", {})
    form.complaint_category.choices = [("", "—"), *categories(params).items()]
    form.root_cause.choices = [("", "—"), *root_causes(params).items()]
