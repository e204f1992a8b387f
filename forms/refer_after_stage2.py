"""After Stage 2, the resident may take the complaint to the procedure's referral route (an Independent
Complaints Panel, or a designated person), or straight to the Ombudsman where the profile allows."""

from wtforms import DateField, RadioField
from wtforms.validators import InputRequired

from forms.base import Blank, TaskForm

ROUTES = {"icp": "Independent Complaints Panel", "designated_person": "A designated person (councillor, MP, "
          "tenant panel)"}


class Form(TaskForm):
    """Which route the resident took, and when."""

    referral_route = RadioField("Route", choices=[], validators=[InputRequired()])
    referred_on = DateField("Referred on", validators=[Blank()])

    def configure(self) -> None:
        """Offer the routes this procedure has."""
        routes = self.context.get("policy", {}).get("after_stage2", {}).get("routes", [])
        self.referral_route.choices = [(r, ROUTES[r]) for r in routes if r in ROUTES] + [
            ("none", "No referral: the resident is satisfied or goes to the Ombudsman")]

    def validate_referred_on(self, field: DateField) -> None:
        """Needed when referred; not in the future, not before receipt."""
        self.require_when(field, self.referral_route.data not in (None, "none"), "Give the date of the referral.")
        self.check_event_date(field)
