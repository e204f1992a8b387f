"""Parsing and validating BPMN, and turning a process version's stored spec back into spec objects.

A version's spec is serialized once (by content hash) and kept apart from instance state. Parsed spec objects
are cached per hash: SpiffWorkflow shares specs between workflows, and `from_dict` mutates its input, so the
cache holds objects built from the text, never the dicts.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))


BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"


class DiagramError(ValueError):
    """A diagram failed to parse or validate; says which file, line or element."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 element: str | None = None) -> None:
        where = ", ".join(
            part for part in (file, f"line {line}" if line else None, f"element {element}" if element else None)
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)
        self.message, self.file, self.line, self.element = message, file, line, element


@dataclass(frozen=True)
class CompiledProcess:
    """A parsed process version: spec objects for running, and the JSON we store once per version."""

    process_id: str
    spec: Any
    subprocess_specs: dict[str, Any]
    spec_json: str
    content_hash: str


def content_hash(files: dict[str, str]) -> str:
    """A stable hash of a set of BPMN sources, used to store each version once."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name].encode() + b"\0")
    return digest.hexdigest()


def compile_process(process_id: str, files: dict[str, str]) -> CompiledProcess:
    """Parse `files` (name → BPMN XML) with the schema validator and build process `process_id`.

    Raises DiagramError with the file and line (XML errors) or the element id (semantic errors).
    """
    parser = SpiffBpmnParser(validator=VALIDATOR)
    lanes: dict[str, str | None] = {}
    for name, text in sorted(files.items()):
        try:
            tree = etree.fromstring(text.encode("utf-8"))
            lanes.update({(ref.text or "").strip(): ref.getparent().get("name")
                          for ref in tree.iter(f"{{{BPMN}}}flowNodeRef")})
            parser.add_bpmn_xml(tree, filename=name)
        except etree.XMLSyntaxError as error:
            raise DiagramError(str(error.msg), file=name, line=error.lineno) from error
        except ValidationException as error:
            raise DiagramError(str(error), file=name, line=getattr(error, "line_number", None),
                               element=getattr(error, "id", None)) from error
    try:
        spec = parser.get_spec(process_id)
        subprocess_specs = parser.get_subprocess_specs(process_id)
    except ValidationException as error:
        raise DiagramError(str(error), file=getattr(error, "file_name", None),
                           line=getattr(error, "line_number", None), element=getattr(error, "id", None)) from error
    # SpiffWorkflow gives everything inside a sub-process the sub-process's own lane. Ours are drawn in lanes of
    # their own, so that moving a task to another lane, at any level, is how a process owner changes who does it.
    for one in (spec, *subprocess_specs.values()):
        for task_spec in one.task_specs.values():
            if task_spec.bpmn_id in lanes:
                task_spec.lane = lanes[task_spec.bpmn_id]
    spec_json = json.dumps({
        "spec": SERIALIZER.to_dict(spec),
        "subprocess_specs": {name: SERIALIZER.to_dict(sub) for name, sub in subprocess_specs.items()},
    })
    return CompiledProcess(process_id, spec, subprocess_specs, spec_json, content_hash(files))


def load_process_files(directory: Path, process_id: str) -> dict[str, str]:
    """The BPMN sources of `process_id` as shipped in `directory` (the file named after it)."""
    path = directory / f"{process_id}.bpmn"
    return {path.name: path.read_text(encoding="utf-8")}


_RESTORED: dict[str, CompiledProcess] = {}


def cached_process(digest: str) -> CompiledProcess | None:
    """The spec objects of version `digest` if this process has already restored them."""
    return _RESTORED.get(digest)


def restore_process(process_id: str, digest: str, spec_json: str) -> CompiledProcess:
    """Spec objects for a stored version; kept by hash so each version is rebuilt once per process."""
    if digest not in _RESTORED:
        stored = json.loads(spec_json)
        spec = SERIALIZER.from_dict(stored["spec"])
        subprocess_specs = {name: SERIALIZER.from_dict(sub) for name, sub in stored["subprocess_specs"].items()}
        _RESTORED[digest] = CompiledProcess(process_id, spec, subprocess_specs, spec_json, digest)
    return _RESTORED[digest]
