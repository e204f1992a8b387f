"""Checking a diagram before it may be stored: XML, the BPMN schema and semantics, then our own rules.

Every problem names where it is (the element id, and the line for XML) so the editor can highlight it. Our
rules: each user task names a form that exists and sits in a lane that maps to a role; every script, condition
and timer expression compiles under the sandbox's policy and reads only names something sets (strict names, with
"did you mean"); call activities resolve; no element uses the ids SpiffWorkflow keeps for itself. Nothing here
runs an expression: what a diagram does is proven by running it in the sandbox (service.workflow.explore).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from service.workflow import names, sandbox
from service.workflow.engine import SCRIPT_FUNCTIONS
from service.workflow.specs import BPMN, CompiledProcess, DiagramError, compile_process

SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
RESERVED_IDS = {"Start", "End"}  # the names of SpiffWorkflow's own start and end task specs
# Where the Python of a diagram lives: tag, how it is compiled, what to call it in a message.
EXPRESSIONS = [(f"{{{BPMN}}}script", "exec", "script"), (f"{{{BPMN}}}conditionExpression", "eval", "condition"),
               (f"{{{SPIFF}}}preScript", "exec", "pre-script"), (f"{{{SPIFF}}}postScript", "exec", "post-script"),
               (f"{{{BPMN}}}timeDate", "eval", "timer timeDate"),
               (f"{{{BPMN}}}timeDuration", "eval", "timer timeDuration"),
               (f"{{{BPMN}}}timeCycle", "eval", "timer timeCycle")]


@dataclass(frozen=True)
class Problem:
    """One reason a diagram cannot be stored, and where it is."""

    message: str
    element_id: str | None = None
    line: int | None = None
    file: str | None = None
    provision: str | None = None  # the Code provision a behaviour finding cites
    scenario: str | None = None  # the scenario (dates in, dates out) that shows it

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape the API and the editor use (`element` is the same as `element_id`)."""
        out = {"element": self.element_id, "element_id": self.element_id, "line": self.line, "file": self.file,
               "message": self.message}
        out.update({key: value for key, value in (("provision", self.provision), ("scenario", self.scenario))
                    if value is not None})
        return out


@dataclass(frozen=True)
class Rules:
    """What the diagram is checked against: the forms and roles that exist, the processes it may call."""

    form_exists: Callable[[str], bool]
    lane_roles: Callable[[str], tuple[str, ...]]
    roles: frozenset[str]
    callable_processes: frozenset[str]
    policy: dict[str, Any]
    form_fields: Callable[[str], tuple[str, ...]] = lambda name: ()
    start_fields: dict[str, tuple[str, ...]] = field(default_factory=dict)


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
        process = compile_process(process_id, files)
    except DiagramError as error:
        tree = trees.get(error.file or "")
        element = error.element or (_id_on_line(tree, error.line) if tree is not None and error.line else None)
        return None, [Problem(_readable(error.message), element, error.line, error.file)]
    # Names last: in a diagram the schema refuses, a misplaced element's names would only add noise.
    for name, tree in trees.items():
        problems += [Problem(p.message, p.element_id, p.line, name) for p in _strict_names(tree, process_id, rules)]
    return (None, problems) if problems else (process, [])


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


def _owner(element: etree._Element) -> etree._Element:
    owner = element.getparent()
    while owner is not None and owner.get("id") is None:
        owner = owner.getparent()
    return owner if owner is not None else element


def _expressions(tree: etree._Element) -> Iterator[tuple[etree._Element, str, str, str]]:
    """Every piece of Python in the diagram: (element, text, compile mode, what it is)."""
    for tag, mode, what in EXPRESSIONS:
        for element in tree.iter(tag):
            yield element, (element.text or "").strip(), mode, what


def _code(tree: etree._Element) -> list[Problem]:
    # Each expression compiles under the sandbox's policy; nothing is run here.
    problems = []
    for element, text, mode, what in _expressions(tree):
        owner = _owner(element)
        if not text:
            problems.append(Problem(f"the {what} is empty", owner.get("id"), element.sourceline))
            continue
        try:
            ast.parse(text, mode=mode)
        except SyntaxError as error:
            problems.append(Problem(f"the {what} is not valid Python ({error.msg})", owner.get("id"),
                                    (element.sourceline or 1) + (error.lineno or 1) - 1))
            continue
        try:
            sandbox.compile_expression(text, mode)
        except sandbox.SandboxError as error:
            problems.append(Problem(f"the {what} is refused: {error}", owner.get("id"), element.sourceline))
    return problems


def known_names(tree: etree._Element, process_id: str, rules: Rules) -> set[str]:
    """Every name something in or around the diagram sets: start data, form fields, script assignments, the
    profile, the helpers and builtins."""
    known = {"policy", *SCRIPT_FUNCTIONS, *sandbox.SAFE_BUILTINS, *rules.start_fields.get(process_id, ())}
    for task in _elements(tree, "userTask"):
        known |= set(rules.form_fields(form_name(task)))
    for _element, text, mode, _what in _expressions(tree):
        if mode == "exec":
            known |= names.assigns(text)
    return known


def _strict_names(tree: etree._Element, process_id: str, rules: Rules) -> list[Problem]:
    known = known_names(tree, process_id, rules)
    problems = []
    for element, text, mode, what in _expressions(tree):
        for use in names.reads(text, mode):
            if use.name not in known:
                problems.append(Problem(names.unknown_message(what, use.name, known),
                                        _owner(element).get("id"), (element.sourceline or 1) + use.line - 1))
    return problems
