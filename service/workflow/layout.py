"""Lay out a procedure diagram the way a person would draw it, so a process owner can read it.

The rules: one pool per process and one lane per role, in the order the lane set lists them; left to right by the
order things happen (each element one column right of the furthest element leading to it); the happy path — from
the start, each gateway's default flow — on one line; other branches and the paths of boundary timers (breach
reviews, reminders) on the rows below, in the lane of whoever does them. Each sub-process is drawn collapsed on the
main diagram and laid out the same way, with the same lanes, on a diagram of its own (bpmn-js drills into it), so
moving a task between lanes is how an owner changes who does it, at any level.

Edges are routed along the gaps between columns and rows, which no shape occupies; labels of events and gateways
go below them, and the labels of two timers on one task go to either side.

Only the diagram interchange (and, for the pool and the sub-process lanes, the collaboration and lane sets) is
rewritten: the process, its comments and its extension elements are kept as they are.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from dataclasses import dataclass, field

from lxml import etree

from service.workflow.specs import BPMN

BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"

CELL_W, CELL_H = 120, 80  # the room one element takes: a task's size (wide enough for "acknowledgement")
GAP_X, GAP_Y = 80, 80  # the gaps between columns and rows, where edges and labels run
PITCH_X, PITCH_Y = CELL_W + GAP_X, CELL_H + GAP_Y
POOL_HEADER = LANE_HEADER = 30  # the bands bpmn-js draws the pool's and each lane's name in
LANE_PAD = 40  # above the first row of a lane: room for the edges that run over it
LABEL_W, LABEL_LINE = 90, 14  # bpmn-js wraps external labels at 90 px; one line of its 11 px text
CHARS_PER_LINE = 15

# Flow elements that are not flow nodes, or are drawn on others.
_NOT_NODES = {"sequenceFlow", "boundaryEvent", "laneSet", "extensionElements", "documentation", "incoming",
              "outgoing", "textAnnotation", "association", "dataObject", "dataObjectReference",
              "dataStoreReference", "ioSpecification", "property", "dataInputAssociation",
              "dataOutputAssociation", "multiInstanceLoopCharacteristics", "standardLoopCharacteristics"}


def _q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _size(kind: str) -> tuple[int, int]:
    if kind.endswith("Event"):
        return 36, 36
    if kind.endswith("Gateway"):
        return 50, 50
    return CELL_W, CELL_H


def _label_height(text: str) -> int:
    return max(1, math.ceil(len(text) / CHARS_PER_LINE)) * LABEL_LINE


@dataclass
class Box:
    """A shape's bounds."""

    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        """The centre's x."""
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        """The centre's y."""
        return self.y + self.h / 2

    @property
    def right(self) -> float:
        """The right edge's x."""
        return self.x + self.w

    @property
    def bottom(self) -> float:
        """The bottom edge's y."""
        return self.y + self.h

    def overlaps(self, other: Box) -> bool:
        """Whether the two boxes share any area."""
        return self.x < other.right and other.x < self.right and self.y < other.bottom and other.y < self.bottom


@dataclass
class _Flow:
    id: str
    source: str  # the node the flow leaves on the grid: a boundary event's host
    target: str
    boundary: str | None  # the boundary event it really leaves from


@dataclass
class _Grid:
    """Where each node of one container sits: column, lane, row."""

    column: dict[str, int] = field(default_factory=dict)
    lane: dict[str, str] = field(default_factory=dict)
    row: dict[str, int] = field(default_factory=dict)
    taken: set[tuple[str, int, int]] = field(default_factory=set)  # (lane, row, column), nodes and straight runs

    def free(self, lane: str, row: int, columns: range) -> bool:
        """Whether no node (and no straight run of an edge) sits on `row` of `lane` in any of `columns`."""
        return all((lane, row, column) not in self.taken for column in columns)

    def clear_down(self, column: int, start: tuple[int, int], end: tuple[int, int], rows: dict[str, int],
                   lanes: list[str]) -> bool:
        """Whether `column` is free below (lane index, row) `start` down to and including `end`."""
        cells = [(index, row) for index, lane in enumerate(lanes) for row in range(rows[lane])]
        return all((lanes[index], row, column) not in self.taken for index, row in cells if start < (index, row) <= end)


