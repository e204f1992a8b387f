"""Facts about a compiled diagram, for checks that do not run it (the Code linter)."""

from __future__ import annotations

from service.domain.linter import UserTaskFact
from service.workflow.specs import CompiledProcess


def user_tasks(process: CompiledProcess) -> list[UserTaskFact]:
    """Every user task of the process and its embedded subprocesses, with lane and properties."""
    facts = []
    for spec in [process.spec, *process.subprocess_specs.values()]:
        for task_spec in spec.task_specs.values():
            if getattr(task_spec, "manual", False):
                extensions = getattr(task_spec, "extensions", None) or {}
                facts.append(UserTaskFact(task_spec.bpmn_id, task_spec.lane, dict(extensions.get("properties", {}))))
    return sorted(facts, key=lambda fact: fact.id)
