"""Facts about a diagram, for checks that do not run it: the Code linter, and what a new version changed."""

from __future__ import annotations

from lxml import etree

from service.domain.linter import UserTaskFact
from service.workflow.specs import CompiledProcess
from service.workflow.validate import BPMN


def user_tasks(process: CompiledProcess) -> list[UserTaskFact]:
    """Every user task of the process and its embedded subprocesses, with lane and properties."""
    facts = []
    for spec in [process.spec, *process.subprocess_specs.values()]:
        for task_spec in spec.task_specs.values():
            if getattr(task_spec, "manual", False):
                extensions = getattr(task_spec, "extensions", None) or {}
                facts.append(UserTaskFact(task_spec.bpmn_id, task_spec.lane, dict(extensions.get("properties", {}))))
    return sorted(facts, key=lambda fact: fact.id)


_CONTAINERS = {"process", "subProcess", "laneSet"}
_IGNORED = {"incoming", "outgoing"}  # derivable from the sequence flows; the modeler writes them, we may not


def _fingerprint(element: etree._Element) -> str:
    # Prefix-, order-of-attributes- and whitespace-blind, so a diagram saved by the modeler compares equal to
    # the same diagram written by hand.
    attributes = sorted((etree.QName(k).localname, v) for k, v in element.attrib.items())
    # A subprocess's own elements are compared one by one, not as part of it.
    container = etree.QName(element).localname in _CONTAINERS
    children = [_fingerprint(child) for child in element
                if isinstance(child.tag, str) and etree.QName(child).localname not in _IGNORED
                and not (container and child.get("id"))]
    return repr((etree.QName(element).localname, attributes, (element.text or "").strip(), children))


def _elements_of(files: dict[str, str]) -> dict[str, etree._Element]:
    found = {}
    for text in files.values():
        root = etree.fromstring(text.encode("utf-8"))
        for element in root.iter(f"{{{BPMN}}}process"):
            for child in element.iter():
                # Flow elements and lanes; a timer definition or a script changes its event or task.
                parent = child.getparent()
                if (isinstance(child.tag, str) and child.get("id") and parent is not None
                        and etree.QName(parent).localname in _CONTAINERS):
                    found[child.get("id")] = child
    return found


def element_changes(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    """The ids of BPMN elements `after` added, removed and changed against `before` (layout ignored), and under
    `described` the same in words, by element name, with what changed (see describe_changes)."""
    old, new = _elements_of(before), _elements_of(after)
    old_prints = {key: _fingerprint(element) for key, element in old.items()}
    new_prints = {key: _fingerprint(element) for key, element in new.items()}
    changed = sorted(key for key in old.keys() & new.keys() if old_prints[key] != new_prints[key])
    return {"added": sorted(new.keys() - old.keys()), "removed": sorted(old.keys() - new.keys()),
            "changed": changed, "described": describe_changes(old, new, changed)}


_KINDS = {"userTask": "task", "scriptTask": "script", "serviceTask": "service task", "sendTask": "send task",
          "exclusiveGateway": "gateway", "parallelGateway": "gateway", "inclusiveGateway": "gateway",
          "sequenceFlow": "flow", "subProcess": "sub-process", "callActivity": "call", "lane": "lane",
          "startEvent": "start", "endEvent": "end"}
_TEXTS = {"timeDate": "timer", "timeDuration": "timer", "timeCycle": "timer", "script": "script",
          "conditionExpression": "condition", "preScript": "pre-script", "postScript": "post-script"}


def _label(element: etree._Element) -> str:
    local = etree.QName(element).localname
    if element.find(f".//{{{BPMN}}}timerEventDefinition") is not None:
        kind = "timer"
    else:
        kind = _KINDS.get(local, local)
    return f'{kind} "{element.get("name") or element.get("id")}"'


def _aspects(element: etree._Element) -> dict[str, str]:
    # What a person changes about an element: its name, its Python, its properties, where a flow goes, who
    # works a lane's tasks.
    out = {"name": element.get("name") or ""}
    for node in element.iter():
        if isinstance(node.tag, str) and etree.QName(node).localname in _TEXTS:
            out[_TEXTS[etree.QName(node).localname]] = (node.text or "").strip()
        if isinstance(node.tag, str) and etree.QName(node).localname == "property" and node.get("name"):
            out[str(node.get("name"))] = str(node.get("value") or "")
    if etree.QName(element).localname == "sequenceFlow":
        out["route"] = f"{element.get('sourceRef')} → {element.get('targetRef')}"
    if etree.QName(element).localname == "lane":
        out["tasks"] = ", ".join(sorted((ref.text or "").strip() for ref in element.iter(f"{{{BPMN}}}flowNodeRef")))
    return out


def describe_changes(old: dict[str, etree._Element], new: dict[str, etree._Element], changed: list[str]) -> list[str]:
    """Each change in words, by element name: `timer "Stage 1 response": breach_time(a) → breach_time(b)`."""
    lines = [f"added {_label(new[key])}" for key in sorted(new.keys() - old.keys())]
    lines += [f"removed {_label(old[key])}" for key in sorted(old.keys() - new.keys())]
    for key in changed:
        before, after = _aspects(old[key]), _aspects(new[key])
        if etree.QName(new[key]).localname == "lane":
            moved_in = sorted(set(after["tasks"].split(", ")) - set(before["tasks"].split(", ")) - {""})
            moved_out = sorted(set(before["tasks"].split(", ")) - set(after["tasks"].split(", ")) - {""})
            parts = ([f"now works {', '.join(_name(new, t) for t in moved_in)}"] if moved_in else []) + \
                    ([f"no longer works {', '.join(_name(new, t) for t in moved_out)}"] if moved_out else [])
        else:
            parts = [_difference(aspect, before.get(aspect) or "", after.get(aspect) or "")
                     for aspect in sorted(before.keys() | after.keys()) if before.get(aspect) != after.get(aspect)]
        lines.append(f"{_label(new[key])}: " + ("; ".join(parts) if parts else "layout or wording of its XML"))
    return lines


def _difference(aspect: str, before: str, after: str) -> str:
    # A script of several lines: only the lines that changed.
    old, new = before.splitlines(), after.splitlines()
    if len(old) == len(new) > 1:
        old, new = zip(*[(a, b) for a, b in zip(old, new, strict=True) if a != b], strict=True)  # type: ignore[assignment]
    return f"{aspect} {' / '.join(old) or '(none)'} → {' / '.join(new) or '(none)'}"


def _name(elements: dict[str, etree._Element], element_id: str) -> str:
    element = elements.get(element_id)
    return f'"{element.get("name") or element_id}"' if element is not None else element_id
