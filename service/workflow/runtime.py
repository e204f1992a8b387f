"""The engine façade: start an instance, complete a user task, fire due timers — state in, state out.

Nothing outside this package sees a SpiffWorkflow object: callers get `Snapshot`s made of small dataclasses.
Instance state is stored without its spec (the spec lives once per process version).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.serializer.default.workflow import WorkflowConverter
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState

from service.workflow.engine import script_engine
from service.workflow.specs import SERIALIZER, CompiledProcess
from service.workflow.tree import Workflow, tasks_in

_CONVERTER = SERIALIZER.registry
# The registry keeps bound `from_dict` methods; their owner is the workflow converter we reuse in `_load`.
_WORKFLOW_CONVERTER = _CONVERTER.convert_from_dict[_CONVERTER.typenames[BpmnWorkflow]].args[0].__self__


class ProcedureFailed(RuntimeError):
    """An expression of the diagram failed (or was stopped by the sandbox) while the instance ran; nothing of
    the operation is kept. Says which element and why."""

    def __init__(self, element: str | None, message: str) -> None:
        super().__init__(f"the procedure failed at {element or 'an unknown element'}: {message}")
        self.element, self.message = element, message


def failure_message(error: BaseException) -> str:
    """What went wrong, in words: the engine wraps what an expression raised, and the innermost error says it."""
    inner = error
    while (inner.__cause__ or inner.__context__) is not None:
        inner = inner.__cause__ or inner.__context__  # type: ignore[assignment]
    if inner is error:
        return str(error).replace("\n", " ")
    kind = "refused by the sandbox" if type(inner).__module__.endswith("sandbox") else type(inner).__name__
    return f"{kind}: {inner}".replace("\n", " ")


def procedure_failed(error: SpiffWorkflowException) -> ProcedureFailed:
    """The engine's error as a ProcedureFailed: the element it failed at and what went wrong."""
    task = getattr(error, "task", None)
    spec = task.task_spec if task is not None else getattr(error, "task_spec", None)
    return ProcedureFailed(getattr(spec, "bpmn_id", None), failure_message(error))


class TaskNotFound(LookupError):
    """The instance has no task with that id."""


class TaskNotReady(RuntimeError):
    """The task exists but is no longer ready (completed, or cancelled by a timer)."""


@dataclass(frozen=True)
class UserTaskView:
    """A ready user task, as the inbox and forms need it."""

    id: str
    name: str
    title: str
    lane: str | None
    properties: dict[str, str]
    data: dict[str, Any]


@dataclass(frozen=True)
class TimerView:
    """A timer waiting to fire: `due_at` is timezone-aware UTC; `properties` come from the diagram."""

    task_id: str
    name: str
    due_at: datetime
    properties: dict[str, str]
    data: dict[str, Any]


@dataclass(frozen=True)
class FiredTimer:
    """A timer that fired during the operation."""

    task_id: str
    name: str
    properties: dict[str, str]
    data: dict[str, Any]
    title: str = ""


@dataclass(frozen=True)
class CompletedTask:
    """The user task an operation completed, with the data it ended with and the names its form sent (the rest
    of `data` was carried along from earlier tasks: on a branch beside the procedure, such as a review, it may be
    older than what the procedure has recorded since)."""

    id: str
    name: str
    properties: dict[str, str]
    data: dict[str, Any]
    submitted: frozenset[str] = frozenset()


@dataclass
class Snapshot:
    """An instance after an operation: its state to store, and what the database must project from it."""

    state: str
    ready: list[UserTaskView]
    timers: list[TimerView]
    finished: bool
    fired: list[FiredTimer] = field(default_factory=list)
    completed: CompletedTask | None = None
    statuses: list[str] = field(default_factory=list)
    # What the instance waited on before the operation (see waiting_on), where the operation knows it.
    before: dict[str, Any] | None = None
    # When each timer waiting before the operation was due, by task id, where the operation knows it.
    timers_before: dict[str, datetime] | None = None

    def timers_changed(self) -> bool:
        """Whether the instance waits on other timers than before, or on the same ones for other times (True when
        the operation does not know what it waited on before)."""
        return self.timers_before != {timer.task_id: timer.due_at for timer in self.timers}

    def waiting_on(self) -> dict[str, Any]:
        """What the instance waits on now: its ready user tasks and waiting timers, by diagram id."""
        return {"open_tasks": sorted(task.name for task in self.ready),
                "waiting_timers": sorted(timer.name for timer in self.timers), "finished": self.finished}