@dataclass
class Drawing:
    """One laid-out container: the bounds of every shape and the waypoints of every edge."""

    shapes: dict[str, Box] = field(default_factory=dict)
    labels: dict[str, Box] = field(default_factory=dict)
    edges: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    lanes: list[tuple[str, Box]] = field(default_factory=list)  # (lane id, bounds)
    width: float = 0
    height: float = 0


def _flow_nodes(container: etree._Element) -> list[etree._Element]:
    return [child for child in container if _local(child) and _local(child) not in _NOT_NODES
            and child.get("id")]


def _ordered_outgoing(node_id: str, flows: list[_Flow], defaults: dict[str, str],
                      conditional: set[str]) -> list[_Flow]:
    """A node's flows in the order the happy path prefers them: the default (or the only unconditional one) first,
    then conditional branches, then the flows of its boundary events."""

    def rank(flow: _Flow) -> int:
        if flow.boundary:
            return 3
        if defaults.get(node_id) == flow.id:
            return 0
        return 2 if flow.id in conditional else 1

    return sorted((flow for flow in flows if flow.source == node_id), key=rank)


def _place(nodes: list[str], flows: list[_Flow], defaults: dict[str, str], conditional: set[str],
           lane_of: dict[str, str], lanes: list[str]) -> tuple[_Grid, set[str]]:
    """Columns by longest path over the forward flows, rows greedily in depth-first order from the start; returns
    the grid and the ids of the flows that loop back."""
    outgoing = {node: _ordered_outgoing(node, flows, defaults, conditional) for node in nodes}
    incoming = defaultdict(list)
    for flow in flows:
        incoming[flow.target].append(flow)
    starts = [node for node in nodes if not incoming[node]] or nodes[:1]

    # Depth first from each start, preferred flows first: the order nodes are met, who met each, and loops.
    order: list[str] = []
    parent: dict[str, _Flow | None] = {}
    back: set[str] = set()
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    for root in starts + nodes:
        if root in state:
            continue
        parent[root] = None
        state[root] = 1
        order.append(root)
        stack = [(root, iter(outgoing[root]))]
        while stack:
            node, pending = stack[-1]
            step = next(pending, None)
            if step is None:
                state[node] = 2
                stack.pop()
                continue
            if state.get(step.target) == 1:
                back.add(step.id)
            elif step.target not in state:
                parent[step.target] = step
                state[step.target] = 1
                order.append(step.target)
                stack.append((step.target, iter(outgoing[step.target])))

    grid = _Grid()
    forward = [flow for flow in flows if flow.id not in back]
    waiting = {node: sum(1 for flow in forward if flow.target == node) for node in nodes}
    ready = deque(node for node in order if waiting[node] == 0)
    for node in nodes:
        grid.column[node] = 0
    while ready:
        node = ready.popleft()
        for flow in forward:
            if flow.source == node:
                grid.column[flow.target] = max(grid.column[flow.target], grid.column[node] + 1)
                waiting[flow.target] -= 1
                if waiting[flow.target] == 0:
                    ready.append(flow.target)

    for node in order:
        lane = lane_of.get(node) or lanes[0]
        grid.lane[node] = lane
        column = grid.column[node]
        via = parent.get(node)
        row = 0
        if via is not None and grid.lane[via.source] == lane:
            main = outgoing[via.source][0] is via
            row = grid.row[via.source] + (0 if main else 1)
        while (lane, row, column) in grid.taken:
            row += 1
        grid.row[node] = row
        grid.taken.add((lane, row, column))
        if via is not None and grid.lane[via.source] == lane and grid.row[via.source] == row:
            # Keep the straight run from the node that led here clear of later nodes.
            grid.taken.update((lane, row, between) for between in range(grid.column[via.source] + 1, column))
    return grid, back


