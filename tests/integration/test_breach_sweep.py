"""Letting a deadline pass and sweeping marks it breached exactly once (SQLite by default; PostgreSQL when
COMPLAINTFLOW_TEST_DATABASE_URL is set)."""

from sqlalchemy import func, select

from service.persistence.models import Complaint, Deadline, HistoryEntry, Task, Timer, WorkflowInstance
from service.use_cases import fire_due_timers, projection
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


def _two_complaints_with_reminders_due(api, ctx, clock):
    olivia = api("olivia")
    clock(london(2026, 12, 21))
    refs = [olivia.post("/complaints", {"complainant": {"name": name}, "channel": "letter", "received_at": "2026-12-18",
                                        "description": "Broken boiler"}).get_json()["reference"]
            for name in ("Ann", "Bea")]
    clock(london(2026, 12, 23, 9, 5))  # both acknowledgement reminders due
    with ctx.uow() as uow:
        ids = dict(uow.session.execute(select(Complaint.reference, WorkflowInstance.id).join(
            WorkflowInstance, WorkflowInstance.complaint_id == Complaint.id)).all())
    return refs, ids


def _reminders(olivia, ref):
    return [h["kind"] for h in olivia.get(f"/complaints/{ref}").get_json()["history"]].count("reminder")


def test_an_instance_the_engine_fails_on_is_left_due_and_the_rest_of_its_batch_fires(api, ctx, clock):
    (broken, fine), ids = _two_complaints_with_reminders_due(api, ctx, clock)
    with ctx.uow() as uow:
        uow.session.get(WorkflowInstance, ids[broken]).state = '{"not": "a workflow"}'
        uow.commit()
    assert fire_due_timers.fire_batch(ctx) == fire_due_timers.Batch(claimed=2, fired=1, failed=1)
    assert _reminders(api("olivia"), fine) == 1
    with ctx.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Timer).where(
            Timer.instance_id == ids[broken], Timer.due_at <= london(2026, 12, 23, 9, 5))) == 1  # still due


def test_a_batch_whose_projection_fails_is_fired_again_one_instance_at_a_time(api, ctx, clock, monkeypatch, caplog):
    (broken, fine), ids = _two_complaints_with_reminders_due(api, ctx, clock)
    real = projection._on_fired

    def failing(session, complaint, *args, **kwargs):
        if complaint.reference == broken:
            raise RuntimeError("projection failed")
        return real(session, complaint, *args, **kwargs)

    monkeypatch.setattr(projection, "_on_fired", failing)
    assert fire_due_timers.fire_batch(ctx) == fire_due_timers.Batch(claimed=2, fired=1, failed=1)
    assert "firing a batch of timers together failed" in caplog.text
    olivia = api("olivia")
    assert _reminders(olivia, fine) == 1  # once: the batch tried first together was rolled back whole
    assert _reminders(olivia, broken) == 0
    monkeypatch.setattr(projection, "_on_fired", real)
    assert fire_due_timers.run(ctx) == 1  # the next sweep fires what was left due
    assert _reminders(olivia, broken) == 1 and _reminders(olivia, fine) == 1
