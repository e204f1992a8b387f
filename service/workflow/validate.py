"""Checking a diagram before it may be stored: XML, the BPMN schema and semantics, then our own rules.

Every problem names where it is (the element id, and the line for XML) so the editor can highlight it. Our
rules: each user task names a form that exists and sits in a lane that maps to a role; timer expressions are
Python that returns a timezone-aware date for sample data; scripts and conditions parse; call activities
resolve; no element uses the ids SpiffWorkflow keeps for itself.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lxml import etree

from service.workflow.engine import SAFE_BUILTINS, SCRIPT_FUNCTIONS
from service.workflow.specs import CompiledProcess, DiagramError, compile_process

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
RESERVED_IDS = {"Start", "End"}  # the names of SpiffWorkflow's own start and end task specs
# The value every date variable takes when a timer expression is tried out: a Monday, no holiday near.
SAMPLE_DAY = "2026-03-02"


@dataclass(frozen=True)
class Problem:
    """One reason a diagram cannot be stored, and where it is."""

    message: str
    element_id: str | None = None
    line: int | None = None
    file: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape the API and the editor use."""
        return {"element_id": self.element_id, "line": self.line, "file": self.file, "message": self.message}


@dataclass(frozen=True)
class Rules:
    """What the diagram is checked against: the forms and roles that exist, the processes it may call."""

    form_exists: Callable[[str], bool]
    lane_roles: Callable[[str], tuple[str, ...]]
    roles: frozenset[str]
    callable_processes: frozenset[str]
    policy: dict[str, Any]


def check(process_id: str, files: dict[str, str], rules: Rules) -> tuple[CompiledProcess | None, list[Problem]]:
    """Parse and check `files`; returns the compiled process when there is no problem, else the problems."""
    trees, problems = {}, []
    for name, text in sorted(files.items()):
        try:
            trees[name] = etree.fromstring(text.encode("utf-8"))
        except etree.XMLSyntaxError as error:
            problems.append(Problem(f"the XML is malformed: {error.msg}", line=error.lineno, file=name))
    if problems:
        return None, problems
    for name, tree in trees.items():
        problems += [Problem(p.message, p.element_id, p.line, name) for p in _our_rules(tree, trees, rules)]
    if not any(tree.find(f"{{{BPMN}}}process[@id='{process_id}']") is not None for tree in trees.values()):
        problems.append(Problem(f"the diagram has no process with the id {process_id!r}"))
    if problems:
        return None, problems
    try:
        return compile_process(process_id, files), []
    except DiagramError as error:
        tree = trees.get(error.file or "")
        element = error.element or (_id_on_line(tree, error.line) if tree is not None and error.line else None)
        return None, [Problem(_readable(error.message), element, error.line, error.file)]


def _id_on_line(tree: etree._Element, line: int) -> str | None:
    # Schema errors give a line but no id: name the element that starts there.
    return next((el.get("id") for el in tree.iter() if el.sourceline == line and el.get("id")), None)


def _readable(message: str) -> str:
    # Schema messages spell namespaces in full; write them as the prefixes people see in the XML.
    for uri, prefix in ((BPMN, "bpmn"), (SPIFF, "spiffworkflow"), ("http://www.omg.org/spec/BPMN/20100524/DI",
                                                                  "bpmndi")):
        message = message.replace("{" + uri + "}", prefix + ":")
    return message.strip().rstrip(".").strip()


def _elements(tree: etree._Element, tag: str) -> Iterator[etree._Element]:
    return tree.iter(f"{{{BPMN}}}{tag}")


def _our_rules(tree: etree._Element, trees: dict[str, etree._Element], rules: Rules) -> list[Problem]:
    problems = _ids(tree)
    for process in _elements(tree, "process"):
        problems += _lanes_and_forms(process, rules)
    problems += _timers(tree, rules)
    problems += _code(tree)
    known = {p.get("id") for t in trees.values() for p in _elements(t, "process")} | rules.callable_processes
    for call in _elements(tree, "callActivity"):
        if call.get("calledElement") not in known:
            problems.append(Problem(f"calls process {call.get('calledElement')!r}, which does not exist",
                                    call.get("id"), call.sourceline))
    return problems


def _ids(tree: etree._Element) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, int | None] = {}
    for element in tree.iter():
        element_id = element.get("id") if isinstance(element.tag, str) else None
        if element_id is None:
            continue
        if element_id in RESERVED_IDS:
            problems.append(Problem(f"the id {element_id!r} is reserved by the workflow engine: rename it",
                                    element_id, element.sourceline))
        if element_id in seen:
            problems.append(Problem(f"the id {element_id!r} is used twice (first on line {seen[element_id]})",
                                    element_id, element.sourceline))
        seen.setdefault(element_id, element.sourceline)
    return problems