def _draw(container: etree._Element, lane_names: list[str], lane_ids: dict[str, str], lane_of: dict[str, str],
          left: float, top: float) -> Drawing:
    """Lay out the direct children of a process or sub-process, lanes from `left`, `top`."""
    nodes = _flow_nodes(container)
    ids = [node.get("id") for node in nodes]
    kinds = {node.get("id"): _local(node) for node in nodes}
    names = {node.get("id"): (node.get("name") or "") for node in nodes}
    boundary_host = {child.get("id"): child.get("attachedToRef") for child in container
                     if _local(child) == "boundaryEvent"}
    boundaries: dict[str, list[etree._Element]] = defaultdict(list)
    for child in container:
        if _local(child) == "boundaryEvent" and child.get("attachedToRef") in kinds:
            boundaries[child.get("attachedToRef")].append(child)
    defaults = {node.get("id"): node.get("default") for node in nodes if node.get("default")}
    conditional = {child.get("id") for child in container if _local(child) == "sequenceFlow"
                   and child.find(_q(BPMN, "conditionExpression")) is not None}
    flows = []
    for child in container:
        if _local(child) != "sequenceFlow":
            continue
        source, target = child.get("sourceRef"), child.get("targetRef")
        host = boundary_host.get(source)
        if (host or source) in kinds and target in kinds:
            flows.append(_Flow(child.get("id"), host or source, target, source if host else None))

    grid, back = _place(ids, flows, defaults, conditional, lane_of, lane_names)
    loop_targets = {flow.target for flow in flows if flow.id in back}
    drawing = Drawing()
    rows = {lane: 1 + max((grid.row[n] for n in ids if grid.lane[n] == lane), default=0) for lane in lane_names}
    lane_top, y = {}, top
    for lane in lane_names:
        lane_top[lane] = y
        y += LANE_PAD + rows[lane] * PITCH_Y
    columns = 1 + max(grid.column.values(), default=0)
    origin = left + LANE_HEADER + GAP_X / 2
    drawing.width = LANE_HEADER + columns * PITCH_X
    drawing.height = y - top
    for lane in lane_names:
        drawing.lanes.append((lane_ids[lane], Box(left, lane_top[lane], drawing.width,
                                                  LANE_PAD + rows[lane] * PITCH_Y)))

    def cell(node: str) -> Box:
        return Box(origin + grid.column[node] * PITCH_X,
                   lane_top[grid.lane[node]] + LANE_PAD + grid.row[node] * PITCH_Y, CELL_W, CELL_H)

    for node in ids:
        room = cell(node)
        w, h = _size(kinds[node])
        shape = Box(room.cx - w / 2, room.cy - h / 2, w, h)
        drawing.shapes[node] = shape
        if kinds[node].endswith(("Event", "Gateway")) and names[node]:
            height = _label_height(names[node])
            # Below the shape, unless a loop comes back into its bottom: then above.
            y = shape.y - 5 - height if node in loop_targets else shape.bottom + 5
            drawing.labels[node] = Box(shape.cx - LABEL_W / 2, y, LABEL_W, height)
        attached = boundaries.get(node, [])
        for index, event in enumerate(attached):
            # Spread along the bottom edge; the first's label to its left, the last's to its right.
            centre = shape.x + shape.w * (index + 1) / (len(attached) + 1)
            event_box = Box(centre - 18, shape.bottom - 18, 36, 36)
            drawing.shapes[event.get("id")] = event_box
            text = event.get("name") or ""
            if text:
                height = _label_height(text)
                if index == 0:
                    drawing.labels[event.get("id")] = Box(event_box.x - LABEL_W - 2, event_box.bottom + 2,
                                                          LABEL_W, height)
                else:  # clear of the drill-down marker bpmn-js puts at a sub-process's bottom right
                    beside = 24 if kinds[node] == "subProcess" else 2
                    drawing.labels[event.get("id")] = Box(event_box.right + beside, event_box.bottom + 2,
                                                          LABEL_W, height)

    def channel_x(column: int) -> float:  # the gap right of `column`
        return origin + column * PITCH_X + CELL_W + GAP_X / 2

    def channel_below(node: str) -> float:  # the gap under the node's row, below any label
        return cell(node).bottom + GAP_Y * 0.7

    def channel_above(node: str) -> float:
        return cell(node).y - (LANE_PAD / 2 if grid.row[node] == 0 else GAP_Y * 0.3)

    for flow in flows:
        source, target = drawing.shapes[flow.boundary or flow.source], drawing.shapes[flow.target]
        s, t = flow.source, flow.target
        same_row = grid.lane[s] == grid.lane[t] and grid.row[s] == grid.row[t]
        between = range(grid.column[s] + 1, grid.column[t])
        target_row_free = grid.free(grid.lane[t], grid.row[t], between) or not between
        points: list[tuple[float, float]]
        if flow.id in back:
            # Out of the right side, along the gap below the lower of the two rows, up into the target's bottom.
            lower = s if cell(s).y >= cell(t).y else t
            below = channel_below(lower)
            points = [(source.right, source.cy), (channel_x(grid.column[s]), source.cy),
                      (channel_x(grid.column[s]), below), (target.cx, below), (target.cx, target.bottom)]
        elif flow.boundary:
            # Straight down from the timer, then along the target's row (or the gap under the host's row).
            down = grid.clear_down(grid.column[s], (lane_names.index(grid.lane[s]), grid.row[s]),
                                   (lane_names.index(grid.lane[t]), grid.row[t]), rows, lane_names)
            if target.cy > source.cy and target_row_free and down:
                points = [(source.cx, source.bottom), (source.cx, target.cy), (target.x, target.cy)]
            else:
                below = channel_below(s)
                points = [(source.cx, source.bottom), (source.cx, below), (channel_x(grid.column[t] - 1), below),
                          (channel_x(grid.column[t] - 1), target.cy), (target.x, target.cy)]
        elif same_row and target_row_free:
            points = [(source.right, source.cy), (target.x, target.cy)]
        elif target_row_free:
            gap = channel_x(grid.column[s])
            points = [(source.right, source.cy), (gap, source.cy), (gap, target.cy), (target.x, target.cy)]
        elif grid.free(grid.lane[s], grid.row[s], between):
            gap = channel_x(grid.column[t] - 1)
            points = [(source.right, source.cy), (gap, source.cy), (gap, target.cy), (target.x, target.cy)]
        else:
            # Around everything: along the gap between the rows, between the columns.
            run = channel_below(s) if cell(t).y > cell(s).y or same_row else channel_above(s)
            first, last = channel_x(grid.column[s]), channel_x(grid.column[t] - 1)
            points = [(source.right, source.cy), (first, source.cy), (first, run), (last, run),
                      (last, target.cy), (target.x, target.cy)]
        drawing.edges[flow.id] = _without_repeats(points)
    return drawing


