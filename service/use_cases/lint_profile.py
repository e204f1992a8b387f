"""Lint a policy profile and the diagram it runs against the Complaint Handling Code."""

from __future__ import annotations

from service.domain.linter import Finding, lint
from service.domain.policy import PROCESSES_DIR, load_policy
from service.workflow.inspect import user_tasks
from service.workflow.specs import compile_process, load_process_files


def run(profile: str) -> list[Finding]:
    """Findings for `profile` on its shipped diagram; raises UnknownProfile."""
    policy = load_policy(profile)
    process_id = policy.params["process"]
    process = compile_process(process_id, load_process_files(PROCESSES_DIR, process_id))
    return lint(policy, user_tasks(process))
