"""What-if replay: a recorded complaint run again, through another version of its procedure, in memory.

The complaint starts on the day it was received; each task staff completed is completed again, on the day they
did it, with the answers they gave; timers fire when the simulated clock passes them. If the version asks for
something the record does not have (a task that was never done), the replay stops there and says so: that is a
complaint whose path would change. Runs in the sandbox with the clock simulated; nothing is stored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState

from service.domain import calendar
from service.workflow import runtime
from service.workflow.engine import script_engine
from service.workflow.specs import SERIALIZER, CompiledProcess
from service.workflow.tree import Workflow, tasks_in


class _SimulatedTimeDate(TimeDateEventDefinition):
    """A date timer that fires by the replay's clock (`workflow.simulated_now`), never by the real one: a
    replayed complaint's timers are all in the past."""

    def has_fired(self, my_task: Any) -> bool:
        value = my_task._get_internal_data("event_value")
        if value is None:
            value = my_task.workflow.script_engine.evaluate(my_task, self.expression)
            my_task._set_internal_data(event_value=value)
        if TimerEventDefinition.parse_time_or_duration(value) <= my_task.workflow.simulated_now:
            my_task._set_internal_data(event_fired=True)
        return bool(my_task._get_internal_data("event_fired", False))


class _SimulatedDuration(DurationTimerEventDefinition):
    """A duration timer counted from, and fired by, the replay's clock."""

    def has_fired(self, my_task: Any) -> bool:
        value = my_task._get_internal_data("event_value")
        if value is None:
            duration = TimerEventDefinition.parse_iso_duration(my_task.workflow.script_engine.evaluate(
                my_task, self.expression))
            start = my_task.workflow.simulated_now
            value = (start + TimerEventDefinition.get_timedelta_from_start(duration, start)).isoformat()
            my_task._set_internal_data(event_value=value)
        if TimerEventDefinition.get_datetime(value) <= my_task.workflow.simulated_now:
            my_task._set_internal_data(event_fired=True)
        return bool(my_task._get_internal_data("event_fired", False))


_SIMULATED = {TimeDateEventDefinition: _SimulatedTimeDate, DurationTimerEventDefinition: _SimulatedDuration}
_SIMULATED_PROCESSES: dict[str, CompiledProcess] = {}


def simulated(process: CompiledProcess) -> CompiledProcess:
    """Spec objects of `process` of its own (never the app's shared ones) whose timers read the simulated clock;
    kept per version content."""
    if process.content_hash not in _SIMULATED_PROCESSES:
        stored = json.loads(process.spec_json)
        spec = SERIALIZER.from_dict(stored["spec"])
        subprocess_specs = {name: SERIALIZER.from_dict(sub) for name, sub in stored["subprocess_specs"].items()}
        for each in [spec, *subprocess_specs.values()]:
            for task_spec in each.task_specs.values():
                definition = getattr(task_spec, "event_definition", None)
                if type(definition) in _SIMULATED:
                    definition.__class__ = _SIMULATED[type(definition)]
        _SIMULATED_PROCESSES[process.content_hash] = CompiledProcess(
            process.process_id, spec, subprocess_specs, process.spec_json, process.content_hash)
    return _SIMULATED_PROCESSES[process.content_hash]


@dataclass(frozen=True)
class RecordedStep:
    """One task staff completed: its diagram id, the day they did it and the answers they gave."""

    task: str
    on: date
    data: dict[str, Any]


@dataclass
class Replayed:
    """A complaint replayed through one version: its path, its deadlines, the tasks it gave each lane."""

    path: list[str] = field(default_factory=list)  # the tasks completed, in order
    deadlines: dict[str, dict[str, str | None]] = field(default_factory=dict)  # key → {due, met_on}
    work: list[tuple[str, str | None, str]] = field(default_factory=list)  # (task, lane, ISO day it became ready)
    diverged: str | None = None  # why the record no longer fits the version, if it does not
    error: str | None = None


