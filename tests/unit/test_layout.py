"""The layout rules on a small hand-made diagram, and the shipped diagrams as the tool lays them out."""

from pathlib import Path

import pytest
from lxml import etree
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

from service.workflow.layout import BPMN, BPMNDI, DC, collisions, lay_out

SHIPPED = sorted(Path("processes").glob("*.bpmn"))
NS = {"bpmn": BPMN, "bpmndi": BPMNDI, "dc": DC}

# Start → gateway (default: work, else refuse) → a sub-process with a timer whose breach a manager reviews → end.
SMALL = b"""<?xml version="1.0" encoding="UTF-8"?>
<!-- kept as it is -->
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
    xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="d" targetNamespace="t">
  <bpmn:process id="small" name="Small" isExecutable="true">
    <bpmn:laneSet id="roles">
      <bpmn:lane id="lane_officer" name="officer">
        <bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>accept</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>refused</bpmn:flowNodeRef><bpmn:flowNodeRef>work</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>late</bpmn:flowNodeRef><bpmn:flowNodeRef>done</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>inner_start</bpmn:flowNodeRef><bpmn:flowNodeRef>inner_task</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>inner_end</bpmn:flowNodeRef>
      </bpmn:lane>
      <bpmn:lane id="lane_manager" name="manager">
        <bpmn:flowNodeRef>review</bpmn:flowNodeRef><bpmn:flowNodeRef>reviewed</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start" name="Logged"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="accept"/>
    <bpmn:exclusiveGateway id="accept" name="Accepted?" default="f_yes"/>
    <bpmn:sequenceFlow id="f_yes" sourceRef="accept" targetRef="work"/>
    <bpmn:sequenceFlow id="f_no" sourceRef="accept" targetRef="refused">
      <bpmn:conditionExpression>refused</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:endEvent id="refused" name="Refused"/>
    <bpmn:subProcess id="work" name="Work">
      <bpmn:startEvent id="inner_start"/>
      <bpmn:sequenceFlow id="i1" sourceRef="inner_start" targetRef="inner_task"/>
      <bpmn:userTask id="inner_task" name="Do it"/>
      <bpmn:sequenceFlow id="i2" sourceRef="inner_task" targetRef="inner_end"/>
      <bpmn:endEvent id="inner_end"/>
    </bpmn:subProcess>
    <bpmn:boundaryEvent id="late" name="Deadline missed" attachedToRef="work" cancelActivity="false">
      <bpmn:timerEventDefinition><bpmn:timeDate>"2030-01-01T00:00:00"</bpmn:timeDate></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f_late" sourceRef="late" targetRef="review"/>
    <bpmn:userTask id="review" name="Review the missed deadline"/>
    <bpmn:sequenceFlow id="f_reviewed" sourceRef="review" targetRef="reviewed"/>
    <bpmn:endEvent id="reviewed"/>
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="done"/>
    <bpmn:endEvent id="done" name="Closed"/>
  </bpmn:process>
</bpmn:definitions>
"""


def bounds(root, element_id, plane=None):
    """(x, y, width, height) of the shape of `element_id`."""
    where = root if plane is None else root.find(f".//bpmndi:BPMNPlane[@bpmnElement='{plane}']", NS)
    box = where.find(f".//bpmndi:BPMNShape[@bpmnElement='{element_id}']/dc:Bounds", NS)
    assert box is not None, f"{element_id} is not drawn"
    return tuple(float(box.get(key)) for key in ("x", "y", "width", "height"))


def centre_y(root, element_id, plane=None):
    x, y, width, height = bounds(root, element_id, plane)
    return y + height / 2


def lanes_by_node(xml: bytes) -> dict[str, str]:
    """Each flow node's lane, as SpiffWorkflow reads it (which decides the role that works a task)."""
    parser = SpiffBpmnParser()
    parser.add_bpmn_str(xml)
    spec = parser.get_spec(etree.fromstring(xml).find("bpmn:process", NS).get("id"))
    specs = [spec, *parser.get_subprocess_specs(spec.name).values()]
    return {task.bpmn_id: task.lane for one in specs for task in one.task_specs.values() if task.bpmn_id}


def test_a_diagram_gets_a_pool_lanes_per_role_and_a_drawing_for_its_sub_process():
    laid_out = lay_out(SMALL)
    root = etree.fromstring(laid_out)
    assert laid_out.startswith(b"<?xml") and b"<!-- kept as it is -->" in laid_out
    pool = root.find("bpmn:collaboration/bpmn:participant", NS)
    assert pool.get("processRef") == "small" and pool.get("name") == "Small"
    # The pool holds both lanes, officer above manager; the sub-process has the same lanes on its own diagram.
    pool_x, pool_y, pool_w, pool_h = bounds(root, pool.get("id"))
    officer, manager = bounds(root, "lane_officer"), bounds(root, "lane_manager")
    assert officer[1] == pool_y and manager[1] == officer[1] + officer[3] and manager[1] + manager[3] == pool_y + pool_h
    inner_lanes = [lane.get("name") for lane in root.findall("bpmn:process/bpmn:subProcess/bpmn:laneSet/bpmn:lane", NS)]
    assert inner_lanes == ["officer", "manager"]
    bounds(root, "inner_task", plane="work")
    assert root.find(".//bpmndi:BPMNShape[@bpmnElement='work']", NS).get("isExpanded") == "false"
    # Every task keeps its lane: the same role works it after the layout.
    assert lanes_by_node(laid_out) == lanes_by_node(SMALL)
    # The happy path is one line; the refusal is below it, the breach review down in the manager's lane.
    line = {centre_y(root, element) for element in ("start", "accept", "work", "done")}
    assert len(line) == 1
    assert centre_y(root, "refused") > centre_y(root, "accept")
    assert bounds(root, "review")[1] > manager[1]
    # Left to right in the order things happen; the timer sits on the sub-process's bottom edge.
    xs = [bounds(root, element)[0] for element in ("start", "accept", "work", "done")]
    assert xs == sorted(xs)
    work, late = bounds(root, "work"), bounds(root, "late")
    assert late[1] + late[3] / 2 == work[1] + work[3]
    assert collisions(laid_out) == []
    # Laying out again changes nothing.
    assert lay_out(laid_out) == laid_out


def test_overlapping_labels_are_found():
    laid_out = lay_out(SMALL)
    root = etree.fromstring(laid_out)
    label = root.find(".//bpmndi:BPMNShape[@bpmnElement='refused']/bpmndi:BPMNLabel/dc:Bounds", NS)
    x, y, width, height = bounds(root, "done")
    label.set("x", str(x))
    label.set("y", str(y))
    assert ("refused", "done") in collisions(etree.tostring(root))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_the_shipped_diagrams_are_laid_out_by_the_rules_with_no_label_overlapping(path):
    shipped = path.read_bytes()
    assert lay_out(shipped) == shipped, "run bin/layout-diagrams"
    assert collisions(shipped) == []
    root = etree.fromstring(shipped)
    process = root.find("bpmn:process", NS)
    # One pool, a lane for each role of the process, and a drawing for each sub-process.
    assert len(root.findall("bpmn:collaboration/bpmn:participant", NS)) == 1
    for lane in process.findall("bpmn:laneSet/bpmn:lane", NS):
        bounds(root, lane.get("id"))
    for sub_process in process.iter(f"{{{BPMN}}}subProcess"):
        assert root.find(f".//bpmndi:BPMNPlane[@bpmnElement='{sub_process.get('id')}']", NS) is not None
