"""What-if replay: before deploying a version, see what it would have done to the complaints of a period.

Starting a replay stores a run and one item per complaint received in the period; workers claim items in
batches (the same way they claim due timers), replay each complaint through the version and through the live one
(service.workflow.replay: recorded dates, answers and order, simulated clock, sandboxed engine) and store the two
outcomes. The report is worked out from the items (service.domain.what_if) and kept once all are done. The
complaints' own records are only ever read.
"""

from __future__ import annotations

import csv
import io
import logging
import time
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.orm import Session

from service.domain import what_if
from service.domain.calendar import add_months, london_today, to_london_date
from service.domain.cells import neutralised
from service.persistence.models import Complaint, HistoryEntry, ProcessVersion, ReplayItem, ReplayRun, WorkflowInstance
from service.use_cases.context import Actor, AppContext, now, writers_take_turns
from service.use_cases.errors import Invalid, NotFound
from service.use_cases.fire_due_timers import SQLITE_TURN_SECONDS
from service.use_cases.process_versions import ensure_editor, find_version
from service.use_cases.processes import compiled, current_live
from service.workflow.inspect import user_tasks
from service.workflow.replay import RecordedStep, replay
from service.workflow.specs import CompiledProcess

BATCH = 25
CLAIM_EXPIRES = timedelta(minutes=5)  # an item claimed by a worker that died is claimed again after this
log = logging.getLogger(__name__)


def start(app: AppContext, process_id: str, number: int, actor: Actor, period_from: date | None = None,
          period_to: date | None = None) -> dict[str, Any]:
    """Ask what version `number` would have done to the complaints received from `period_from` to `period_to`
    (default: the last 12 months). Raises Forbidden, NotFound, or Invalid (a bad period, no complaints in it,
    a version whose own checks fail, or no live version to compare with)."""
    ensure_editor(actor)
    if process_id != app.policy.params["process"]:
        raise NotFound(f"only the complaint procedure can be replayed, not {process_id}")
    today = london_today()
    period_to = period_to or today
    period_from = period_from or add_months(period_to, -12) + timedelta(days=1)
    if period_from > period_to:
        raise Invalid({"period_from": "The period must start on or before the day it ends."})
    with app.uow() as uow:
        session = uow.session
        version = find_version(session, process_id, number)
        live = current_live(session, process_id)
        if live is None:
            raise Invalid({"version": "There is no live version to compare with."})
        if any(f["section"] == "diagram" for f in (version.findings or {}).get("findings", [])):
            raise Invalid({"version": f"Version {number} fails its own checks: fix it before replaying it."})
        ids = list(session.scalars(select(Complaint.id).join(WorkflowInstance, WorkflowInstance.complaint_id == Complaint.id)
                                   .where(WorkflowInstance.process_id == process_id, Complaint.received_on >= period_from,
                                          Complaint.received_on <= period_to).order_by(Complaint.id).distinct()))
        if not ids:
            raise Invalid({"period_from": f"No complaints were received from {period_from:%d %B %Y} to "
                                          f"{period_to:%d %B %Y}: there is nothing to replay."})
        run = ReplayRun(process_id=process_id, version=number, live_version=live.version, period_from=period_from,
                        period_to=period_to, as_of=today, author=actor.name, created_at=now(), total=len(ids))
        session.add(run)
        session.flush()
        session.execute(insert(ReplayItem), [{"run_id": run.id, "complaint_id": i, "done": False} for i in ids])
        uow.commit()
        return _progress(run, 0)


def _progress(run: ReplayRun, done: int) -> dict[str, Any]:
    return {"id": run.id, "process_id": run.process_id, "version": run.version, "live_version": run.live_version,
            "period_from": run.period_from.isoformat(), "period_to": run.period_to.isoformat(),
            "as_of": run.as_of.isoformat(), "author": run.author, "created_at": run.created_at.isoformat(),
            "total": run.total, "done": done, "finished": done >= run.total}


def pending_count(app: AppContext) -> int:
    """How many complaints of any replay are still to be replayed (or were claimed by a worker long gone)."""
    with app.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(ReplayItem).where(_claimable())) or 0


