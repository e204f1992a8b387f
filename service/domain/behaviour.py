"""Judging what a diagram *does* against the Code and its profile, from the facts of running it.

The scenario runner (service.workflow.explore) runs a draft along every path and reports plain facts: the
deadlines each path set and the dates they were counted from, the user tasks it reached, how it ended. Here
those facts are checked: every path ends and none is left stuck; each deadline the Code requires exists and its
dates meet the Code; the profile's own timescales are what the diagram produces; escalation is never dropped
without a decision. Each finding names the provision, the element and the scenario (dates in, dates out).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from service.domain import calendar
from service.domain.linter import Finding
from service.domain.policy import Policy


@dataclass(frozen=True)
class DeadlineFact:
    """A deadline a path set: its key, due date, the timer carrying it, and the dates it was counted from."""

    key: str
    due: str
    element: str
    dates: dict[str, Any]
    scenario: str


@dataclass
class PathFacts:
    """One path through the diagram, from one received date."""

    received_on: str
    steps: list[str] = field(default_factory=list)
    deadlines: list[DeadlineFact] = field(default_factory=list)
    tasks: list[tuple[str, str | None, dict[str, str]]] = field(default_factory=list)  # (id, lane, properties)
    answers: dict[str, Any] = field(default_factory=dict)
    ended: bool = False
    stuck: bool = False
    cut: bool = False  # a loop the default answers do not leave: not followed further
    error: tuple[str, str] | None = None  # (element, message) of an expression that failed

    def scenario(self, last: int = 8) -> str:
        """The path in words: its received date and its latest steps."""
        if len(self.steps) <= last:
            return "; ".join(self.steps)
        return "; ".join([self.steps[0], "…", *self.steps[-(last - 1):]])


@dataclass(frozen=True)
class _Rule:
    provision: str
    title: str
    code_days: int
    counted_from: str  # "receipt" (of the complaint), "escalation", "acknowledgement"
    stage: str


CODE_DEADLINES = {
    "stage1_acknowledge": _Rule("6.2", "Stage 1 acknowledgement", 5, "receipt", "1"),
    "stage1_response": _Rule("6.3", "Stage 1 response", 10, "acknowledgement", "1"),
    "stage2_acknowledge": _Rule("6.11", "Stage 2 acknowledgement", 5, "escalation", "2"),
    "stage2_response": _Rule("6.14", "Stage 2 response", 20, "acknowledgement", "2"),
}
EXTENSION_CAPS = {"1": ("6.4", 10), "2": ("6.15", 20)}


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _start(rule: _Rule, counted_from: str, dates: dict[str, Any]) -> date | None:
    if counted_from == "receipt":
        received = _day(dates.get("stage1_received_on") or dates.get("received_on"))
        return calendar.receipt_day(received) if received else None
    if counted_from == "escalation":
        requested = _day(dates.get("escalation_requested_on"))
        return calendar.receipt_day(requested) if requested else None
    return _day(dates.get(f"stage{rule.stage}_acknowledged_on"))


def _wd(start: date, end: date) -> int:
    return calendar.working_days_between(start, end)


def _deadline_findings(policy: Policy, fact: DeadlineFact) -> list[Finding]:
    rule = CODE_DEADLINES[fact.key]
    due = _day(fact.due)
    original = _day(fact.dates.get(f"{fact.key}_original_due")) or due
    start = _start(rule, rule.counted_from, fact.dates)
    where, found = f"bpmn:{fact.element}", []
    if due is None or original is None:
        return [Finding(rule.provision, "error", f"The {rule.title} deadline is {fact.due!r}, not a date.", where,
                        fact.scenario)]
    if start is not None and original > calendar.add_working_days(start, rule.code_days):
        found.append(Finding(rule.provision, "error", f"The {rule.title} is due {original:%d %B %Y}, "
                             f"{_wd(start, original)} working days after {start:%d %B %Y}; the Code allows "
                             f"{rule.code_days} working days from {rule.counted_from}.", where, fact.scenario))
    section, cap = EXTENSION_CAPS.get(rule.stage, ("", 0)) if fact.key.endswith("response") else ("", 0)
    if section and due > original and due > calendar.add_working_days(original, cap):
        found.append(Finding(section, "error", f"The extended {rule.title} is due {due:%d %B %Y}, "
                             f"{_wd(original, due)} working days after the original {original:%d %B %Y}; the Code "
                             f"allows an extension of at most {cap} working days.", where, fact.scenario))
    stage = policy.params.get(f"stage{rule.stage}") or {}
    days = stage.get("acknowledge_days" if fact.key.endswith("acknowledge") else "response_days")
    counted = rule.counted_from
    if counted == "acknowledgement" and stage.get("response_from") == "receipt":
        counted = "receipt" if rule.stage == "1" else "escalation"  # the profile counts from receipt
    profile_start = _start(rule, counted, fact.dates)
    if days is not None and profile_start is not None and \
            original != calendar.add_working_days(profile_start, int(days)):
        found.append(Finding(rule.provision, "error", f"The profile gives the {rule.title} {days} working days from "
                             f"{counted}, but the diagram sets {original:%d %B %Y}, {_wd(profile_start, original)} "
                             f"working days after {profile_start:%d %B %Y}.", where, fact.scenario))
    return found


def timescales(paths: list[PathFacts]) -> dict[str, int]:
    """The working days each Code deadline gives on the first path that sets it, counted as the Code counts
    (from receipt, acknowledgement or the escalation request): what a change of timescale is read from."""
    found: dict[str, int] = {}
    for path in paths:
        for fact in path.deadlines:
            rule = CODE_DEADLINES.get(fact.key)
            if rule is None or fact.key in found:
                continue
            start = _start(rule, rule.counted_from, fact.dates)
            original = _day(fact.dates.get(f"{fact.key}_original_due")) or _day(fact.due)
            if start is not None and original is not None:
                found[fact.key] = _wd(start, original)
    return found


def timescale_changes(before: dict[str, int], after: dict[str, int]) -> list[str]:
    """Each deadline whose timescale differs, in words: 'deadline "Stage 1 response": 10 → 25 working days'."""
    return [f'deadline "{CODE_DEADLINES[key].title}": {before.get(key, "none")} → {after.get(key, "none")} '
            "working days" for key in CODE_DEADLINES if key in before.keys() | after.keys()
            and before.get(key) != after.get(key)]


def _missing(paths: list[PathFacts]) -> list[Finding]:
    seen = {fact.key for path in paths for fact in path.deadlines}
    tasks = {task[0] for path in paths for task in path.tasks}
    stages = {task[2].get("stage") for path in paths for task in path.tasks}
    lacks = [f"a {rule.title} deadline (Code {rule.provision})" for key, rule in CODE_DEADLINES.items()
             if key not in seen]
    if not tasks:
        lacks.insert(0, "user tasks for staff in lanes")
    lacks += [f"a Stage {stage} user task" for stage in ("1", "2") if stage not in stages]
    if not lacks:
        return []
    ran = f"{len(paths)} scenario(s) run"
    return [Finding("5.1", "error", "This is not a complete complaint procedure: it lacks " + "; ".join(lacks)
                    + f" ({ran}). A complaint procedure needs triage, Stage 1 and Stage 2 tasks and the Code's "
                    "acknowledgement and response deadlines.", "bpmn:process", None)]


def _escalation(path: PathFacts) -> list[Finding]:
    asked = str(path.answers.get("escalate")) == "yes" or bool(path.answers.get("resident_asks_to_escalate"))
    reached = any(task[2].get("stage") == "2" for task in path.tasks if task[2].get("form") != "escalation")
    declined = path.answers.get("escalation_decision") == "decline"
    if asked and path.ended and not reached and not declined:
        return [Finding("5.11", "error", "The resident asked to escalate but the procedure ended without a Stage 2 "
                        "review or a decision to decline it.", "bpmn:process", path.scenario())]
    return []


def judge(policy: Policy, paths: list[PathFacts], complaint_procedure: bool) -> list[Finding]:
    """Every finding the facts of `paths` give, errors first; for the complaint procedure, the Code's too."""
    found: list[Finding] = []
    for path in paths:
        if path.error is not None:
            element, message = path.error
            found.append(Finding("diagram", "error", f"An expression failed when run: {message}", f"bpmn:{element}",
                                 path.scenario()))
        elif path.stuck:
            found.append(Finding("diagram", "error", "An instance is left with no task ready and no timer waiting: "
                                 "it would be stuck for good.", "bpmn:process", path.scenario()))
        if complaint_procedure:
            found += _escalation(path)
            for fact in path.deadlines:
                if fact.key in CODE_DEADLINES:
                    found += _deadline_findings(policy, fact)
    if complaint_procedure and not any(path.error for path in paths):
        found += _missing(paths)
    return _unique(found)


def _unique(findings: list[Finding]) -> list[Finding]:
    # One finding per provision, element and kind of problem (its opening words): the first scenario showing it.
    kept: dict[tuple[str, str, str], Finding] = {}
    for finding in findings:
        shape = " ".join(finding.message.split()[:6])
        kept.setdefault((finding.section, finding.where, shape), finding)
    return sorted(kept.values(), key=lambda f: (f.severity != "error", f.section, f.where))