def _properties(task: Any) -> dict[str, str]:
    extensions = getattr(task.task_spec, "extensions", None) or {}
    return dict(extensions.get("properties", {}))


def _is_timer(task: Any) -> bool:
    spec = task.task_spec
    return isinstance(spec, CatchingEvent) and isinstance(spec.event_definition, TimerEventDefinition)


def _load(process: CompiledProcess, state: str, policy: dict[str, Any]) -> BpmnWorkflow:
    dct = json.loads(state)
    dct.pop(SERIALIZER.VERSION_KEY, None)
    # Build the workflow on the cached spec objects rather than re-parsing the spec for every load.
    workflow = Workflow(process.spec, process.subprocess_specs, deserializing=True)
    wf_converter = _WORKFLOW_CONVERTER
    workflow.tasks = wf_converter.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
    workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
    wf_converter.set_default_attributes(workflow, dct)
    wf_converter.subprocesses_from_dict(dct["subprocesses"], workflow)
    workflow.bpmn_events = _CONVERTER.restore(dct.pop("bpmn_events", []))
    workflow.script_engine = script_engine(policy)
    return workflow.restored()


def _dump(workflow: BpmnWorkflow) -> str:
    # What BpmnWorkflowConverter.to_dict writes, less the spec: that is stored once per version, and converting
    # it for every save only to drop it was a third of the cost of a save.
    converter = _WORKFLOW_CONVERTER
    dct = WorkflowConverter.to_dict(converter, workflow)
    dct["subprocesses"] = converter.mapping_to_dict(workflow.subprocesses)
    dct["bpmn_events"] = _CONVERTER.convert(workflow.bpmn_events)
    return json.dumps(dct, separators=(",", ":"))


def _completed_ids(workflow: BpmnWorkflow) -> set[UUID]:
    return {task.id for task in tasks_in(workflow, TaskState.COMPLETED)}


def _before(workflow: BpmnWorkflow) -> tuple[set[UUID], dict[str, Any], dict[str, datetime]]:
    # One pass over the tasks before an operation: what had completed (to tell what the operation completed), what
    # the instance waited on, in the shape of Snapshot.waiting_on, and when each waiting timer was due.
    completed, ready, timers, dues = set(), [], [], {}
    for task in tasks_in(workflow, TaskState.ANY_MASK):
        if task.state == TaskState.COMPLETED:
            completed.add(task.id)
        elif task.state == TaskState.READY and task.task_spec.manual:
            ready.append(task.task_spec.bpmn_id)
        elif task.state == TaskState.WAITING and _is_timer(task):
            timers.append(task.task_spec.bpmn_id)
            if (due := _due(task)) is not None:
                dues[str(task.id)] = due
    before = {"open_tasks": sorted(ready), "waiting_timers": sorted(timers), "finished": workflow.is_completed()}
    return completed, before, dues


def _due(timer: Any) -> datetime | None:
    # When a waiting timer fires; None for one whose date its diagram left empty (it never fires).
    value = timer.task_spec.event_definition.details(timer).value
    return TimerEventDefinition.get_datetime(value) if value is not None else None


