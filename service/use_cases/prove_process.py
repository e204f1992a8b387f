"""Proving a process version before it may go live: run its scenarios in the sandbox and judge what it did.

The scenario runner (service.workflow.explore) runs every path from received dates across weekends and bank
holidays; the domain judges the facts (service.domain.behaviour) and, for the complaint procedure, the profile
against the Code (service.domain.linter). Proofs are kept per version content and profile, so the editor's
check and the save that follows it run the scenarios once.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from service.domain.behaviour import judge, timescales
from service.domain.calendar import add_months, london_today
from service.domain.linter import Finding, lint
from service.use_cases import form_definitions
from service.use_cases.context import AppContext
from service.workflow.explore import explore, scenario_days
from service.workflow.inspect import user_tasks
from service.workflow.specs import CompiledProcess

SCENARIO_SECONDS = 30.0  # past this the suite stops branching and says so
# The data each process starts with (see submit_complaint, restrictions, referrals, remedies), besides the
# fields of the form that starts it: the names its expressions may read from the start.
START_DATA = {"complaint": ("complaint_reference", "received_on", "channel"),
              "contact_restriction": ("restriction_id", "review_on", "amended_review_on", "next_review_on"),
              "referral": (), "remedy": ("remedy_id",)}
START_FORMS = {"referral": "refer_to_ombudsman", "remedy": "offer_remedy"}


@dataclass(frozen=True)
class Proof:
    """What running a version's scenarios found."""

    findings: list[Finding]
    timescales: dict[str, int]  # working days each Code deadline gives (see behaviour.timescales)
    paths: int
    truncated: bool
    seconds: float

    @property
    def failures(self) -> list[Finding]:
        """Expressions that failed when run, and instances left stuck: the diagram is broken, not just non-
        compliant, so it is not stored at all."""
        return [f for f in self.findings if f.section == "diagram"]

    def as_dict(self, profile: str) -> dict[str, Any]:
        """What is stored on the version and shown in the editor."""
        return {"profile": profile, "findings": [f.as_dict() for f in self.findings], "timescales": self.timescales,
                "paths": self.paths,
                "truncated": self.truncated, "seconds": round(self.seconds, 2)}


_PROOFS: OrderedDict[tuple[str, str, str], Proof] = OrderedDict()


def _start_data(process_id: str, complaint: bool) -> Callable[[date], dict[str, Any]]:
    if complaint:
        return lambda day: {"complaint_reference": "SCENARIO", "channel": "phone"}
    if process_id == "contact_restriction":
        return lambda day: {"restriction_id": 0, "review_on": add_months(day, 6).isoformat(),
                            "amended_review_on": None, "next_review_on": None}
    return lambda day: {"remedy_id": 0} if process_id == "remedy" else {}


def prove(app: AppContext, session: Session, process_id: str, process: CompiledProcess,
          progress: Callable[[int, int], None] | None = None) -> Proof:
    """Run `process`'s scenarios under the active profile and judge them (kept per content and profile)."""
    fields = form_definitions.form_descriptions(session, app.policy.params)
    signature = form_definitions.built_forms_signature(session)
    key = (process.content_hash, app.policy.name, signature)
    if key in _PROOFS:
        _PROOFS.move_to_end(key)
        if progress is not None:
            progress(_PROOFS[key].paths, _PROOFS[key].paths)
        return _PROOFS[key]
    complaint = process_id == app.policy.params["process"]
    exploration = explore(process, app.policy.params, fields, scenario_days(london_today().year + 1),
                          start=_start_data(process_id, complaint), start_form=START_FORMS.get(process_id),
                          progress=progress, seconds=SCENARIO_SECONDS)
    findings = judge(app.policy, exploration.paths, complaint)
    if complaint:
        findings += lint(app.policy, user_tasks(process))
    if exploration.truncated:
        findings.append(Finding("diagram", "warning", f"Only {len(exploration.paths)} paths were run in the time "
                                "allowed; paths past them are not proven.", "bpmn:process"))
    proof = Proof(findings, timescales(exploration.paths) if complaint else {}, len(exploration.paths),
                  exploration.truncated, exploration.seconds)
    _PROOFS[key] = proof
    while len(_PROOFS) > 32:
        _PROOFS.popitem(last=False)
    return proof


_TIMESCALES: dict[tuple[str, str], dict[str, int]] = {}


def timescales_of(app: AppContext, session: Session, process_id: str, process: CompiledProcess) -> dict[str, int]:
    """The working days each Code deadline of `process` gives, from its default path alone (a few milliseconds,
    where a whole proof takes seconds): what a new version's timescales are compared with."""
    key = (process.content_hash, app.policy.name)
    if key not in _TIMESCALES:
        fields = form_definitions.form_descriptions(session, app.policy.params)
        run = explore(process, app.policy.params, fields, scenario_days(london_today().year + 1)[:1],
                      start=_start_data(process_id, True), branch=False)
        _TIMESCALES[key] = timescales(run.paths)
    return _TIMESCALES[key]


def finding_key(finding: dict[str, Any] | Finding) -> tuple[str, str, str]:
    """What makes two findings the same problem (the scenario that shows it may differ)."""
    data = finding.as_dict() if isinstance(finding, Finding) else finding
    return str(data["section"]), str(data["where"]), str(data["message"])
