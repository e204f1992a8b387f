"""Proving a diagram by running it: every path, in memory, with the sandboxed engine and a simulated clock.

From each received date, the explorer follows the default path (each user task done the next working day with
its form's first answers, deadlines met) and branches wherever something not yet tried could happen: another
answer to a choice on a form, a box ticked, a commitment made, or the earliest timer firing first (a deadline
missed, a reminder sent). Only answers the diagram reads are varied: an answer no condition, script or timer reads
(how an extension was agreed, which ground an older complaint was accepted on) cannot change the path, and trying
each of its values would only repeat paths. It returns plain facts — the steps of each path, the deadlines set with the dates
they were counted from, the user tasks reached, whether it ended, got stuck or failed — for the Code linter
(service.domain.linter) to judge. Nothing is stored; the real clock is never read by the diagram.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState

from service.domain import calendar
from service.domain.behaviour import DeadlineFact, PathFacts
from service.workflow import names, runtime
from service.workflow.engine import script_engine
from service.workflow.specs import CompiledProcess
from service.workflow.tree import Workflow, tasks_in

MAX_STEPS = 80  # steps on one path: more is a loop that the default answers do not leave
MAX_REPEATS = 4  # times one task may be done on one path before the path is cut
MAX_PATHS = 400
# The dates a deadline may be counted from, kept with each deadline for the linter.
FROM_FIELDS = ("received_on", "stage1_received_on", "stage1_acknowledged_on", "escalation_requested_on",
               "stage2_acknowledged_on", "stage1_response_original_due", "stage2_response_original_due")
FormFields = Callable[[str], list[dict[str, Any]]]


@dataclass
class _Path:
    """A path being explored: the instance, the simulated day, and what happened on the way."""

    workflow: BpmnWorkflow
    clock: list[date]  # the simulated day, shared with the script engine's today()
    facts: PathFacts
    done: dict[str, int] = field(default_factory=dict)
    # The ready user tasks and the waiting timers (raw values), read in one pass over the tasks after each step.
    scan: tuple[list[Any], list[tuple[Any, Any]]] | None = None

    @property
    def day(self) -> date:
        return self.clock[0]


@dataclass
class Exploration:
    """Every path run from every received date, and whether the budget cut the exploration short."""

    paths: list[PathFacts]
    truncated: bool
    seconds: float


class _Explorer:
    def __init__(self, process: CompiledProcess, policy: dict[str, Any], form_fields: FormFields,
                 start: Callable[[date], dict[str, Any]], start_form: str | None,
                 progress: Callable[[int, int], None] | None) -> None:
        self.process, self.policy, self.form_fields = process, policy, form_fields
        self.start, self.start_form, self.progress = start, start_form, progress
        self.branch = True  # False: the default path from each date only
        self.covered: set[str] = set()
        self.setters = _setters(process)
        self.read = _read_names(process)
        self.paths: list[PathFacts] = []
        self.truncated = False

    # -- answers a member of staff could give ----------------------------------------------------------------

    def _base_value(self, field_: dict[str, Any], data: dict[str, Any], day: date) -> Any:
        name, kind = str(field_["name"]), field_["type"]
        if kind == "date":
            return self._extension_date(name, data) or day.isoformat()
        if kind == "boolean":
            return False
        if kind == "choice":
            choices = [c["value"] for c in field_.get("choices") or []]
            if field_.get("multiple"):
                return choices[:1]
            return choices[0] if choices else None
        if kind == "list":
            # Prefilled rows (commitments being followed through) come back delivered.
            return [{**row, "delivered": True} for row in data.get(name) or [] if isinstance(row, dict)]
        return "Scenario"

    def _extension_date(self, name: str, data: dict[str, Any]) -> str | None:
        # An extension agreed to the latest date the profile allows after the original deadline.
        if not (name.startswith("stage") and name.endswith("_extended_to")):
            return None
        stage = name[len("stage"):name.index("_")]
        original = data.get(f"stage{stage}_response_original_due") or data.get(f"stage{stage}_response_due")
        cap = (self.policy.get(f"stage{stage}") or {}).get("extension_cap_days")
        if not original or cap is None:
            return None
        return calendar.add_working_days(date.fromisoformat(str(original)[:10]), int(cap)).isoformat()

    def answers(self, form: str, data: dict[str, Any], day: date) -> list[tuple[str, dict[str, Any]]]:
        """The default answer to `form`, then one answer per other choice, tick or list row."""
        fields = self.form_fields(form)
        base = {str(f["name"]): self._base_value(f, data, day) for f in fields}
        out = [("default", base)]
        for field_ in fields:
            name = str(field_["name"])
            if name not in self.read:
                continue  # the diagram never reads it: another value cannot change the path
            if field_["type"] == "choice" and not field_.get("multiple"):
                for choice in [c["value"] for c in field_.get("choices") or []][1:]:
                    out.append((f"{name}={choice}", {**base, name: choice}))
            elif field_["type"] == "boolean":
                out.append((f"{name}=yes", {**base, name: True}))
            elif field_["type"] == "list" and not base[name]:
                due = calendar.add_working_days(day, 5).isoformat()
                row = {"action": "Scenario action", "owner": "Scenario owner", "due": due, "delivered": False}
                out.append((f"{name}+row", {**base, name: [row]}))
        return out

    # -- running ---------------------------------------------------------------------------------------------

    def _engine(self, clock: list[date]) -> Any:
        return script_engine(self.policy, today=lambda: clock[0].isoformat())

    def _copy(self, path: _Path) -> _Path:
        # A branch is the instance as stored and restored, with a clock of its own.
        workflow = runtime._load(self.process, runtime._dump(path.workflow), self.policy)
        clock = [path.day]
        workflow.script_engine = self._engine(clock)
        facts = PathFacts(**{**path.facts.__dict__, "steps": list(path.facts.steps),
                             "deadlines": list(path.facts.deadlines), "tasks": list(path.facts.tasks),
                             "answers": dict(path.facts.answers)})
        return _Path(workflow, clock, facts, dict(path.done))

    def _set_day(self, path: _Path, day: date) -> None:
        path.clock[0] = day

    def _scan(self, path: _Path) -> tuple[list[Any], list[tuple[Any, Any]]]:
        # One pass over the instance's tasks per step, not one per question asked of it.
        if path.scan is None:
            ready, timers = [], []
            for task in tasks_in(path.workflow, TaskState.ANY_MASK):
                if task.state == TaskState.READY and task.task_spec.manual:
                    ready.append(task)
                elif task.state == TaskState.WAITING and runtime._is_timer(task):
                    value = task.task_spec.event_definition.details(task).value
                    if value is not None:
                        timers.append((value, task))
            path.scan = (sorted(ready, key=lambda t: t.task_spec.bpmn_id), timers)
        return path.scan

    def _ready(self, path: _Path) -> list[Any]:
        return self._scan(path)[0]

    def _waiting_timers(self, path: _Path) -> list[tuple[datetime, Any]]:
        timers = [(TimerEventDefinition.get_datetime(value), task) for value, task in self._scan(path)[1]]
        return sorted(timers, key=lambda pair: (pair[0], pair[1].task_spec.bpmn_id))

    def _record(self, path: _Path) -> None:
        # Deadlines as their timers carry them now, and the user tasks that are ready.
        facts = path.facts
        for _due_at, task in self._waiting_timers(path):
            key = runtime._properties(task).get("deadline")
            if key and f"{key}_due" in task.data:
                element = self.setters.get(f"{key}_original_due") or self.setters.get(f"{key}_due", task.task_spec.bpmn_id)
                fact = DeadlineFact(key, str(task.data[f"{key}_due"]), element,
                                    {name: task.data[name] for name in FROM_FIELDS if task.data.get(name)},
                                    facts.scenario())
                if fact not in facts.deadlines:
                    facts.deadlines.append(fact)
        for task in self._ready(path):
            entry = (task.task_spec.bpmn_id, task.task_spec.lane, dict(runtime._properties(task)))
            if entry not in facts.tasks:
                facts.tasks.append(entry)

    def _step(self, path: _Path, action: Callable[[], None], label: str, element: str) -> bool:
        try:
            action()
            path.workflow.do_engine_steps()
            path.scan = None
        except SpiffWorkflowException as error:
            failed = runtime.procedure_failed(error)
            path.facts.error = (failed.element or element, failed.message)
        except Exception as error:  # noqa: BLE001 - anything a diagram's expression raises is a finding
            path.facts.error = (element, f"{type(error).__name__}: {error}")
        path.scan = None
        path.facts.steps.append(label)
        if path.facts.error is None:
            path.facts.error = self._naive_timer(path)
        if path.facts.error is not None:
            return False
        self._record(path)
        return True

    def _naive_timer(self, path: _Path) -> tuple[str, str] | None:
        # SpiffWorkflow reads a date without a time zone with a fixed offset, wrong across BST: refuse it.
        for value, task in self._scan(path)[1]:
            if not (isinstance(value, str) and value[:4].isdigit() and "T" in value):
                continue
            try:
                naive = datetime.fromisoformat(value).tzinfo is None
            except ValueError:
                return task.task_spec.bpmn_id, f"the timer returns {value!r}, which is not an ISO date and time"
            if naive:
                return task.task_spec.bpmn_id, (f"the timer returns {value!r}, which has no time zone: use the "
                                                "working-day helpers (e.g. breach_time)")
        return None

    def _complete(self, path: _Path, task: Any, data: dict[str, Any], key: str) -> bool:
        name = task.task_spec.bpmn_id
        path.done[name] = path.done.get(name, 0) + 1
        path.facts.answers.update({k: v for k, v in data.items() if not isinstance(v, list)})

        def act() -> None:
            task.data.update(data)
            task.run()
        shown = "" if key == "default" else f" ({key})"
        return self._step(path, act, f"{path.day:%a %d %b %Y}: {name}{shown}", name)

    def _fire(self, path: _Path) -> bool:
        timers = self._waiting_timers(path)
        moment, first = timers[0]
        self._set_day(path, max(path.day, calendar.to_london_date(moment)))
        fired = [task for due_at, task in timers if due_at <= moment]
        for task in fired:
            task._set_internal_data(event_fired=True)
        label = f"{path.day:%a %d %b %Y}: timer {', '.join(t.task_spec.bpmn_id for t in fired)} fired"
        return self._step(path, path.workflow.refresh_timers, label, first.task_spec.bpmn_id)

    def _next_day(self, path: _Path) -> None:
        self._set_day(path, calendar.add_working_days(path.day, 1))

    def _alternatives(self, path: _Path, queue: list[tuple[_Path, Callable[[_Path], bool]]]) -> None:
        # Branches worth taking from here: an answer or a timer not yet tried anywhere.
        for task in self._ready(path):
            form = runtime._properties(task).get("form") or task.task_spec.bpmn_id
            for key, data in self.answers(form, dict(task.data), calendar.add_working_days(path.day, 1))[1:]:
                mark = f"{task.task_spec.bpmn_id}:{key}"
                if mark not in self.covered:
                    self.covered.add(mark)
                    queue.append((self._copy(path), _completing(self, task.task_spec.bpmn_id, data, key)))
        timers = self._waiting_timers(path)
        if timers and self._ready(path):
            mark = f"fire:{timers[0][1].task_spec.bpmn_id}"
            if mark not in self.covered:
                self.covered.add(mark)
                queue.append((self._copy(path), self._fire))

    def _follow(self, path: _Path, queue: list[tuple[_Path, Callable[[_Path], bool]]]) -> None:
        # The default path from here: the first ready task, done the next working day with default answers;
        # with nothing ready, the earliest timer fires.
        while len(path.facts.steps) < MAX_STEPS:
            if path.workflow.is_completed():
                path.facts.ended = True
                return
            if self.branch:
                self._alternatives(path, queue)
            ready = self._ready(path)
            if ready:
                task = ready[0]
                if path.done.get(task.task_spec.bpmn_id, 0) >= MAX_REPEATS:
                    path.facts.cut = True
                    return
                self._next_day(path)
                form = runtime._properties(task).get("form") or task.task_spec.bpmn_id
                if not self._complete(path, task, self.answers(form, dict(task.data), path.day)[0][1], "default"):
                    return
            elif self._waiting_timers(path):
                if not self._fire(path):
                    return
            else:
                path.facts.stuck = True
                return
        path.facts.cut = True

    def run(self, received: list[date], deadline: float) -> None:
        queue: list[tuple[_Path, Callable[[_Path], bool]]] = []
        for day in received:
            clock = [day]
            workflow = Workflow(self.process.spec, self.process.subprocess_specs,
                                script_engine=self._engine(clock))
            path = _Path(workflow, clock, PathFacts(received_on=day.isoformat()))
            data = {**(self.answers(self.start_form, {}, day)[0][1] if self.start_form else {}),
                    **self.start(day), "received_on": day.isoformat()}
            self.covered.clear()

            def start(workflow: BpmnWorkflow = workflow, data: dict[str, Any] = data) -> None:
                for task in tasks_in(workflow, TaskState.READY):
                    task.data.update(data)
            if self._step(path, start, f"{day:%a %d %b %Y}: received", self.process.process_id):
                self._follow(path, queue)
            self.paths.append(path.facts)
            while queue:
                if len(self.paths) >= MAX_PATHS or time.monotonic() > deadline:
                    self.truncated = True
                    queue.clear()
                    break
                branch, move = queue.pop()
                if move(branch):
                    self._follow(branch, queue)
                self.paths.append(branch.facts)
                if self.progress is not None:
                    self.progress(len(self.paths), len(self.paths) + len(queue))
        if self.progress is not None:
            self.progress(len(self.paths), len(self.paths))


def _completing(explorer: _Explorer, name: str, data: dict[str, Any], key: str) -> Callable[[_Path], bool]:
    def move(path: _Path) -> bool:
        task = next((t for t in explorer._ready(path) if t.task_spec.bpmn_id == name), None)
        if task is None:
            return False
        explorer._next_day(path)
        return explorer._complete(path, task, data, key)
    return move


def _read_names(process: CompiledProcess) -> set[str]:
    """Every name the diagram's conditions, scripts and timer expressions read."""
    found: set[str] = set()
    for spec in [process.spec, *process.subprocess_specs.values()]:
        for task_spec in spec.task_specs.values():
            for text in (getattr(task_spec, "script", None), getattr(task_spec, "prescript", None),
                         getattr(task_spec, "postscript", None)):
                if isinstance(text, str):
                    found |= {use.name for use in names.reads(text, "exec")}
            for condition, _target in getattr(task_spec, "cond_task_specs", None) or []:
                for text in getattr(condition, "args", ()) or ():
                    found |= {use.name for use in names.reads(str(text), "eval")}
            expression = getattr(getattr(task_spec, "event_definition", None), "expression", None)
            if isinstance(expression, str):
                found |= {use.name for use in names.reads(expression, "eval")}
    return found