class _Replay:
    def __init__(self, process: CompiledProcess, policy: dict[str, Any], received_on: date) -> None:
        self.clock = [received_on]
        process = simulated(process)
        self.workflow = Workflow(process.spec, process.subprocess_specs,
                                 script_engine=script_engine(policy, today=lambda: self.clock[0].isoformat()))
        self.result = Replayed()
        self.seen: set[str] = set()
        self.ready: list[Any] = []  # the user tasks ready now, as of the last scan
        self.timers: list[tuple[datetime, Any]] = []  # the timers waiting now and when each is due
        self.due: dict[Any, datetime | None] = {}  # a timer's due moment, worked out once
        self.set_day(received_on)

    def set_day(self, day: date, moment: datetime | None = None) -> None:
        # The simulated clock: staff act during the day (10:00 London); a timer fires at its own moment.
        self.clock[0] = day
        self.workflow.simulated_now = moment or calendar.london_datetime(day, time(10, 0))

    def scan(self) -> None:
        # One walk of the task tree after each step (SpiffWorkflow's walks are the cost of a replay): the ready
        # user tasks, each waiting timer's deadline, and each user task the first time it is ready.
        self.ready, self.timers = [], []
        for task in tasks_in(self.workflow, TaskState.READY | TaskState.WAITING):
            if task.state == TaskState.READY:
                if task.task_spec.manual:
                    self.ready.append(task)
                    if task.id not in self.seen:
                        self.seen.add(task.id)
                        self.result.work.append((task.task_spec.bpmn_id, task.task_spec.lane,
                                                 self.clock[0].isoformat()))
                continue
            if not runtime._is_timer(task):
                continue
            if task.id not in self.due:
                self.due[task.id] = _due(task)
            at = self.due[task.id]
            if at is not None:
                self.timers.append((at, task))
            key = runtime._properties(task).get("deadline")
            if key and f"{key}_due" in task.data:
                entry = self.result.deadlines.setdefault(key, {"due": None, "met_on": None})
                entry["due"] = str(task.data[f"{key}_due"])

    def fire_until(self, day: date) -> None:
        # Timers due before `day` begins fire in order, each on its own day.
        while True:
            due = [at for at, _ in self.timers if calendar.to_london_date(at) < day]
            if not due:
                return
            moment = min(due)
            self.set_day(max(self.clock[0], calendar.to_london_date(moment)), moment)
            self.workflow.refresh_timers()
            self.workflow.do_engine_steps()
            self.scan()

    def complete(self, step: RecordedStep) -> bool:
        self.fire_until(step.on)
        self.set_day(max(self.clock[0], step.on))
        task = next((t for t in self.ready if t.task_spec.bpmn_id == step.task), None)
        if task is None:
            waiting = sorted(t.task_spec.bpmn_id for t in self.ready) or ["nothing"]
            self.result.diverged = (f"on {step.on:%d %B %Y} the record has {step.task} done, but this version waits "
                                    f"for {', '.join(waiting)}")
            return False
        properties = runtime._properties(task)
        task.data.update(step.data)
        task.run()
        self.result.path.append(step.task)
        met = properties.get("meets_deadline")
        if met:
            met_on = step.data.get(properties.get("met_on_field", "")) or step.on.isoformat()
            self.result.deadlines.setdefault(met, {"due": None, "met_on": None})["met_on"] = str(met_on)
        self.workflow.do_engine_steps()
        self.scan()
        return True


def _due(task: Any) -> Any:
    value = task.task_spec.event_definition.details(task).value
    return TimerEventDefinition.get_datetime(value) if value is not None else None


def replay(process: CompiledProcess, policy: dict[str, Any], start: dict[str, Any], received_on: date,
           steps: list[RecordedStep], until: date) -> Replayed:
    """Replay a complaint received on `received_on` whose staff did `steps`, through `process`, up to `until`
    (timers due before then fire). Expression failures are reported in `error`, never raised."""
    run = _Replay(process, policy, received_on)
    try:
        for task in tasks_in(run.workflow, TaskState.READY):
            task.data.update({**start, "received_on": received_on.isoformat()})
        run.workflow.do_engine_steps()
        run.scan()
        for step in steps:
            if not run.complete(step):
                break
        else:
            run.fire_until(until)
    except SpiffWorkflowException as error:
        run.result.error = runtime.procedure_failed(error).args[0]
    return run.result
