"""Moving running complaints (and restrictions) to another version of their process, and back.

A dry run says, for each unfinished instance on another version, whether it can move and if not why. A bulk
migration moves those that can, each under its row lock; every move is audited with the state before, so it
can be reverted while the instance has not moved on since.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from service.persistence.models import InstanceMigration, ProcessVersion, WorkflowInstance
from service.use_cases import subjects
from service.use_cases.context import Actor, AppContext, lock_instance, now
from service.use_cases.errors import Conflict, NotFound
from service.use_cases.process_versions import ensure_editor, find_version
from service.use_cases.processes import compiled
from service.use_cases.projection import Change, record
from service.workflow import migration

log = logging.getLogger(__name__)


def _digest(state: str) -> str:
    return hashlib.sha256(state.encode("utf-8")).hexdigest()


def _candidates(session: Session, target: ProcessVersion) -> list[WorkflowInstance]:
    return list(session.scalars(select(WorkflowInstance).where(
        WorkflowInstance.process_id == target.process_id, WorkflowInstance.finished.is_(False),
        WorkflowInstance.process_version_id != target.id).order_by(WorkflowInstance.id)))


def _describe(instance: WorkflowInstance) -> dict[str, Any]:
    complaint = instance.complaint
    return {"instance_id": instance.id, "from_version": instance.process_version.version,
            "complaint_id": instance.complaint_id, "restriction_id": instance.restriction_id,
            "reference": complaint.reference if complaint is not None else None}


def _blockers(app: AppContext, instance: WorkflowInstance, target: ProcessVersion) -> list[str]:
    return migration.blockers(compiled(instance.process_version), compiled(target), instance.state,
                              app.policy.params)


def dry_run(app: AppContext, process_id: str, number: int) -> dict[str, Any]:
    """Which unfinished instances could move to version `number`, and why each other one cannot."""
    with app.uow() as uow:
        target = find_version(uow.session, process_id, number)
        movable: list[dict[str, Any]] = []
        blocked: list[dict[str, Any]] = []
        for instance in _candidates(uow.session, target):
            reasons = _blockers(app, instance, target)
            (blocked if reasons else movable).append({**_describe(instance), "reasons": reasons})
        return {"process_id": process_id, "to_version": number, "movable": movable, "blocked": blocked}


def migrate(app: AppContext, process_id: str, number: int, actor: Actor) -> dict[str, Any]:
    """Move every instance that can move to version `number`; the others are listed with their reasons."""
    ensure_editor(actor)
    moved, blocked = [], []
    with app.uow() as uow:
        session = uow.session
        target = find_version(session, process_id, number)
        for candidate_id in [instance.id for instance in _candidates(session, target)]:
            instance = lock_instance(session, candidate_id)
            if instance.finished or instance.process_version_id == target.id:
                continue  # finished or moved while we were working through the list
            reasons = _blockers(app, instance, target)
            if reasons:
                blocked.append({**_describe(instance), "reasons": reasons})
                continue
            try:
                with session.begin_nested():  # one instance failing leaves the others moved
                    moved.append(_move(app, session, instance, target, actor))
            except Exception as error:
                log.exception("migrating instance %s to %s v%s failed", instance.id, process_id, number)
                blocked.append({**_describe(instance), "reasons": [f"the move failed: {error}"]})
        uow.commit()
    return {"process_id": process_id, "to_version": number, "moved": moved, "blocked": blocked}


def _move(app: AppContext, session: Session, instance: WorkflowInstance, target: ProcessVersion,
          actor: Actor) -> dict[str, Any]:
    before, source = instance.state, instance.process_version
    described = _describe(instance)
    snapshot = migration.migrate(compiled(source), compiled(target), before, app.policy.params)
    change = Change(actor.id, now())
    instance.process_version_id, instance.process_version = target.id, target
    subjects.project(session, instance, snapshot, change, app.policy)
    audit = InstanceMigration(instance_id=instance.id, from_version_id=source.id, to_version_id=target.id,
                              state_before=before, state_after_digest=_digest(snapshot.state),
                              actor_id=actor.id, at=change.now)
    session.add(audit)
    session.flush()
    _record(session, instance, change, f"Moved from {source.process_id} version {source.version} to version "
            f"{target.version} by {actor.name}", {"migration": audit.id, "from": source.version,
                                                  "to": target.version}, (source.version, target.version))
    return {**described, "migration_id": audit.id}


def _record(session: Session, instance: WorkflowInstance, change: Change, summary: str,
            detail: dict[str, Any], moved: tuple[int, int]) -> None:
    record(session, instance.complaint, change, "instance_migrated", summary, detail,
           restriction=instance.restriction,
           before={"instance": instance.id, "process_id": instance.process_id, "version": moved[0]},
           after={"instance": instance.id, "process_id": instance.process_id, "version": moved[1]})


def revert(app: AppContext, migration_id: int, actor: Actor) -> dict[str, Any]:
    """Put a migrated instance back on its old version with its old state; refused (Conflict) once it has
    moved on since the migration, or if it was already reverted."""
    ensure_editor(actor)
    with app.uow() as uow:
        session = uow.session
        audit = session.get(InstanceMigration, migration_id)
        if audit is None:
            raise NotFound(f"there is no migration {migration_id}")
        instance = lock_instance(session, audit.instance_id)
        if audit.reverted_at is not None:
            raise Conflict(f"migration {migration_id} was already reverted")
        if _digest(instance.state) != audit.state_after_digest:
            raise Conflict("the instance has moved on since it was migrated; it cannot be put back")
        source = audit.from_version
        snapshot = migration.restore(compiled(source), audit.state_before, app.policy.params)
        change = Change(actor.id, now())
        instance.process_version_id, instance.process_version = source.id, source
        subjects.project(session, instance, snapshot, change, app.policy)
        audit.reverted_at, audit.reverted_by_id = change.now, actor.id
        _record(session, instance, change, f"Migration reverted: back on {source.process_id} version "
                f"{source.version} ({actor.name})", {"migration": audit.id, "to": source.version},
                (audit.to_version.version, source.version))
        uow.commit()
        return {"migration_id": audit.id, "instance_id": instance.id, "version": source.version}


def history(app: AppContext, process_id: str) -> list[dict[str, Any]]:
    """Every migration of `process_id`'s instances, newest first."""
    with app.uow() as uow:
        rows = uow.session.scalars(select(InstanceMigration).join(InstanceMigration.to_version)
                                   .options(selectinload(InstanceMigration.from_version),
                                            selectinload(InstanceMigration.actor),
                                            selectinload(InstanceMigration.instance)
                                            .selectinload(WorkflowInstance.complaint))
                                   .where(ProcessVersion.process_id == process_id)
                                   .order_by(InstanceMigration.id.desc()).limit(500)).all()
        return [{"id": r.id, "instance_id": r.instance_id, "from_version": r.from_version.version,
                 "to_version": r.to_version.version, "by": r.actor.name if r.actor else None,
                 "at": r.at.isoformat(), "reverted_at": r.reverted_at.isoformat() if r.reverted_at else None,
                 "reference": r.instance.complaint.reference if r.instance.complaint else None}
                for r in rows]
