"""Moving a running instance to another version of its process, with SpiffWorkflow's diff and migrate.

An instance may move only when nothing it has already done (a completed or started task) was changed or
removed in the new version; ready and waiting tasks are reset and predicted again on the new spec.
"""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.util.diff import diff_workflow, migrate_workflow
from SpiffWorkflow.util.task import TaskState

from service.workflow.runtime import Snapshot, _completed_ids, _load, _snapshot
from service.workflow.specs import SERIALIZER, CompiledProcess

_DONE = TaskState.COMPLETED | TaskState.STARTED


def _diff(old: CompiledProcess, new: CompiledProcess, state: str, policy: dict[str, Any]) -> tuple[Any, Any, Any]:
    workflow = _load(old, state, policy)
    top, subprocesses = diff_workflow(SERIALIZER.registry, workflow, new.spec, new.subprocess_specs)
    return workflow, top, subprocesses


def blockers(old: CompiledProcess, new: CompiledProcess, state: str, policy: dict[str, Any]) -> list[str]:
    """Why this instance cannot move from `old` to `new` (empty when it can)."""
    workflow, top, subprocesses = _diff(old, new, state, policy)
    reasons = []
    for diff in [top, *(d for d in subprocesses.values() if d is not None)]:
        changed = {task.id for task in diff.changed}
        for task in [*diff.removed, *diff.changed]:
            if task.state & _DONE:
                spec = task.task_spec
                reasons.append(f"{spec.bpmn_name or spec.bpmn_id} ({spec.bpmn_id}) was "
                               f"{TaskState.get_name(task.state).lower()} and has been "
                               f"{'changed' if task.id in changed else 'removed'} in the new version")
    for sub_id, sub_diff in subprocesses.items():
        if sub_diff is None:
            reasons.append(f"the called process {workflow.subprocesses[sub_id].spec.name!r} no longer exists")
    return sorted(set(reasons))


def migrate(old: CompiledProcess, new: CompiledProcess, state: str, policy: dict[str, Any]) -> Snapshot:
    """The instance moved to `new` and run to its next waits; the caller checks `blockers` first."""
    workflow, top, subprocesses = _diff(old, new, state, policy)
    completed_before = _completed_ids(workflow)
    for sub_id, sub_diff in subprocesses.items():
        subprocess = workflow.subprocesses[sub_id]
        migrate_workflow(sub_diff, subprocess, new.subprocess_specs[subprocess.spec.name])
    migrate_workflow(top, workflow, new.spec)
    workflow.subprocess_specs = new.subprocess_specs
    workflow.do_engine_steps()
    return _snapshot(workflow, completed_before)


def restore(process: CompiledProcess, state: str, policy: dict[str, Any]) -> Snapshot:
    """An instance's earlier state on `process`, as a snapshot to project again (a reverted migration)."""
    workflow = _load(process, state, policy)
    return _snapshot(workflow, _completed_ids(workflow))
