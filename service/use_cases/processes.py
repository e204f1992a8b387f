"""Process versions: deploy the shipped diagrams once per content hash, and load a version for running."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from service.domain.policy import PROCESSES_DIR
from service.persistence.db import UnitOfWork
from service.persistence.models import ProcessVersion, WorkflowInstance, utcnow
from service.workflow import runtime
from service.workflow.runtime import Snapshot
from service.workflow.specs import CompiledProcess, cached_process, compile_process, load_process_files, restore_process

# Processes every profile runs beside its complaint procedure.
SUPPORTING = ("contact_restriction", "referral", "remedy")


def deploy_version(session: Session, version: ProcessVersion) -> None:
    """Make `version` the one new instances of its process start on; the one it replaces is retired."""
    session.execute(update(ProcessVersion).where(ProcessVersion.process_id == version.process_id,
                                                 ProcessVersion.state == "live").values(state="retired"))
    version.state, version.deployed_at = "live", utcnow()
    session.flush()


def current_live(session: Session, process_id: str) -> ProcessVersion | None:
    """The version new instances of `process_id` start on, if any is live."""
    return session.scalars(select(ProcessVersion).where(ProcessVersion.process_id == process_id,
                                                        ProcessVersion.state == "live")).first()


def next_number(session: Session, process_id: str) -> int:
    """The number the next stored version of `process_id` gets."""
    highest = session.scalar(select(func.max(ProcessVersion.version)).where(ProcessVersion.process_id == process_id))
    return (highest or 0) + 1


def store_shipped(session: Session, process_id: str) -> ProcessVersion:
    """Store the diagram shipped in processes/ and make it live, unless a process owner's version is live.

    A shipped diagram already stored changes nothing (restarting never undoes a deploy or a rollback). A new
    one (an upgrade) goes live only over a shipped version; over a process owner's own it waits as a draft.
    """
    files = load_process_files(PROCESSES_DIR, process_id)
    compiled_files = compile_process(process_id, files)
    version = session.scalars(select(ProcessVersion)
                              .where(ProcessVersion.content_hash == compiled_files.content_hash)).first()
    live = current_live(session, process_id)
    if version is None:
        version = ProcessVersion(
            process_id=process_id, version=next_number(session, process_id),
            content_hash=compiled_files.content_hash, sources=files, spec_json=compiled_files.spec_json,
            author="system", comment="shipped procedure", state="draft",
        )
        session.add(version)
        session.flush()
        if live is None or live.author == "system":
            deploy_version(session, version)
    elif live is None:
        deploy_version(session, version)
    return version


def ensure_shipped_deployed(uow: UnitOfWork, process_id: str) -> ProcessVersion:
    """Store the shipped diagram of `process_id` as `store_shipped` says, in its own transaction."""
    with uow:
        version = store_shipped(uow.session, process_id)
        uow.commit()
        return version


def live_version(session: Session, process_id: str) -> ProcessVersion:
    """The live version of `process_id`, deploying the shipped diagram if none is live yet."""
    version = current_live(session, process_id)
    if version is None:
        version = store_shipped(session, process_id)
    return version


def start_instance(session: Session, process_id: str, data: dict[str, Any], policy: dict[str, Any],
                   **subject: int) -> tuple[WorkflowInstance, Snapshot]:
    """Start the live version of `process_id` with `data` about `subject` (complaint_id= or restriction_id=) and
    store the new instance; the caller projects the returned snapshot."""
    version = live_version(session, process_id)
    snapshot = runtime.start(compiled(version), data, policy)
    instance = WorkflowInstance(process_id=process_id, process_version_id=version.id, state=snapshot.state, **subject)
    session.add(instance)
    session.flush()
    return instance, snapshot


def compiled(version: ProcessVersion) -> CompiledProcess:
    """Spec objects for `version`; the stored spec text is read only the first time this process needs it."""
    return cached_process(version.content_hash) or restore_process(
        version.process_id, version.content_hash, version.spec_json
    )
