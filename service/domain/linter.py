"""The Code-compliance linter: a profile and its diagram, checked against the Complaint Handling Code (2024).

Each finding names the Code section, a severity, a plain-English explanation and the profile parameter or
BPMN element at fault. Errors are provisions the procedure would break; warnings need a valid reason.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from service.domain.policy import Policy

# Code 2.2: the only reasons to decline to accept a complaint.
PERMITTED_EXCLUSIONS = {"legal_proceedings", "over_time_limit", "previously_considered"}
# Code 1.2-1.5: matters outside the definition of a complaint, or with their own route.
OUTSIDE_DEFINITION = {"service_request", "information_request", "policy_explanation", "survey_feedback",
                      "services_not_ours", "other_appeal_route", "liability_claim", "asb_other_policy"}
CODE_LIMITS = {"stage1.acknowledge_days": ("6.2", 5), "stage1.response_days": ("6.3", 10),
               "stage2.acknowledge_days": ("6.11", 5), "stage2.response_days": ("6.14", 20)}
EXTENSION_CAPS = {"1": ("6.4", 10), "2": ("6.15", 20)}


@dataclass(frozen=True)
class UserTaskFact:
    """What the linter needs to know about one user task of the diagram."""

    id: str
    lane: str | None
    properties: dict[str, str]


@dataclass(frozen=True)
class Finding:
    """One departure from the Code."""

    section: str
    severity: str  # "error" | "warning"
    message: str
    where: str  # a profile parameter ("stage1.extension_cap_days") or a BPMN element ("bpmn:quick_fix")
    scenario: str | None = None  # for what a diagram was seen to do: the path that shows it

    def as_dict(self) -> dict[str, str]:
        """The JSON shape (`scenario` only where there is one)."""
        out = asdict(self)
        if out["scenario"] is None:
            del out["scenario"]
        return out


def _get(params: dict[str, Any], path: str) -> Any:
    value: Any = params
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _stages(policy: Policy, tasks: list[UserTaskFact]) -> list[Finding]:
    found = []
    kind = _get(policy.params, "informal.kind")
    if kind and kind != "none":
        element = next((f" (bpmn:{t.id})" for t in tasks if t.properties.get("form") == "quick_fix"), "")
        found.append(Finding("5.2", "error", f"The procedure has an informal stage or Stage 0 ({kind}){element}; the "
                             "Code forbids any stage before Stage 1: log it as a Stage 1 complaint.", "informal.kind"))
    extra = sorted({t.properties["stage"] for t in tasks if t.properties.get("stage") not in (None, "1", "2")})
    if extra or "stage3" in policy.params:
        found.append(Finding("5.3", "error", f"More than two stages (stages {', '.join(extra) or '3'}): the Code "
                             "allows at most two.", "stage3" if "stage3" in policy.params else "bpmn:stage"))
    return found


def _timescales(policy: Policy) -> list[Finding]:
    found = []
    for path, (section, limit) in CODE_LIMITS.items():
        days = _get(policy.params, path)
        if days is None:
            found.append(Finding(section, "error", f"No timescale set; the Code sets {limit} working days.", path))
        elif int(days) > limit:
            found.append(Finding(section, "error", f"{days} working days is longer than the Code's {limit}.", path))
    for stage, (section, cap) in EXTENSION_CAPS.items():
        path = f"stage{stage}.extension_cap_days"
        days = _get(policy.params, path)
        if days is None:
            found.append(Finding(section, "error", f"Stage {stage} extensions have no cap; the Code allows at most "
                                 f"{cap} more working days without good reason, with reasons and the Ombudsman's details.",
                                 path))
        elif int(days) > cap:
            found.append(Finding(section, "error", f"A Stage {stage} extension of {days} working days is more than "
                                 f"the Code's {cap}; going beyond that needs a good reason each time.", path))
    return found


def _escalation(policy: Policy) -> list[Finding]:
    found = []
    if _get(policy.params, "escalation.reasons_required"):
        found.append(Finding("6.12", "error", "The resident must give reasons to escalate; the Code says no reasons "
                             "are required (they may be asked, not made, to say what they remain unhappy about).",
                             "escalation.reasons_required"))
    if _get(policy.params, "escalation.may_decline"):
        found.append(Finding("5.11", "warning", "Escalation can be declined; the Code allows this only for a valid "
                             "reason, explained to the resident in writing.", "escalation.may_decline"))
    return found


def _impartiality(policy: Policy, tasks: list[UserTaskFact]) -> list[Finding]:
    found = []
    roles = policy.params.get("stage_roles") or {}
    if roles.get("1") == roles.get("2"):
        found.append(Finding("6.13", "error", "Stage 1 and Stage 2 are handled by the same role, so the Stage 2 "
                             "reviewer could be the Stage 1 handler.", "stage_roles"))
    for task in tasks:
        if task.properties.get("stage") == "2" and roles.get("1") in policy.lane_roles(task.lane):
            found.append(Finding("6.13", "error", f"Stage 2 task {task.id} is in the Stage 1 handlers' lane.",
                                 f"bpmn:{task.id}"))
    return found


def _after_stage2(policy: Policy) -> list[Finding]:
    after = policy.params.get("after_stage2") or {}
    if after.get("designated_person_wait") or after.get("ombudsman_wait_weeks"):
        weeks = after.get("ombudsman_wait_weeks")
        return [Finding("designated person (removed 1 Oct 2022)", "warning",
                        "Residents are made to wait for a designated person, ICP" + (f" or {weeks} weeks" if weeks else "")
                        + " before the Ombudsman; that requirement was removed on 1 October 2022: residents may go "
                        "to the Ombudsman once the landlord's procedure is exhausted.", "after_stage2.ombudsman_wait_weeks")]
    return []


def _access(policy: Policy) -> list[Finding]:
    found = []
    for key in sorted(policy.exclusions):
        if key not in PERMITTED_EXCLUSIONS | OUTSIDE_DEFINITION:
            found.append(Finding("2.5", "warning", f"Exclusion '{policy.exclusions[key]}' is not one the Code permits "
                                 "(2.2); make sure it is not applied as a blanket exclusion and that each refusal "
                                 "is explained.", f"exclusions.{key}"))
    limit = policy.params.get("time_limit") or {}
    if limit.get("months") is not None and int(limit["months"]) < 12:
        found.append(Finding("2.3", "error", f"Complaints must be accepted up to 12 months after the issue; this "
                             f"procedure stops at {limit['months']}.", "time_limit.months"))
    if limit.get("months") is not None and limit.get("discretion") is False:
        found.append(Finding("2.3", "warning", "The time limit has no discretion to accept older complaints for a "
                             "good reason.", "time_limit.discretion"))
    return found


def lint(policy: Policy, tasks: list[UserTaskFact]) -> list[Finding]:
    """Every finding for `policy` run on a diagram with `tasks`, errors first, in Code order."""
    findings = [*_stages(policy, tasks), *_timescales(policy), *_escalation(policy), *_impartiality(policy, tasks),
                *_after_stage2(policy), *_access(policy)]
    return sorted(findings, key=lambda f: (f.severity != "error", _section_order(f.section), f.where))


def _section_order(section: str) -> tuple[int, ...]:
    # "6.4" before "6.17"; provisions outside the Code's numbering last.
    numbers = tuple(int(n) for n in re.findall(r"\d+", section.split(" ")[0]) if n.isdigit())
    return numbers if section[:1].isdigit() else (99,)
