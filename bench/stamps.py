"""Real complaints at every stage, walked once through the real diagram, then stamped N times with COPY.

A *template* is a complaint walked through the JSON API to one stage (the clock moved with time-machine, so each
date check is the real one). Stamping copies every row that walk wrote — person, complaint, instance state,
tasks, timers, deadlines, history, notifications — with new keys: integer ids are renumbered, and every UUID
(task ids, in the rows and inside the serialized state) gets the copy's number in its last 12 hex digits, so the
copies are real serialized instances the engine can load and run, each with its own task ids.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from flask import Flask
from sqlalchemy import Table, func, select, text
from sqlalchemy.orm import Session

from bench.database import bulk_insert
from service import app_context
from service.persistence.models import (
    Complainant,
    Complaint,
    Deadline,
    HistoryEntry,
    Notification,
    Task,
    Timer,
    WorkflowInstance,
)
from service.use_cases import users

LONDON = ZoneInfo("Europe/London")
ANALYSIS = {"complaint_category": "repairs", "root_cause": "delay"}
_UUID = re.compile(r"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-)[0-9a-f]{12}")
# Tables in the order their rows may be inserted (each refers only to those before it).
TABLES = [Complainant, Complaint, WorkflowInstance, Task, Timer, Deadline, HistoryEntry, Notification]


@dataclass
class Template:
    """The rows one walked complaint wrote, by table name."""

    stage: str
    rows: dict[str, list[dict[str, Any]]]


class Walker:
    """Walks complaints through the JSON API as olivia (officer) and maya (manager), on a moving clock."""

    def __init__(self, app: Flask) -> None:
        self.client = app.test_client()
        ctx = app_context(app)
        self.tokens = {name: users.issue_token(ctx, name) for name in ("olivia", "maya")}

    def _call(self, who: str, path: str, body: Any = None) -> Any:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"}
        response = (self.client.post(f"/api/v1{path}", headers=headers, json=body) if body is not None
                    else self.client.get(f"/api/v1{path}", headers=headers))
        assert response.status_code in (200, 201), (path, response.get_json())
        return response.get_json()

    def log(self, received: str) -> str:
        """Log a complaint received on `received` (ISO date); returns its reference."""
        return str(self._call("olivia", "/complaints", {
            "complainant": {"name": "Template Resident", "email": "resident@example.org"}, "channel": "phone",
            "received_at": received, "description": "Damp in the bedroom, reported twice.",
            "outcome_sought": "Repair"})["reference"])

    def complete(self, who: str, reference: str, task: str, data: dict[str, Any]) -> None:
        """Complete the open task named `task` of complaint `reference`."""
        open_tasks = self._call(who, f"/complaints/{reference}")["open_tasks"]
        task_id = next(t["id"] for t in open_tasks if t["name"] == task)
        self._call(who, f"/tasks/{task_id}/complete", {"data": data})


def _walk(walker: Walker, stage: str, on: Callable[[str], None]) -> str:
    """Walk one complaint to `stage`; `on(iso)` sets the clock to that day."""
    on("2026-06-01")
    ref = walker.log("2026-06-01")
    if stage == "triage":
        return ref
    if stage == "refused":
        walker.complete("olivia", ref, "triage", {"triage_decision": "refuse", "exclusion": "legal_proceedings",
                                                  "refusal_reasons": "Claim filed at court", "ombudsman_informed": True})
        return ref
    walker.complete("olivia", ref, "triage", {"triage_decision": "accept"})
    on("2026-06-02")
    walker.complete("olivia", ref, "stage1_acknowledge", {"stage1_acknowledged_on": "2026-06-02",
                                                          "complaint_definition": "Damp", "outcome_sought": "Repair"})
    if stage == "investigating":
        return ref
    on("2026-06-10")
    walker.complete("olivia", ref, "stage1_investigate", {"investigation_notes": "Surveyed", "stage1_next_step": "respond"})
    walker.complete("olivia", ref, "stage1_respond", {"stage1_responded_on": "2026-06-10", **ANALYSIS,
                                                      "stage1_decision": "partly_upheld", "stage1_reasons": "Late",
                                                      "stage1_remedy": "£50"})
    if stage == "escalation_window":
        return ref
    on("2026-06-12")
    if stage == "closed_stage1":
        walker.complete("olivia", ref, "escalation", {"escalate": "no"})
        walker.complete("olivia", ref, "close_complaint", {"ombudsman_route_explained": True})
        return ref
    walker.complete("olivia", ref, "escalation", {"escalate": "yes", "escalation_requested_on": "2026-06-12"})
    on("2026-06-15")
    walker.complete("maya", ref, "stage2_acknowledge", {"stage2_acknowledged_on": "2026-06-15",
                                                        "stage2_complaint_definition": "x", "stage2_outcome_sought": "y"})
    if stage == "stage2_review":
        return ref
    on("2026-07-01")
    walker.complete("maya", ref, "stage2_review", {"review_notes": "n", "stage2_next_step": "respond"})
    walker.complete("maya", ref, "stage2_respond", {"stage2_responded_on": "2026-07-01", "stage2_decision": "upheld",
                                                    "stage2_reasons": "r", **ANALYSIS})
    walker.complete("olivia", ref, "close_complaint", {"ombudsman_route_explained": True})
    return ref


STAGES = ("triage", "investigating", "escalation_window", "stage2_review", "closed_stage1", "closed_stage2",
          "refused")


def rows_of(session: Session, reference: str) -> dict[str, Any]:
    """For each table, the condition that selects the rows written for complaint `reference`."""
    complaint = session.scalars(select(Complaint).where(Complaint.reference == reference)).one()
    instance_ids = list(session.scalars(select(WorkflowInstance.id).where(WorkflowInstance.complaint_id == complaint.id)))
    wheres = {
        "complainant": Complainant.__table__.c.id == complaint.complainant_id,
        "complaint": Complaint.__table__.c.id == complaint.id,
        "workflow_instance": WorkflowInstance.__table__.c.complaint_id == complaint.id,
        "task": Task.__table__.c.complaint_id == complaint.id,
        "timer": Timer.__table__.c.instance_id.in_(instance_ids),
        "deadline": Deadline.__table__.c.complaint_id == complaint.id,
        "history_entry": HistoryEntry.__table__.c.complaint_id == complaint.id,
        "notification": Notification.__table__.c.complaint_id == complaint.id,
    }
    return wheres


def capture(session: Session, reference: str, stage: str) -> Template:
    """Every row written for complaint `reference`, as dicts by table name."""
    wheres = rows_of(session, reference)
    rows = {}
    for model in TABLES:
        table: Table = model.__table__  # type: ignore[assignment]
        rows[table.name] = [dict(row._mapping) for row in session.execute(select(table).where(wheres[table.name]))]
    return Template(stage, rows)


class Clock:
    """A frozen clock moved to noon in London on the day given."""

    def __init__(self) -> None:
        self._traveller: Any = None

    def __call__(self, iso: str) -> None:
        self.stop()
        self._traveller = time_machine.travel(datetime.combine(datetime.fromisoformat(iso).date(), time(12), LONDON),
                                              tick=False)
        self._traveller.start()

    def stop(self) -> None:
        """Back to real time."""
        if self._traveller is not None:
            self._traveller.stop()
            self._traveller = None


def walk(app: Flask, stages: Iterable[str] = STAGES) -> dict[str, str]:
    """Walk one complaint to each stage through the API; their references by stage."""
    walker = Walker(app)
    references = {}
    for stage in stages:
        clock = Clock()
        try:
            references[stage] = _walk(walker, stage, clock)
        finally:
            clock.stop()
    return references


def walk_templates(app: Flask, stages: Iterable[str] = STAGES) -> dict[str, Template]:
    """Walk one complaint to each stage through the API and capture its rows."""
    with app_context(app).uow() as uow:
        return {stage: capture(uow.session, reference, stage) for stage, reference in walk(app, stages).items()}


class Stamper:
    """Copies templates with fresh keys and writes them by COPY (PostgreSQL) or executemany (SQLite)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.next_id = {model.__tablename__: (session.scalar(select(func.max(model.id))) or 0) + 1  # type: ignore[attr-defined]
                        for model in TABLES if model is not Task}
        self.buffer: dict[str, list[dict[str, Any]]] = {model.__tablename__: [] for model in TABLES}

    def _new_id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def stamp(self, template: Template, overrides: dict[str, Any] | None = None,
              deadlines: list[dict[str, Any]] | None = None) -> int:
        """Buffer one copy of `template`; returns its complaint id. `overrides` replace complaint columns (a new
        handler also takes over the tasks assigned to the template's); `deadlines` replace its deadline rows."""
        ids: dict[tuple[str, int], int] = {}
        for table in ("complainant", "complaint", "workflow_instance"):
            for row in template.rows[table]:
                ids[(table, row["id"])] = self._new_id(table)
        # The copy's complaint id is unique in the database, so UUIDs ending in it are too.
        suffix = f"{self.next_id['complaint'] - 1:012x}"

        def uuid(value: str) -> str:
            return _UUID.sub(lambda m: m.group(1) + suffix, value)

        def ref(table: str, value: int | None) -> int | None:
            return ids[(table, value)] if value is not None else None

        out = self.buffer
        for row in template.rows["complainant"]:
            out["complainant"].append({**row, "id": ids[("complainant", row["id"])]})
        for row in template.rows["complaint"]:
            new_id = ids[("complaint", row["id"])]
            copy = {**row, "id": new_id, "complainant_id": ref("complainant", row["complainant_id"]),
                    "reference": f"CF-{row['received_on'].year}-{new_id:06d}"}
            copy.update(overrides or {})
            out["complaint"].append(copy)
            complaint_id = new_id
        for row in template.rows["workflow_instance"]:
            out["workflow_instance"].append({**row, "id": ids[("workflow_instance", row["id"])],
                                             "complaint_id": complaint_id, "state": uuid(row["state"])})
        handlers = {template.rows["complaint"][0]["handler_id"]: copy["handler_id"]}
        for row in template.rows["task"]:
            out["task"].append({**row, "id": uuid(row["id"]), "complaint_id": complaint_id,
                                "instance_id": ref("workflow_instance", row["instance_id"]),
                                "assignee_id": handlers.get(row["assignee_id"], row["assignee_id"])})
        for row in template.rows["timer"]:
            out["timer"].append({**row, "id": self._new_id("timer"), "task_id": uuid(row["task_id"]),
                                 "instance_id": ref("workflow_instance", row["instance_id"])})
        for row in deadlines if deadlines is not None else template.rows["deadline"]:
            out["deadline"].append({**row, "id": self._new_id("deadline"), "complaint_id": complaint_id})
        for row in template.rows["history_entry"]:
            out["history_entry"].append({**row, "id": self._new_id("history_entry"), "complaint_id": complaint_id,
                                         "complainant_id": ref("complainant", row["complainant_id"]),
                                         "detail": json.loads(uuid(json.dumps(row["detail"])))})
        for row in template.rows["notification"]:
            out["notification"].append({**row, "id": self._new_id("notification"), "complaint_id": complaint_id})
        return complaint_id

    def flush(self) -> None:
        """Write what is buffered."""
        for model in TABLES:
            bulk_insert(self.session, model, self.buffer[model.__tablename__])
            self.buffer[model.__tablename__].clear()

    def finish(self) -> None:
        """Flush, move the id sequences past the copies (PostgreSQL) and refresh the planner's statistics."""
        self.flush()
        if self.session.bind is not None and self.session.bind.dialect.name == "postgresql":
            for table in self.next_id:
                self.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                          f"(SELECT coalesce(max(id), 1) FROM {table}))"))
            self.session.execute(text("ANALYZE"))


