"""The script engine our diagrams run with: the sandbox (service.workflow.sandbox) plus the working-day helpers.

Dates travel through task data as ISO strings so instances serialize as plain JSON. Timer expressions must
return timezone-aware ISO strings: naive ones are read with a fixed offset and drift across BST.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

from service.domain import calendar, deadlines
from service.workflow import sandbox

# SpiffWorkflow logs every task state change at INFO, and attaches the task's data (residents' own words,
# investigation notes) whenever a logger of its own is left at NOTSET. At WARNING it logs neither, whatever level
# the app runs at: a log is no place for personal data, and writing it cost a fifth of the timer sweep's time.
for _name in ("spiff", "spiff.task", "spiff.workflow", "spiff.data", "spiff.dmn"):
    logging.getLogger(_name).setLevel(logging.WARNING)


def _day(value: str | date) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def add_working_days(day: str, count: int) -> str:
    """Script helper: the ISO date `count` working days after ISO date `day`."""
    return calendar.add_working_days(_day(day), int(count)).isoformat()


def receipt_day(day: str) -> str:
    """Script helper: the ISO date a complaint received on `day` counts as received."""
    return calendar.receipt_day(_day(day)).isoformat()


def breach_time(due: str) -> str:
    """Timer helper: the UTC ISO instant at which a deadline due on `due` is missed."""
    return deadlines.breach_moment(_day(due)).isoformat()


def reminder_time(due: str, working_days_before: int) -> str:
    """Timer helper: the UTC ISO instant of the reminder before a deadline due on `due`."""
    return deadlines.reminder_moment(_day(due), int(working_days_before)).isoformat()


def window_end(day: str, window: dict[str, Any]) -> str:
    """Timer helper: when a window of `window["days"]` working or calendar days after `day` closes."""
    return deadlines.breach_moment(deadlines.window_last_day(_day(day), window)).isoformat()


def next_commitment_due(commitments: list[dict[str, Any]]) -> str:
    """Script helper: the earliest due date among commitments not yet delivered."""
    return min(str(c["due"]) for c in commitments if not c.get("delivered"))


def ombudsman_available_time(stage2_responded_on: str, weeks: int) -> str:
    """Timer helper: the start of the day `weeks` weeks after the Stage 2 response (at once when 0)."""
    return calendar.london_datetime(_day(stage2_responded_on) + timedelta(weeks=int(weeks))).isoformat()


def start_of_day(day: str) -> str:
    """Timer helper: midnight London time at the start of `day` (e.g. a review date)."""
    return calendar.london_datetime(_day(day)).isoformat()


def today() -> str:
    """Script helper: today's date in London, ISO."""
    return calendar.london_today().isoformat()


SCRIPT_FUNCTIONS = {
    "add_working_days": add_working_days,
    "receipt_day": receipt_day,
    "breach_time": breach_time,
    "reminder_time": reminder_time,
    "window_end": window_end,
    "next_commitment_due": next_commitment_due,
    "today": today,
    "start_of_day": start_of_day,
    "ombudsman_available_time": ombudsman_available_time,
}


class SandboxedEnvironment(TaskDataEnvironment):
    """SpiffWorkflow's task-data environment, with every expression and script run in the sandbox."""

    def evaluate(self, expression: str, context: dict[str, Any], external_context: dict[str, Any] | None = None) -> Any:
        """The value of `expression` over the helpers, the policy and the task data `context`."""
        return sandbox.evaluate(expression, {**self.globals, **(external_context or {}), **context})

    def execute(self, script: str, context: dict[str, Any], external_context: dict[str, Any] | None = None) -> bool:
        """Run `script` on the task data `context`; what it assigns stays there, the helpers do not."""
        self.check_for_overwrite(context, external_context or {})
        context.update(self.globals)
        context.update(external_context or {})
        try:
            sandbox.execute(script, context)
        finally:
            for name in sandbox.GUARD_NAMES:
                context.pop(name, None)
            self._remove_globals_and_functions_from_context(context, external_context)
        return True


_READ_ONLY: dict[int, tuple[dict[str, Any], Any]] = {}


def _read_only_policy(policy: dict[str, Any]) -> Any:
    # Profiles are loaded once, so their read-only copies are kept by identity (the entry holds the original,
    # so its id is never reused while cached).
    entry = _READ_ONLY.get(id(policy))
    if entry is None or entry[0] is not policy:
        if len(_READ_ONLY) > 64:
            _READ_ONLY.clear()
        entry = _READ_ONLY[id(policy)] = (policy, sandbox.read_only(policy))
    return entry[1]


def script_engine(policy: dict[str, Any], today: Callable[[], str] | None = None) -> PythonScriptEngine:
    """A script engine whose scripts see the helpers above and the profile's parameters (read-only) as `policy`.

    `today` replaces the clock the `today()` helper reads (the scenario runner's simulated clock)."""
    helpers = {**SCRIPT_FUNCTIONS, "today": today} if today is not None else SCRIPT_FUNCTIONS
    environment = SandboxedEnvironment({"policy": _read_only_policy(policy), **helpers})
    return PythonScriptEngine(environment=environment)
