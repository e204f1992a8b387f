"""A task's state change, logged only when SpiffWorkflow's logger would write it.

SpiffWorkflow 3.2's `Task._set_state` builds each state change's log record, an f-string and a dict of ten
fields (`collect_log_extras`), before asking its logger (`spiff.task`) whether it wants it. That logger is at WARNING
(service.workflow.engine), so every record was thrown away, a few seconds of every 10,000 replayed complaints
(README, Performance). The state is set exactly as SpiffWorkflow sets it, and the record is built when the logger
is enabled for it; `tests/workflow/test_task_log.py` checks both.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from SpiffWorkflow.task import Task
from SpiffWorkflow.task import logger as spiff_logger
from SpiffWorkflow.util.task import TaskState


def set_state(task: Any, value: int) -> None:
    """Force `task` into state `value`, as SpiffWorkflow's `Task._set_state` does (its log records included)."""
    if value != task._state:
        changed_at = time.time()
        elapsed = changed_at - task.last_state_change
        task.last_state_change = changed_at
        task._state = value
        if spiff_logger.isEnabledFor(logging.INFO):
            spiff_logger.info(f"State changed to {TaskState.get_name(value)}",
                              extra=task.collect_log_extras({"elapsed": elapsed}))
    elif spiff_logger.isEnabledFor(logging.DEBUG):
        spiff_logger.debug(f"State set to {TaskState.get_name(value)}", extra=task.collect_log_extras())


# SpiffWorkflow's own, kept so a test can hold ours against it.
SPIFFWORKFLOW_SET_STATE = Task._set_state
Task._set_state = set_state
