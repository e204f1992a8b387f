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


def _flow_elements(files: dict[str, str]) -> dict[str, str]:
    found = {}
    for text in files.values():
        root = etree.fromstring(text.encode("utf-8"))
        for element in root.iter(f"{{{BPMN}}}process"):
            for child in element.iter():
                # Flow elements and lanes; a timer definition or a script changes its event or task.
                parent = child.getparent()
                if (isinstance(child.tag, str) and child.get("id") and parent is not None
                        and etree.QName(parent).localname in _CONTAINERS):
                    found[child.get("id")] = _fingerprint(child)
    return found


def element_changes(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    """The ids of BPMN elements `after` added, removed and changed against `before` (layout ignored)."""
    old, new = _flow_elements(before), _flow_elements(after)
    return {"added": sorted(new.keys() - old.keys()), "removed": sorted(old.keys() - new.keys()),
            "changed": sorted(key for key in old.keys() & new.keys() if old[key] != new[key])}