def _snapshot(workflow: BpmnWorkflow, completed_before: set[UUID], completed: CompletedTask | None = None,
              before: dict[str, Any] | None = None, timers_before: dict[str, datetime] | None = None) -> Snapshot:
    ready, timers, fired, statuses = [], [], [], []
    for task in tasks_in(workflow, TaskState.ANY_MASK):
        newly_completed = task.state == TaskState.COMPLETED and task.id not in completed_before
        if newly_completed and "status" in _properties(task):
            # End events carry the complaint status they mean (e.g. refused, closed).
            statuses.append(_properties(task)["status"])
        if task.state == TaskState.READY and task.task_spec.manual:
            ready.append(UserTaskView(
                id=str(task.id), name=task.task_spec.bpmn_id, title=task.task_spec.bpmn_name or task.task_spec.bpmn_id,
                lane=task.task_spec.lane, properties=_properties(task), data=dict(task.data),
            ))
        elif _is_timer(task):
            if task.state == TaskState.WAITING:
                if (due := _due(task)) is not None:
                    timers.append(TimerView(str(task.id), task.task_spec.bpmn_id, due, _properties(task),
                                            dict(task.data)))
            elif newly_completed:
                fired.append(FiredTimer(str(task.id), task.task_spec.bpmn_id, _properties(task), dict(task.data),
                                       task.task_spec.bpmn_name or task.task_spec.bpmn_id))
    return Snapshot(_dump(workflow), ready, timers, workflow.is_completed(), fired, completed, statuses, before,
                    timers_before)


def start(process: CompiledProcess, data: dict[str, Any], policy: dict[str, Any]) -> Snapshot:
    """Start an instance of `process` with `data` and run it to its first waits."""
    workflow = Workflow(process.spec, process.subprocess_specs, script_engine=script_engine(policy))
    for task in tasks_in(workflow, TaskState.READY):
        task.data.update(data)
    try:
        workflow.do_engine_steps()
    except SpiffWorkflowException as error:
        raise procedure_failed(error) from error
    return _snapshot(workflow, set())


def complete_task(process: CompiledProcess, state: str, task_id: str, data: dict[str, Any],
                  policy: dict[str, Any]) -> Snapshot:
    """Complete ready user task `task_id` with `data`; raises TaskNotFound or TaskNotReady.

    The caller must hold the instance lock: `Task.run()` does not check state, so readiness is checked here.
    """
    workflow = _load(process, state, policy)
    completed_before, before, timers_before = _before(workflow)
    try:
        task = workflow.get_task_from_id(UUID(task_id))
    except Exception as error:  # a malformed id, or Spiff's own TaskNotFoundException
        raise TaskNotFound(task_id) from error
    if task is None or not task.task_spec.manual:
        raise TaskNotFound(task_id)
    if task.state != TaskState.READY:
        raise TaskNotReady(f"task {task.task_spec.bpmn_id} is {TaskState.get_name(task.state)}")
    task.data.update(data)
    try:
        task.run()
        completed = CompletedTask(str(task.id), task.task_spec.bpmn_id, _properties(task), dict(task.data),
                                  frozenset(data))
        workflow.do_engine_steps()
    except SpiffWorkflowException as error:
        raise procedure_failed(error) from error
    return _snapshot(workflow, completed_before, completed, before, timers_before)


def task_data(process: CompiledProcess, state: str, task_id: str, policy: dict[str, Any]) -> dict[str, Any]:
    """The data a task currently holds (to pre-fill its form); raises TaskNotFound."""
    workflow = _load(process, state, policy)
    try:
        task = workflow.get_task_from_id(UUID(task_id))
    except Exception as error:
        raise TaskNotFound(task_id) from error
    return dict(task.data)


def fire_due_timers(process: CompiledProcess, state: str, policy: dict[str, Any]) -> Snapshot:
    """Fire every timer of the instance that is due now, then run the engine to its next waits."""
    workflow = _load(process, state, policy)
    completed_before = _completed_ids(workflow)
    try:
        workflow.refresh_timers()
        workflow.do_engine_steps()
    except SpiffWorkflowException as error:
        raise procedure_failed(error) from error
    return _snapshot(workflow, completed_before)


def cancel(process: CompiledProcess, state: str, policy: dict[str, Any]) -> Snapshot:
    """Stop the instance where it stands (the complaint was withdrawn): every open task and timer is cancelled."""
    workflow = _load(process, state, policy)
    completed_before, before, _ = _before(workflow)
    workflow.cancel()
    return _snapshot(workflow, completed_before, None, before)