def form_name(task: etree._Element) -> str:
    """The form a user task names in its spiffworkflow:properties (its own id by default)."""
    for prop in task.iter(f"{{{SPIFF}}}property"):
        if prop.get("name") == "form":
            return str(prop.get("value") or "")
    return str(task.get("id"))


def _lanes_and_forms(process: etree._Element, rules: Rules) -> list[Problem]:
    problems, lane_of = [], {}
    for lane in process.iter(f"{{{BPMN}}}lane"):
        name = lane.get("name") or ""
        unknown = [role for role in rules.lane_roles(name) if role not in rules.roles] if name else [""]
        if unknown:
            problems.append(Problem(f"lane {name!r} maps to no role of this procedure (roles: "
                                    f"{', '.join(sorted(rules.roles))})", lane.get("id"), lane.sourceline))
        for ref in lane.iter(f"{{{BPMN}}}flowNodeRef"):
            lane_of[(ref.text or "").strip()] = name
    for task in process.iter(f"{{{BPMN}}}userTask"):
        task_id, form = task.get("id"), form_name(task)
        if task_id not in lane_of:
            problems.append(Problem("this user task is in no lane: put it in a lane so a role works it",
                                    task_id, task.sourceline))
        if not rules.form_exists(form):
            problems.append(Problem(f"the form {form!r} does not exist: create it under Forms or choose another",
                                    task_id, task.sourceline))
    return problems


class _SampleData(dict[str, Any]):
    """Task data for trying an expression: any variable it reads is a sample date (commitments: one due)."""

    def __init__(self, known: dict[str, Any]) -> None:
        super().__init__()
        self.known = known

    def __missing__(self, name: str) -> Any:
        if name in self.known:
            raise KeyError(name)  # a helper or builtin: let the lookup fall through to the globals
        return [{"due": SAMPLE_DAY, "delivered": False}] if name.endswith("commitments") else SAMPLE_DAY


def _timers(tree: etree._Element, rules: Rules) -> list[Problem]:
    problems = []
    for definition in tree.iter(f"{{{BPMN}}}timerEventDefinition"):
        event = definition.getparent()
        for expression in definition:
            if not isinstance(expression.tag, str):
                continue
            kind = etree.QName(expression).localname
            message = _timer_problem(kind, (expression.text or "").strip(), rules.policy)
            if message:
                problems.append(Problem(f"timer {kind}: {message}", event.get("id"), expression.sourceline))
    return problems


def _timer_problem(kind: str, text: str, policy: dict[str, Any]) -> str | None:
    if not text:
        return "the expression is empty"
    try:
        code = compile(ast.parse(text, mode="eval"), "<timer>", "eval")
    except SyntaxError as error:
        return f"not valid Python ({error.msg})"
    environment = {"__builtins__": SAFE_BUILTINS, "policy": policy, **SCRIPT_FUNCTIONS}
    try:
        value = eval(code, environment, _SampleData(environment))  # noqa: S307 - restricted builtins, as the engine
    except Exception as error:  # what the engine would hit at run time
        return f"fails with sample data ({type(error).__name__}: {error})"
    if not isinstance(value, str):
        return f"must return a string, not {type(value).__name__}"
    if kind == "timeDate":
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return f"must return an ISO date and time, not {value!r}"
        if moment.tzinfo is None:
            return f"returns {value!r}, which has no time zone: use the working-day helpers (e.g. breach_time)"
    elif kind == "timeDuration" and not value.startswith("P"):
        return f"must return an ISO 8601 duration such as 'P5D', not {value!r}"
    elif kind == "timeCycle" and not value.startswith("R"):
        return f"must return an ISO 8601 cycle such as 'R3/P1D', not {value!r}"
    return None


def _code(tree: etree._Element) -> list[Problem]:
    problems = []
    checks = [(f"{{{BPMN}}}script", "exec", "script"), (f"{{{BPMN}}}conditionExpression", "eval", "condition"),
              (f"{{{SPIFF}}}preScript", "exec", "pre-script"), (f"{{{SPIFF}}}postScript", "exec", "post-script")]
    for tag, mode, what in checks:
        for element in tree.iter(tag):
            try:
                ast.parse(element.text or "", mode=mode)
            except SyntaxError as error:
                owner = element.getparent()
                problems.append(Problem(f"the {what} is not valid Python ({error.msg})",
                                        owner.get("id"), element.sourceline))
    return problems