def _claimable() -> Any:
    return (ReplayItem.done.is_(False)) & or_(ReplayItem.claimed_at.is_(None),
                                               ReplayItem.claimed_at < now() - CLAIM_EXPIRES)


def _claim(app: AppContext, limit: int) -> list[int]:
    # A short transaction: the replaying happens outside it, so web requests are not held up.
    with app.uow() as uow:
        session = uow.session
        ids = list(session.scalars(select(ReplayItem.id).where(_claimable()).order_by(ReplayItem.id).limit(limit)
                                   .with_for_update(skip_locked=True)))
        if ids:
            session.execute(update(ReplayItem).where(ReplayItem.id.in_(ids)).values(claimed_at=now()))
        uow.commit()
        return ids


def _steps(session: Session, complaint_ids: list[int], tasks_of: dict[int, set[str]],
           version_of: dict[int, int]) -> dict[int, list[RecordedStep] | None]:
    # What staff did on each complaint, in order: its task completions on the audit trail (None: anonymised).
    steps: dict[int, list[RecordedStep] | None] = {i: [] for i in complaint_ids}
    # Only the columns it needs: an entry's before and after are the larger part of it.
    for entry in session.execute(select(HistoryEntry.complaint_id, HistoryEntry.at, HistoryEntry.redacted_at,
                                        HistoryEntry.detail)
                                 .where(HistoryEntry.complaint_id.in_(complaint_ids), HistoryEntry.kind == "task_completed")
                                 .order_by(HistoryEntry.at, HistoryEntry.id)):
        complaint_id = int(entry.complaint_id or 0)
        recorded = steps[complaint_id]
        if recorded is None:
            continue
        if entry.redacted_at is not None or "data" not in entry.detail:
            steps[complaint_id] = None
            continue
        task = str(entry.detail.get("task"))
        if task in tasks_of[version_of[complaint_id]]:  # not a task of a remedy or a referral beside it
            data = entry.detail["data"]
            recorded.append(RecordedStep(task, to_london_date(entry.at), dict(data) if isinstance(data, dict) else {}))
    return steps


def replay_batch(app: AppContext, limit: int = BATCH) -> int:
    """Claim up to `limit` complaints waiting to be replayed, replay each both ways and store it; how many."""
    item_ids = _claim(app, limit)
    if not item_ids:
        return 0
    with app.uow() as uow:
        session = uow.session
        items = list(session.scalars(select(ReplayItem).where(ReplayItem.id.in_(item_ids))))
        runs = {run.id: run for run in session.scalars(select(ReplayRun).where(
            ReplayRun.id.in_({item.run_id for item in items})))}
        complaints = {c.id: c for c in session.scalars(select(Complaint).where(
            Complaint.id.in_([item.complaint_id for item in items])))}
        instances = {int(i.complaint_id or 0): i.process_version_id for i in session.scalars(select(WorkflowInstance).where(
            WorkflowInstance.complaint_id.in_(list(complaints)), WorkflowInstance.process_id == app.policy.params["process"]))}
        versions = {v.id: v for v in session.scalars(select(ProcessVersion).where(
            ProcessVersion.id.in_(set(instances.values()))))}
        tasks_of = {vid: {t.id for t in user_tasks(compiled(v))} for vid, v in versions.items()}
        steps = _steps(session, list(complaints), tasks_of, instances)
        sides = {run.id: {side: compiled(find_version(session, run.process_id, number))
                          for side, number in (("draft", run.version), ("live", run.live_version))}
                 for run in runs.values()}
        for item in items:
            item.outcome = _outcome(app, runs[item.run_id], sides[item.run_id], complaints[item.complaint_id],
                                    steps[item.complaint_id])
            item.done = True
        uow.commit()
        return len(items)


