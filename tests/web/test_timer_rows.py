"""The timer rows are the sweep's truth: after every step of a complaint they are exactly the timers its instance
waits on. A step that leaves those timers as they were (triage, here) neither reads nor writes the rows."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, select

from service.persistence.models import Complaint, Timer, WorkflowInstance
from service.use_cases.processes import compiled
from service.workflow import runtime
from service.workflow.runtime import Snapshot, TimerView
from tests.conftest import london

_ON_TIMERS = re.compile(r"\b(FROM|INTO|UPDATE)\s+timer\b", re.IGNORECASE)


def rows_and_waits(ctx: Any, ref: str) -> tuple[set[tuple[str, datetime]], set[tuple[str, datetime]]]:
    """(task id, due) of the complaint's timer rows, and of the timers its stored state waits on."""
    with ctx.uow() as uow:
        instance = uow.session.scalars(select(WorkflowInstance).join(Complaint)
                                       .where(Complaint.reference == ref)).one()
        rows = {(t.task_id, t.due_at.astimezone(UTC)) for t in
                uow.session.scalars(select(Timer).where(Timer.instance_id == instance.id))}
        workflow = runtime._load(compiled(instance.process_version), instance.state, ctx.policy.params)
        waits = {(t.task_id, t.due_at) for t in runtime._snapshot(workflow, set()).timers}
    return rows, waits


def test_timer_rows_follow_the_engine_and_are_left_alone_when_it_keeps_its_timers(app, api, ctx, clock):
    olivia = api("olivia")
    clock(london(2026, 12, 1))
    ref = olivia.post("/complaints", {"complainant": {"name": "Tim Timers"}, "channel": "phone",
                                      "received_at": "2026-12-01", "description": "Leak"}).get_json()["reference"]
    rows, waits = rows_and_waits(ctx, ref)
    assert rows == waits and len(rows) >= 2  # the acknowledgement's and the response's reminders and breaches

    statements: list[str] = []
    engine = app.extensions["complaintflow_engine"]

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)
    event.listen(engine, "before_cursor_execute", seen)
    try:
        olivia.complete(ref, "triage", {"triage_decision": "accept"})
        on_timers = [s for s in statements if _ON_TIMERS.search(s)]
        assert statements and on_timers == []  # triage leaves the timers as they were
        assert rows_and_waits(ctx, ref) == (rows, waits)
        statements.clear()
        olivia.complete(ref, "stage1_acknowledge", {"stage1_acknowledged_on": "2026-12-01",
                                                    "complaint_definition": "Leak", "outcome_sought": "Fixed"})
        assert [s for s in statements if _ON_TIMERS.search(s)]  # the acknowledgement's timers stop
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    after, waits_after = rows_and_waits(ctx, ref)
    assert after == waits_after and after != rows


def test_a_timer_kept_but_due_at_another_time_counts_as_changed() -> None:
    due, later = datetime(2026, 12, 8, 9, tzinfo=UTC), datetime(2026, 12, 9, 9, tzinfo=UTC)

    def snapshot(before: dict[str, datetime] | None, now_due: datetime) -> Snapshot:
        return Snapshot("{}", [], [TimerView("t1", "reminder", now_due, {}, {})], False, timers_before=before)
    assert not snapshot({"t1": due}, due).timers_changed()
    assert snapshot({"t1": due}, later).timers_changed()
    assert snapshot({"t0": due}, due).timers_changed()
    assert snapshot(None, due).timers_changed()  # an operation that does not know what waited before