def _without_repeats(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    kept: list[tuple[float, float]] = []
    for point in points:
        if not kept or kept[-1] != point:
            kept.append(point)
    return kept


def _lane_set(process: etree._Element) -> tuple[list[str], dict[str, str]]:
    """The process's lane names in order, and the lane name of each flow node anywhere in it."""
    names: list[str] = []
    lane_of: dict[str, str] = {}
    for lane in process.iter(_q(BPMN, "lane")):
        name = lane.get("name") or lane.get("id")
        if name not in names:
            names.append(name)
        for ref in lane.iter(_q(BPMN, "flowNodeRef")):
            lane_of[(ref.text or "").strip()] = name
    return names or ["officer"], lane_of


def _give_lanes(container: etree._Element, lane_names: list[str], lane_of: dict[str, str],
                prefix: str) -> dict[str, str]:
    """Replace `container`'s own lane set with one lane per name listing its direct children; returns the lane
    id of each name."""
    for old in container.findall(_q(BPMN, "laneSet")):
        container.remove(old)
    lane_set = etree.Element(_q(BPMN, "laneSet"), id=f"{prefix}roles")
    children = [node.get("id") for node in _flow_nodes(container)]
    children += [child.get("id") for child in container if _local(child) == "boundaryEvent"]
    ids = {}
    for name in lane_names:
        lane = etree.SubElement(lane_set, _q(BPMN, "lane"), id=f"{prefix}lane_{name}", name=name)
        ids[name] = lane.get("id")
        for child in children:
            if (lane_of.get(child) or lane_names[0]) == name:
                etree.SubElement(lane, _q(BPMN, "flowNodeRef")).text = child
    # The lane set comes first among a container's flow elements.
    position = 0
    for index, child in enumerate(container):
        if _local(child) in {"extensionElements", "documentation", "incoming", "outgoing"}:
            position = index + 1
    container.insert(position, lane_set)
    lane_set.tail = "\n"
    return ids


def _diagram(root: etree._Element, diagram_id: str, element_id: str) -> etree._Element:
    diagram = etree.SubElement(root, _q(BPMNDI, "BPMNDiagram"), id=diagram_id)
    return etree.SubElement(diagram, _q(BPMNDI, "BPMNPlane"), id=f"{diagram_id}_plane", bpmnElement=element_id)


def _bounds(parent: etree._Element, box: Box) -> None:
    etree.SubElement(parent, _q(DC, "Bounds"), x=_n(box.x), y=_n(box.y), width=_n(box.w), height=_n(box.h))


def _n(value: float) -> str:
    return str(int(round(value)))


def _write(plane: etree._Element, drawing: Drawing, container: etree._Element) -> None:
    subprocesses = {child.get("id") for child in container if _local(child) == "subProcess"}
    gateways = {child.get("id") for child in container if _local(child).endswith("Gateway")}
    for lane_id, box in drawing.lanes:
        shape = etree.SubElement(plane, _q(BPMNDI, "BPMNShape"), id=f"{lane_id}_di", bpmnElement=lane_id,
                                 isHorizontal="true")
        _bounds(shape, box)
    for element_id, box in drawing.shapes.items():
        attributes = {"id": f"{element_id}_di", "bpmnElement": element_id}
        if element_id in subprocesses:
            attributes["isExpanded"] = "false"
        if element_id in gateways:
            attributes["isMarkerVisible"] = "true"
        shape = etree.SubElement(plane, _q(BPMNDI, "BPMNShape"), attributes)
        _bounds(shape, box)
        if element_id in drawing.labels:
            _bounds(etree.SubElement(shape, _q(BPMNDI, "BPMNLabel")), drawing.labels[element_id])
    for flow_id, points in drawing.edges.items():
        edge = etree.SubElement(plane, _q(BPMNDI, "BPMNEdge"), id=f"{flow_id}_di", bpmnElement=flow_id)
        for x, y in points:
            etree.SubElement(edge, _q(DI, "waypoint"), x=_n(x), y=_n(y))


def lay_out(xml: bytes) -> bytes:
    """The diagram `xml` laid out: a pool per process with its lanes, each sub-process on a diagram of its own.
    Raises ValueError when `xml` holds no process."""
    parser = etree.XMLParser(remove_blank_text=False)
    root = etree.fromstring(xml, parser)
    processes = root.findall(_q(BPMN, "process"))
    if not processes:
        raise ValueError("the diagram holds no process to lay out")
    for old in root.findall(_q(BPMNDI, "BPMNDiagram")) + root.findall(_q(BPMN, "collaboration")):
        root.remove(old)
    collaboration = etree.Element(_q(BPMN, "collaboration"), id=f"{processes[0].get('id')}_collaboration")
    collaboration.tail = "\n  "
    root.insert(list(root).index(processes[0]), collaboration)
    main = _diagram(root, f"{processes[0].get('id')}_diagram", collaboration.get("id"))
    top = 0.0
    for process in processes:
        process_id = process.get("id")
        lane_names, lane_of = _lane_set(process)
        pool = etree.SubElement(collaboration, _q(BPMN, "participant"), id=f"{process_id}_pool",
                                name=process.get("name") or process_id, processRef=process_id)
        sub_processes = list(process.iter(_q(BPMN, "subProcess")))
        lane_ids = _give_lanes(process, lane_names, lane_of, "")
        drawing = _draw(process, lane_names, lane_ids, lane_of, POOL_HEADER, top)
        pool_box = Box(0, top, POOL_HEADER + drawing.width, drawing.height)
        shape = etree.SubElement(main, _q(BPMNDI, "BPMNShape"), id=f"{pool.get('id')}_di",
                                 bpmnElement=pool.get("id"), isHorizontal="true")
        _bounds(shape, pool_box)
        _write(main, drawing, process)
        top += drawing.height + PITCH_Y
        for sub_process in sub_processes:
            sub_id = sub_process.get("id")
            sub_lanes = _give_lanes(sub_process, lane_names, lane_of, f"{sub_id}_")
            plane = _diagram(root, f"{sub_id}_diagram", sub_id)
            _write(plane, _draw(sub_process, lane_names, sub_lanes, lane_of, 0, 0), sub_process)
    return _pretty_diagrams(root)


def _pretty_diagrams(root: etree._Element) -> bytes:
    """Indent what was generated (the collaboration, lane sets and diagrams), keeping the rest as it was."""
    for element in root.findall(_q(BPMNDI, "BPMNDiagram")):
        etree.indent(element, space="  ", level=1)
        element.tail = "\n  "
    for element in root.iter(_q(BPMN, "laneSet"), _q(BPMN, "collaboration")):
        depth = sum(1 for _ in element.iterancestors())
        etree.indent(element, space="  ", level=depth)
    diagrams = root.findall(_q(BPMNDI, "BPMNDiagram"))
    if diagrams:
        diagrams[-1].tail = "\n"
    # The tree, not the root: the comments before the root element are kept.
    return etree.tostring(root.getroottree(), encoding="UTF-8", xml_declaration=True) + b"\n"


def collisions(xml: bytes) -> list[tuple[str, str]]:
    """Pairs of (element, element) whose labels overlap each other or another element's shape, on any diagram
    of `xml` (lanes and pools aside: everything sits on them)."""
    found = []
    for plane in etree.fromstring(xml).iter(_q(BPMNDI, "BPMNPlane")):
        shapes, labels = {}, {}
        for shape in plane.iter(_q(BPMNDI, "BPMNShape")):
            element = shape.get("bpmnElement")
            if shape.get("isHorizontal") is not None:
                continue  # a lane or a pool
            bounds = shape.find(_q(DC, "Bounds"))
            shapes[element] = Box(*(float(bounds.get(k)) for k in ("x", "y", "width", "height")))
            label = shape.find(f"{_q(BPMNDI, 'BPMNLabel')}/{_q(DC, 'Bounds')}")
            if label is not None:
                labels[element] = Box(*(float(label.get(k)) for k in ("x", "y", "width", "height")))
        for element, label in labels.items():
            found += [(element, other) for other, box in labels.items() if other > element and label.overlaps(box)]
            found += [(element, other) for other, box in shapes.items() if other != element and label.overlaps(box)]
    return found


def main(paths: list[str]) -> None:
    """Lay out each diagram file in `paths` in place (bin/layout-diagrams)."""
    for path in paths:
        with open(path, "rb") as source:
            laid_out = lay_out(source.read())
        with open(path, "wb") as target:
            target.write(laid_out)
        print(f"{path}: laid out")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
