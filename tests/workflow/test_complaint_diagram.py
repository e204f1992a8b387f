"""Every path of processes/complaint.bpmn through the runtime façade, stored and restored after each step."""

import json
from datetime import UTC, datetime

import pytest
import time_machine

from service.domain.policy import PROCESSES_DIR, load_policy
from service.workflow import runtime, specs
from service.workflow.runtime import Snapshot

POLICY = load_policy("code-2024").params


@pytest.fixture(scope="module")
def process():
    return specs.compile_process("complaint", specs.load_process_files(PROCESSES_DIR, "complaint"))


class Walk:
    """Drive one instance; state goes through JSON text between every step, as it does in the database."""

    def __init__(self, process, received_on="2026-12-18"):
        self.process = specs.restore_process("complaint", "test-" + process.content_hash, process.spec_json)
        self.snapshot = runtime.start(self.process, {"received_on": received_on}, POLICY)

    def ready(self):
        return sorted(t.name for t in self.snapshot.ready)

    def timers(self):
        return sorted((t.name, t.due_at.isoformat()) for t in self.snapshot.timers)

    def do(self, name, **data) -> Snapshot:
        json.loads(self.snapshot.state)  # what is stored is plain JSON
        task = next(t for t in self.snapshot.ready if t.name == name)
        self.snapshot = runtime.complete_task(self.process, self.snapshot.state, task.id, data, POLICY)
        return self.snapshot

    def fire(self) -> Snapshot:
        self.snapshot = runtime.fire_due_timers(self.process, self.snapshot.state, POLICY)
        return self.snapshot


def test_refusal_ends_the_procedure_and_cancels_its_timers(process):
    walk = Walk(process)
    assert walk.ready() == ["triage"]
    assert walk.timers() == [("stage1_acknowledge_breach", "2026-12-30T00:00:00+00:00"),
                             ("stage1_acknowledge_reminder", "2026-12-23T09:00:00+00:00")]
    done = walk.do("triage", triage_decision="refuse")
    assert done.finished and done.statuses == ["refused"] and done.timers == [] and done.ready == []


def test_stage1_only_then_close(process):
    walk = Walk(process)
    walk.do("triage", triage_decision="accept")
    walk.do("stage1_acknowledge", stage1_acknowledged_on="2026-12-21")
    assert [t.data["stage1_response_due"] for t in walk.snapshot.timers] == ["2027-01-07", "2027-01-07"]
    walk.do("stage1_investigate", stage1_next_step="respond")
    done = walk.do("stage1_respond", stage1_responded_on="2027-01-05")
    assert done.completed.properties["meets_deadline"] == "stage1_response"
    assert walk.ready() == ["escalation"] and walk.timers() == []
    walk.do("escalation", escalate="no")
    assert walk.ready() == ["close_complaint"]
    done = walk.do("close_complaint", ombudsman_route_explained=True)
    assert done.finished and done.statuses == ["closed"]


def test_extensions_move_the_timers_at_both_stages(process):
    walk = Walk(process)
    walk.do("triage", triage_decision="accept")
    walk.do("stage1_acknowledge", stage1_acknowledged_on="2026-12-21")
    walk.do("stage1_investigate", stage1_next_step="extend", stage1_extended_to="2027-01-14")
    assert walk.ready() == ["stage1_investigate"]
    assert walk.timers() == [("stage1_response_breach", "2027-01-15T00:00:00+00:00"),
                             ("stage1_response_reminder", "2027-01-12T09:00:00+00:00")]
    assert walk.snapshot.timers[0].data["stage1_response_original_due"] == "2027-01-07"
    walk.do("stage1_investigate", stage1_next_step="respond")
    walk.do("stage1_respond", stage1_responded_on="2027-01-13")
    walk.do("escalation", escalate="yes", escalation_requested_on="2027-01-18")
    assert walk.ready() == ["stage2_acknowledge"]
    assert walk.timers() == [("stage2_acknowledge_breach", "2027-01-26T00:00:00+00:00"),
                             ("stage2_acknowledge_reminder", "2027-01-21T09:00:00+00:00")]
    walk.do("stage2_acknowledge", stage2_acknowledged_on="2027-01-19")
    walk.do("stage2_review", stage2_next_step="extend", stage2_extended_to="2027-03-01")
    assert ("stage2_response_breach", "2027-03-02T00:00:00+00:00") in walk.timers()
    walk.do("stage2_review", stage2_next_step="respond")
    walk.do("stage2_respond", stage2_responded_on="2027-02-26")
    done = walk.do("close_complaint", ombudsman_route_explained=True)
    assert done.finished and done.statuses == ["closed"]


def test_missed_deadlines_fire_reminder_then_breach_and_raise_a_manager_review(process):
    with time_machine.travel(datetime(2026, 12, 18, 12, tzinfo=UTC), tick=False) as traveller:
        walk = Walk(process)
        assert walk.fire().fired == []
        traveller.move_to(datetime(2026, 12, 23, 9, 30, tzinfo=UTC))
        fired = walk.fire().fired
        assert [(f.name, f.properties["timer"]) for f in fired] == [("stage1_acknowledge_reminder", "reminder")]
        traveller.move_to(datetime(2026, 12, 30, 0, 1, tzinfo=UTC))
        fired = walk.fire().fired
        assert [f.name for f in fired] == ["stage1_acknowledge_breach"]
        assert walk.ready() == ["stage1_acknowledge_breach_review", "triage"]
        review = next(t for t in walk.snapshot.ready if t.name == "stage1_acknowledge_breach_review")
        assert review.lane == "manager" and review.properties["deadline"] == "stage1_acknowledge"
        assert walk.fire().fired == []  # nothing fires twice
        # The breach never blocks the complaint: it carries on while the review waits.
        walk.do("triage", triage_decision="accept")
        walk.do("stage1_acknowledge", stage1_acknowledged_on="2026-12-30")
        assert walk.ready() == ["stage1_acknowledge_breach_review", "stage1_investigate"]
        walk.do("stage1_acknowledge_breach_review", breach_action="Apologised; new date agreed")
        assert walk.ready() == ["stage1_investigate"]


def test_a_completed_task_cannot_be_completed_again(process):
    walk = Walk(process)
    old = walk.snapshot
    triage = old.ready[0]
    walk.do("triage", triage_decision="accept")
    with pytest.raises(runtime.TaskNotReady):
        runtime.complete_task(walk.process, walk.snapshot.state, triage.id, {}, POLICY)
    with pytest.raises(runtime.TaskNotFound):
        runtime.complete_task(walk.process, walk.snapshot.state, "00000000-0000-0000-0000-000000000000", {}, POLICY)
    with pytest.raises(runtime.TaskNotFound):
        runtime.complete_task(walk.process, walk.snapshot.state, "nonsense", {}, POLICY)


def test_user_tasks_name_forms_and_lanes_are_roles(process):
    walk = Walk(process)
    triage = walk.snapshot.ready[0]
    assert (triage.lane, triage.properties["form"], triage.properties["stage"]) == ("officer", "triage", "1")


def test_a_bad_diagram_is_reported_with_its_line():
    with pytest.raises(specs.DiagramError) as error:
        specs.compile_process("complaint", {"broken.bpmn": "<bpmn:definitions>\n<oops"})
    assert error.value.line is not None and "broken.bpmn" in str(error.value)
