"""Process versions: deploy the shipped diagrams once per content hash, and load a version for running."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from service.domain.policy import PROCESSES_DIR
from service.persistence.db import UnitOfWork
from service.persistence.models import ProcessVersion, WorkflowInstance
from service.workflow import runtime
from service.workflow.runtime import Snapshot
from service.workflow.specs import CompiledProcess, cached_process, compile_process, load_process_files, restore_process

# Processes every profile runs beside its complaint procedure.
SUPPORTING = ("contact_restriction", "referral", "remedy")


def deploy(session: Session, process_id: str, files: dict[str, str], author: str, comment: str) -> ProcessVersion:
    """Make `files` the live version of `process_id`; an identical version already stored is re-used."""
    compiled = compile_process(process_id, files)
    version = session.scalars(select(ProcessVersion).where(ProcessVersion.content_hash == compiled.content_hash)).first()
    if version is None:
        number = (session.scalar(
            select(func.max(ProcessVersion.version)).where(ProcessVersion.process_id == process_id)) or 0) + 1
        version = ProcessVersion(
            process_id=process_id, version=number, content_hash=compiled.content_hash, sources=files,
            spec_json=compiled.spec_json, author=author, comment=comment,
        )
        session.add(version)
    if not version.live:
        session.execute(update(ProcessVersion).where(ProcessVersion.process_id == process_id).values(live=False))
        version.live = True
    session.flush()
    return version


def ensure_shipped_deployed(uow: UnitOfWork, process_id: str) -> ProcessVersion:
    """Deploy the diagram shipped in processes/ unless that exact version is already live."""
    with uow:
        version = deploy(uow.session, process_id, load_process_files(PROCESSES_DIR, process_id),
                         author="system", comment="shipped procedure")
        uow.commit()
        return version


def live_version(session: Session, process_id: str) -> ProcessVersion:
    """The live version of `process_id`, deploying the shipped diagram if none is live yet."""
    version = session.scalars(
        select(ProcessVersion).where(ProcessVersion.process_id == process_id, ProcessVersion.live.is_(True))
    ).first()
    if version is None:
        version = deploy(session, process_id, load_process_files(PROCESSES_DIR, process_id),
                         author="system", comment="shipped procedure")
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
