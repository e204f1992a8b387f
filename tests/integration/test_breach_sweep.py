"""Letting a deadline pass and sweeping marks it breached exactly once (SQLite by default; PostgreSQL when
COMPLAINTFLOW_TEST_DATABASE_URL is set)."""

from sqlalchemy import func, select

from service.persistence.models import Deadline, HistoryEntry, Task, Timer
from service.use_cases import fire_due_timers
from tests.conftest import london


def test_missed_acknowledgement_is_breached_once_and_raises_one_manager_task(api, ctx, clock):
    olivia, maya = api("olivia"), api("maya")
    clock(london(2026, 12, 21))
    ref = olivia.post("/complaints", {"complainant": {"name": "Ben"}, "channel": "letter",
                                      "received_at": "2026-12-18", "description": "Broken boiler"}).get_json()["reference"]
    assert fire_due_timers.run(ctx) == 0

    clock(london(2026, 12, 23, 9, 5))  # reminder day, 2 working days before 29 December
    assert fire_due_timers.run(ctx) == 1
    view = olivia.get(f"/complaints/{ref}").get_json()
    assert view["deadlines"]["stage1_acknowledge"]["breached"] is False
    assert [h["kind"] for h in view["history"]].count("reminder") == 1

    clock(london(2026, 12, 30, 8, 0))  # the day after the due date
    assert fire_due_timers.run(ctx) == 1
    assert fire_due_timers.run(ctx) == 0  # the sweep is safe to run twice
    view = olivia.get(f"/complaints/{ref}").get_json()
    assert view["deadlines"]["stage1_acknowledge"] == {"due": "2026-12-29", "met_on": None, "breached": True}
    assert [h["kind"] for h in view["history"]].count("breach") == 1
    review = maya.task(ref, "stage1_acknowledge_breach_review")
    assert review["overdue"] is True and review["due"] == "2026-12-29"
    with ctx.uow() as uow:
        s = uow.session
        assert s.scalar(select(func.count()).select_from(Deadline).where(Deadline.breached_at.is_not(None))) == 1
        assert s.scalar(select(func.count()).select_from(HistoryEntry).where(HistoryEntry.kind == "breach")) == 1
        assert s.scalar(select(func.count()).select_from(Task).where(Task.name.like("%breach_review"))) == 1
        assert s.scalar(select(func.count()).select_from(Timer)) == 0  # nothing left waiting under triage

    # Acknowledging late keeps the breach on record, and the complaint moves on.
    olivia.complete(ref, "triage", {"triage_decision": "accept"})
    olivia.complete(ref, "stage1_acknowledge", {"stage1_acknowledged_on": "2026-12-30", "complaint_definition": "Boiler",
                                                "outcome_sought": "Repair"})
    assert olivia.get(f"/complaints/{ref}").get_json()["deadlines"]["stage1_acknowledge"] == {
        "due": "2026-12-29", "met_on": "2026-12-30", "breached": True}
    maya.complete(ref, "stage1_acknowledge_breach_review", {"breach_action": "Apology sent"})
