"""The engine's own walks of the task tree and ours (`service.workflow.tree`) find the same tasks in the same order,
and an instance moves the same way under both, step by step through both stages with timers firing."""

from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskIterator, TaskState

from bench.scenario_suite import fields_for
from service.domain.policy import PROCESSES_DIR, available_profiles, load_policy
from service.workflow import runtime, specs, tree
from service.workflow.explore import explore, scenario_days
from service.workflow.tree import Workflow, tasks_in

POLICY = load_policy("code-2024").params
MASKS = [TaskState.READY, TaskState.WAITING, TaskState.READY | TaskState.WAITING, TaskState.COMPLETED,
         TaskState.MAYBE | TaskState.LIKELY, TaskState.FUTURE, TaskState.CANCELLED, TaskState.ANY_MASK]
# A complaint through both stages: (moment, task completed or None to fire the due timers, its data).
JOURNEY: list[tuple[str, str | None, dict[str, Any]]] = [
    ("2026-12-21T10:00:00+00:00", "triage", {"triage_decision": "accept"}),
    ("2026-12-29T10:00:00+00:00", None, {}),  # the acknowledgement's reminder, across Christmas
    ("2027-01-05T10:00:00+00:00", None, {}),  # and its breach
    ("2027-01-05T11:00:00+00:00", "stage1_acknowledge_breach_review", {}),
    ("2027-01-05T12:00:00+00:00", "stage1_acknowledge", {"stage1_acknowledged_on": "2027-01-05"}),
    ("2027-01-06T10:00:00+00:00", "stage1_investigate", {"stage1_next_step": "respond"}),
    ("2027-01-07T10:00:00+00:00", "stage1_respond", {"stage1_responded_on": "2027-01-07"}),
    ("2027-01-08T10:00:00+00:00", "escalation", {"escalate": "yes", "escalation_requested_on": "2027-01-08"}),
    ("2027-01-11T10:00:00+00:00", "stage2_acknowledge", {"stage2_acknowledged_on": "2027-01-11"}),
    ("2027-02-10T10:00:00+00:00", None, {}),  # the Stage 2 response reminder and breach
    ("2027-02-10T11:00:00+00:00", "stage2_review", {"stage2_next_step": "respond"}),
    ("2027-02-10T12:00:00+00:00", "stage2_respond", {"stage2_responded_on": "2027-02-10"}),
    ("2027-02-11T10:00:00+00:00", "close_complaint", {"ombudsman_route_explained": True}),
    ("2027-02-11T11:00:00+00:00", "stage2_response_breach_review", {}),  # the breach is reviewed after closing
]


@pytest.fixture(scope="module")
def process():
    return specs.compile_process("complaint", specs.load_process_files(PROCESSES_DIR, "complaint"))


def _both(process, state: str) -> tuple[Workflow, BpmnWorkflow]:
    ours = runtime._load(process, state, POLICY)
    theirs = runtime._load(process, state, POLICY)
    theirs.__class__ = BpmnWorkflow  # SpiffWorkflow's own engine, on the same state
    for subprocess in theirs.subprocesses.values():
        del subprocess.update_waiting_tasks
    return ours, theirs


def _tree(workflow: BpmnWorkflow) -> list[tuple[str, str, dict[str, Any]]]:
    # Task ids are new on each side for new tasks: compare what each task is, its state and its data.
    return [(task.task_spec.name, TaskState.get_name(task.state), task.data) for task in workflow.get_tasks()]


def _assert_same_walks(ours: Workflow, theirs: BpmnWorkflow) -> None:
    for mask in MASKS:
        assert [t.id for t in tasks_in(ours, mask)] == [t.id for t in ours.get_tasks(state=mask)], mask
    waiting_here = [t.id for t in TaskIterator(ours.task_tree, state=TaskState.WAITING)]
    assert [t.id for t in tasks_in(ours, TaskState.WAITING, into_subprocesses=False)] == waiting_here
    for subprocess in ours.subprocesses.values():
        assert [t.id for t in tasks_in(subprocess, TaskState.READY)] == \
            [t.id for t in subprocess.get_tasks(state=TaskState.READY)]
    assert _tree(ours) == _tree(theirs)


@pytest.fixture
def searches(monkeypatch):
    """Every search for ready tasks in the engine's steps, checked against SpiffWorkflow's own walk: how many
    each found."""
    found, counts = tree.ready_tasks, []

    def checked(workflow):
        ready = found(workflow)
        assert [t.id for t in ready] == [t.id for t in workflow.get_tasks(state=TaskState.READY)]
        counts.append(len(ready))
        return ready
    monkeypatch.setattr(tree, "ready_tasks", checked)
    return counts


def test_our_walks_and_engine_steps_match_spiffworkflows_through_both_stages(process, searches):
    with time_machine.travel(datetime(2026, 12, 18, 10, tzinfo=UTC), tick=False):
        state = runtime.start(process, {"received_on": "2026-12-18"}, POLICY).state
    steps_seen = 0
    for moment, name, data in JOURNEY:
        with time_machine.travel(datetime.fromisoformat(moment), tick=False):
            ours, theirs = _both(process, state)
            _assert_same_walks(ours, theirs)
            for workflow in (ours, theirs):
                if name is None:
                    workflow.refresh_timers()
                else:
                    task = next(t for t in workflow.get_tasks(state=TaskState.READY) if t.task_spec.name == name)
                    task.data.update(data)
                    task.run()
                workflow.do_engine_steps()
            _assert_same_walks(ours, theirs)
            state = runtime._dump(ours)
            steps_seen += 1
    assert steps_seen == len(JOURNEY)
    assert len(searches) > 50 and max(searches) > 1  # the walk's order was needed too
    assert ours.is_completed() and theirs.is_completed()


@pytest.mark.parametrize("profile", available_profiles())
def test_every_path_of_the_shipped_procedure_finds_the_ready_tasks_spiffworkflow_finds(profile, searches):
    policy = load_policy(profile)
    ran = explore(specs.compile_process("complaint", specs.load_process_files(PROCESSES_DIR, "complaint")),
                  policy.params, fields_for(policy.params), scenario_days(2027),
                  start=lambda day: {"complaint_reference": "T", "channel": "phone"})
    assert len(ran.paths) > 50 and all(path.ended and not path.error for path in ran.paths)
    assert len(searches) > 1000 and max(searches) > 1
