"""SpiffWorkflow's walks of the task tree, done without its iterator's bookkeeping.

`do_engine_steps` finds the tasks to run by walking the whole task tree (every completed task included) with
SpiffWorkflow's `TaskIterator`, several times per step, and each completed task walks it again for the waiting
ones. That walk was half the time of a replayed complaint: the iterator tracks depth (climbing back up the
parents at every leaf) and filters through method calls. `tasks_in` visits the same tasks in the same order,
with the same rules for where to descend, so the engine runs exactly what it would have run; `ready_tasks` skips
the walk when one task at most is ready, and the walk for waiting tasks is skipped when none waits. `Workflow` is
SpiffWorkflow's `BpmnWorkflow` with its two walks done by these. `tests/workflow/test_tree.py` compares them with
SpiffWorkflow's own on real instances.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import MethodType
from typing import Any

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

_READY, _WAITING = TaskState.READY, TaskState.WAITING


def _lowest_state_descended(state: int) -> int:
    # TaskIterator's rule: predicted tasks only follow definite ones, and definite ones only follow finished ones.
    if state & TaskState.PREDICTED_MASK:
        return TaskState.MAYBE
    if state & TaskState.DEFINITE_MASK:
        return TaskState.FUTURE
    return TaskState.COMPLETED


def tasks_in(workflow: Any, state: int, *, into_subprocesses: bool = True) -> Iterator[Any]:
    """The tasks of `workflow` in `state` (a mask), depth first, as `workflow.get_tasks_iterator(state=state)`
    yields them: into sub-process trees too (as `BpmnTaskIterator` does) unless `into_subprocesses` is false (as
    the plain `TaskIterator` of `update_waiting_tasks`). Lazy like it: a task's children are taken when the task
    is reached, so a caller may change the tree between tasks."""
    lowest = _lowest_state_descended(state)
    skip_finished_subprocesses = state <= TaskState.FINISHED_MASK
    subprocesses = workflow.top_workflow.subprocesses if into_subprocesses else {}
    pending = [workflow.task_tree]  # a stack: the next task is last
    while pending:
        task = pending.pop()
        task_state = task._state
        # A task's children, as `Task.children` finds them (by id, in its own workflow), last pushed first.
        subprocess = subprocesses.get(task.id) if subprocesses else None
        if subprocess is not None:
            following = task.children
            if not (task_state >= TaskState.FINISHED_MASK and skip_finished_subprocesses):
                following = [subprocess.task_tree, *following]
            pending.extend(reversed(following))
        elif task._children and task_state >= lowest:
            find = task.workflow.tasks.get
            pending.extend(map(find, reversed(task._children)))
        if task_state & state:
            yield task


def ready_tasks(workflow: Any) -> list[Any]:
    """`list(tasks_in(workflow, READY))`, found without the walk when at most one task is ready (most engine
    steps). A ready task is always reached by the walk (its ancestors are done or under way, never predicted),
    so when there is one, its place in the order does not matter; several need the walk for their order."""
    ready = [task for task in workflow.tasks.values() if task._state == _READY]
    top = workflow.top_workflow
    for subprocess in top.subprocesses.values():
        if len(ready) > 1:
            break
        if subprocess is not workflow and _within(subprocess, workflow):
            ready.extend(task for task in subprocess.tasks.values() if task._state == _READY)
    return ready if len(ready) <= 1 else list(tasks_in(workflow, _READY))


def _within(subprocess: Any, workflow: Any) -> bool:
    # Whether the walk of `workflow` reaches `subprocess`: the top workflow reaches every sub-process, a
    # sub-process those started inside it, however deep.
    top = workflow.top_workflow
    while subprocess is not top:
        if subprocess is workflow:
            return True
        subprocess = subprocess.parent_workflow
    return workflow is top


def _update_waiting_tasks(workflow: Any) -> None:
    # SpiffWorkflow's `Workflow.update_waiting_tasks`, with its walk done by `tasks_in`. Most calls (four in five
    # of a replay's) find no task of the workflow waiting: then the walk would yield nothing and so change
    # nothing, and a look at the workflow's tasks replaces it.
    if not any(task._state == _WAITING for task in workflow.tasks.values()):
        return
    for task in tasks_in(workflow, _WAITING, into_subprocesses=False):
        task.task_spec._update(task)


def _walk_fast(subprocess: Any) -> None:
    # On the instance, not by a subclass: the serializer names a sub-process by its class.
    subprocess.update_waiting_tasks = MethodType(_update_waiting_tasks, subprocess)


class Workflow(BpmnWorkflow):
    """SpiffWorkflow's `BpmnWorkflow`, with the tree walks of its engine steps done by `tasks_in`."""

    def create_subprocess(self, my_task: Any, spec_name: str) -> Any:
        """SpiffWorkflow's, the sub-process's walks done by `tasks_in` too."""
        subprocess = super().create_subprocess(my_task, spec_name)
        _walk_fast(subprocess)
        return subprocess

    def restored(self) -> Workflow:
        """This workflow, once its sub-processes are restored from a saved state: theirs walk fast too."""
        for subprocess in self.subprocesses.values():
            _walk_fast(subprocess)
        return self

    def update_waiting_tasks(self) -> None:
        """SpiffWorkflow's, with its walk done by `tasks_in`."""
        _update_waiting_tasks(self)

    def _do_engine_steps(self, will_complete_task: Callable[[Any], None] | None = None,
                         did_complete_task: Callable[[Any], None] | None = None) -> bool:
        # SpiffWorkflow 3.2's own, but for `tasks_in` in place of `get_tasks(state=READY)`.
        def update_workflow(workflow: Any) -> int:
            count = 0
            for task in ready_tasks(workflow):
                if not task.task_spec.manual:
                    if will_complete_task is not None:
                        will_complete_task(task)
                    task.run()
                    count += 1
                    if did_complete_task is not None:
                        did_complete_task(task)
            return count

        active_subprocesses = self.get_active_subprocesses()
        for subprocess in sorted(active_subprocesses, key=lambda v: v.depth, reverse=True):
            count = None
            while count is None or count > 0:
                count = update_workflow(subprocess)
            if subprocess.parent_task_id is not None:
                task = self.get_task_from_id(subprocess.parent_task_id)
                task.task_spec._update(task)

        count = update_workflow(self)
        return count > 0 or len(self.get_active_subprocesses()) > len(active_subprocesses)