def _outcome(app: AppContext, run: ReplayRun, sides: dict[str, CompiledProcess], complaint: Complaint,
             steps: list[RecordedStep] | None) -> dict[str, Any]:
    if steps is None:
        return {"reference": complaint.reference, "skipped": "anonymised: its answers are no longer kept"}
    start = {"complaint_reference": complaint.reference, "channel": complaint.channel}
    out: dict[str, Any] = {"reference": complaint.reference, "received_on": complaint.received_on.isoformat()}
    for side, process in sides.items():
        replayed = replay(process, app.policy.params, start, complaint.received_on, steps, run.as_of)
        out[side] = {"path": replayed.path, "deadlines": replayed.deadlines, "work": replayed.work,
                     "diverged": replayed.diverged, "error": replayed.error}
    return out


def run_pending(app: AppContext, seconds: float | None = None) -> int:
    """Replay batch after batch until nothing is left to claim (or `seconds` have passed); how many."""
    started, total = time.monotonic(), 0
    takes_turns = writers_take_turns(app)
    while seconds is None or time.monotonic() - started < seconds:
        count = replay_batch(app)
        total += count
        if count == 0:
            break
        if takes_turns:
            time.sleep(SQLITE_TURN_SECONDS)  # let web requests take the single SQLite write lock in between
    return total


def report(app: AppContext, run_id: int) -> dict[str, Any]:
    """A replay's progress and, once every complaint is replayed, its figures; raises NotFound."""
    with app.uow() as uow:
        session = uow.session
        run = session.get(ReplayRun, run_id) if 0 < run_id <= 2**31 - 1 else None
        if run is None:
            raise NotFound(f"there is no replay {run_id}")
        done = session.scalar(select(func.count()).select_from(ReplayItem)
                              .where(ReplayItem.run_id == run_id, ReplayItem.done.is_(True))) or 0
        result = _progress(run, done)
        if done < run.total:
            return result
        if run.summary is None:
            outcomes = session.scalars(select(ReplayItem.outcome).where(ReplayItem.run_id == run_id)
                                       .order_by(ReplayItem.id))
            run.summary = what_if.summarise((o for o in outcomes if o), run.as_of, _role_of(app))
            uow.commit()
        return {**result, **run.summary}


def _role_of(app: AppContext) -> Any:
    roles = app.policy.roles
    return lambda lane: " / ".join(roles.get(role, role) for role in app.policy.lane_roles(lane)) or "no lane"


def timelines(app: AppContext, run_id: int, reference: str) -> dict[str, Any]:
    """One complaint's two replays side by side; raises NotFound."""
    with app.uow() as uow:
        session = uow.session
        outcome = session.scalar(select(ReplayItem.outcome).join(Complaint, Complaint.id == ReplayItem.complaint_id)
                                 .where(ReplayItem.run_id == run_id, Complaint.reference == reference))
        run = session.get(ReplayRun, run_id) if 0 < run_id <= 2**31 - 1 else None
        if outcome is None or run is None:
            raise NotFound(f"replay {run_id} has no complaint {reference}")
        return {**outcome, "changes": [] if outcome.get("skipped") else what_if.changed(outcome, run.as_of),
                "version": run.version, "live_version": run.live_version}


def rows_csv(app: AppContext, run_id: int) -> Iterator[str]:
    """The replay as CSV: a line per complaint with each side's missed deadlines and what would change."""
    progress = report(app, run_id)
    header = ["reference", "received_on", "missed_live", "missed_draft", "changes"]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield buffer.getvalue()
    as_of = date.fromisoformat(progress["as_of"])
    with app.uow() as uow:
        for outcome in uow.session.scalars(select(ReplayItem.outcome).where(ReplayItem.run_id == run_id)
                                           .order_by(ReplayItem.id)):
            if not outcome:
                continue
            buffer.seek(0)
            buffer.truncate()
            if outcome.get("skipped"):
                row = [outcome["reference"], "", "", "", outcome["skipped"]]
            else:
                row = [outcome["reference"], outcome["received_on"], " ".join(what_if.missed(outcome["live"], as_of)),
                       " ".join(what_if.missed(outcome["draft"], as_of)), "; ".join(what_if.changed(outcome, as_of))]
            # The changes name diagram elements, whose names a process owner types.
            writer.writerow([neutralised(text) for text in row])
            yield buffer.getvalue()
