"""Deadlines of a complaint: when their timers fire, how many working days are left, whether they were met."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from service.domain.calendar import add_working_days, london_datetime, working_days_between

# The deadlines the Code sets, in the order a complaint meets them.
DEADLINE_KEYS = ("stage1_acknowledge", "stage1_response", "stage2_acknowledge", "stage2_response")
DEADLINE_TITLES = {
    "stage1_acknowledge": "Stage 1 acknowledgement",
    "stage1_response": "Stage 1 response",
    "stage2_acknowledge": "Stage 2 acknowledgement",
    "stage2_response": "Stage 2 response",
    "commitment": "Commitment from the response",
    "ombudsman_information": "Information for the Housing Ombudsman",
    "ombudsman_order": "Housing Ombudsman order",
}
# Deadlines the complaint's own procedure keeps: unmet when it stops (closed, refused, withdrawn), they lapse with
# it. The Ombudsman's requests and orders are kept by a referral beside it, after it has closed.
PROCEDURE_DEADLINES = (*DEADLINE_KEYS, "commitment")
REMINDER_TIME = time(9, 0)


def breach_moment(due: date) -> datetime:
    """A deadline is missed once its due day is over: midnight London time at the end of `due`."""
    return london_datetime(due + timedelta(days=1))


def window_last_day(start: date, window: dict[str, Any]) -> date:
    """The last day of a window of `window["days"]` calendar or working days (`window["unit"]`) after `start`:
    e.g. to ask for Stage 2 after the Stage 1 response."""
    days = int(window["days"])
    return start + timedelta(days=days) if window.get("unit") == "calendar" else add_working_days(start, days)


def reminder_moment(due: date, working_days_before: int) -> datetime:
    """09:00 London time, `working_days_before` working days before `due`."""
    return london_datetime(add_working_days(due, -working_days_before), REMINDER_TIME)


@dataclass(frozen=True)
class DeadlineStatus:
    """What a member of staff needs to know about one deadline today."""

    key: str
    due: date
    met_on: date | None
    breached: bool
    original_due: date | None = None

    @property
    def title(self) -> str:
        """The deadline's name as staff read it."""
        return DEADLINE_TITLES.get(self.key, self.key.replace("_", " ").capitalize())

    @property
    def extended(self) -> bool:
        """True when the due date was moved by an extension."""
        return self.original_due is not None and self.original_due != self.due

    def working_days_left(self, today: date) -> int | None:
        """Working days from `today` to the due date (negative when overdue); None once met."""
        if self.met_on is not None:
            return None
        return working_days_between(today, self.due)

    def as_dict(self) -> dict[str, object]:
        """The API shape: `{due, met_on, breached}` with ISO dates."""
        return {
            "due": self.due.isoformat(),
            "met_on": self.met_on.isoformat() if self.met_on else None,
            "breached": self.breached,
        }


def is_breached(due: date, met_on: date | None, breach_recorded: bool) -> bool:
    """A deadline is breached when it was met late, or its breach timer fired before it was met."""
    if met_on is not None:
        return met_on > due
    return breach_recorded


def overall_target(received_on: date, weeks: int, closed_on: date | None, today: date) -> dict[str, Any]:
    """A procedure's overall target for all its stages (seed-001: "an overall time frame of no more than 8 weeks
    for all stages"), counted in calendar weeks from receipt: when it falls, and whether it was met (None while
    the complaint is open and the day has not passed)."""
    due = received_on + timedelta(weeks=weeks)
    met = closed_on <= due if closed_on is not None else (False if today > due else None)
    return {"weeks": weeks, "due": due.isoformat(), "met": met, "closed_on": closed_on.isoformat() if closed_on else None,
            "days_left": (due - today).days if closed_on is None and met is None else None}