def _setters(process: CompiledProcess) -> dict[str, str]:
    """Which script sets each variable (the first one, by id): a deadline's finding names the script that
    computes it rather than the timers that carry it."""
    found: dict[str, str] = {}
    for spec in [process.spec, *process.subprocess_specs.values()]:
        for task_spec in sorted(spec.task_specs.values(), key=lambda t: str(getattr(t, "bpmn_id", ""))):
            script = getattr(task_spec, "script", None)
            if isinstance(script, str):
                for name in names.assigns(script):
                    found.setdefault(name, task_spec.bpmn_id)
    return found


def explore(process: CompiledProcess, policy: dict[str, Any], form_fields: FormFields, received: list[date],
            start: Callable[[date], dict[str, Any]] = lambda day: {}, start_form: str | None = None,
            progress: Callable[[int, int], None] | None = None, seconds: float = 30.0,
            branch: bool = True) -> Exploration:
    """Run `process` from each of the `received` dates along every path, in the sandbox, with a simulated clock.

    `form_fields(form)` describes a user task's form (forms.describe); an instance starts with the default
    answers of `start_form` and `start(day)`; `progress(done, known)` is called as paths finish. Stops branching
    after `seconds` or MAX_PATHS paths (then `truncated` is true). Without `branch`, only the default path from
    each date is run."""
    started = time.monotonic()
    explorer = _Explorer(process, policy, form_fields, start, start_form, progress)
    explorer.branch = branch
    explorer.run(received, started + seconds)
    return Exploration(explorer.paths, explorer.truncated, time.monotonic() - started)


def scenario_days(year: int) -> list[date]:
    """Received dates that test working days: an ordinary Monday, a Saturday, the Thursday before Easter, the
    Friday before the late-May bank holiday, Christmas Eve (over Christmas and New Year)."""
    holidays = sorted(day for day in calendar.bank_holidays(year))
    good_friday = next(day for day in holidays if day.month in (3, 4) and day.weekday() == 4)
    late_may = max(day for day in holidays if day.month == 5)
    monday = date(year, 2, 1) + timedelta(days=(7 - date(year, 2, 1).weekday()) % 7)
    saturday = date(year, 3, 1) + timedelta(days=(5 - date(year, 3, 1).weekday()) % 7)
    return [monday, saturday, good_friday - timedelta(days=1), late_may - timedelta(days=3), date(year, 12, 24)]

