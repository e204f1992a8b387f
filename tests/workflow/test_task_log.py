"""A task's state change (service.workflow.task_log) is SpiffWorkflow's own, its log records included, and
builds no record while the `spiff.task` logger would not write it."""

import logging
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

from service.domain.policy import PROCESSES_DIR, load_policy
from service.workflow import runtime, specs, task_log

POLICY = load_policy("code-2024").params
FIELDS = ("msg", "task_spec", "task_type", "state", "workflow_spec", "parent")


@pytest.fixture(scope="module")
def process():
    return specs.compile_process("complaint", specs.load_process_files(PROCESSES_DIR, "complaint"))


def _accept_triage(process: Any) -> list[tuple[str, int]]:
    # One triage completion from the same start: each task's (spec, state) after it.
    with time_machine.travel(datetime(2026, 12, 18, 10, tzinfo=UTC), tick=False):
        state = runtime.start(process, {"received_on": "2026-12-18"}, POLICY).state
        workflow = runtime._load(process, state, POLICY)
        task = next(t for t in workflow.get_tasks() if t.task_spec.name == "triage" and t.state == TaskState.READY)
        task.data.update({"triage_decision": "accept"})
        task.run()
        workflow.do_engine_steps()
        return [(t.task_spec.name, t.state) for t in workflow.get_tasks()]


def test_no_log_record_is_built_while_the_spiff_logger_would_not_write_it(process, monkeypatch):
    assert not logging.getLogger("spiff.task").isEnabledFor(logging.INFO)  # as service.workflow.engine sets it

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("a log record was built that nothing writes")
    monkeypatch.setattr(Task, "collect_log_extras", refuse)
    tasks = _accept_triage(process)
    assert ("stage1_acknowledge", TaskState.READY) in tasks  # the complaint moved on: the state changes were made


@pytest.mark.parametrize("level", [logging.INFO, logging.DEBUG])
def test_states_and_log_records_are_spiffworkflows_own(process, monkeypatch, caplog, level):
    caplog.set_level(level, logger="spiff.task")
    ours_tasks = _accept_triage(process)
    ours_records = [tuple(str(getattr(r, f, r.getMessage())) for f in FIELDS) for r in caplog.records]
    caplog.clear()
    monkeypatch.setattr(Task, "_set_state", task_log.SPIFFWORKFLOW_SET_STATE)
    theirs_tasks = _accept_triage(process)
    theirs_records = [tuple(str(getattr(r, f, r.getMessage())) for f in FIELDS) for r in caplog.records]
    assert ours_tasks == theirs_tasks
    assert len(ours_records) > 20
    # Task ids differ between the two runs (new tasks get new ids): compare all but the parent's id.
    assert [r[:5] for r in ours_records] == [r[:5] for r in theirs_records]
    assert any(r[0].startswith("State set to") for r in ours_records) == (level == logging.DEBUG)
