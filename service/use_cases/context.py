"""What every use case is given: a way to open a unit of work, and the active policy profile."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVarTuple

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session, joinedload, sessionmaker

from service.domain.policy import Policy
from service.outbound.links import Links
from service.outbound.logo import Logo
from service.persistence.db import UnitOfWork
from service.persistence.models import Complaint, Task, WorkflowInstance
from service.use_cases.errors import NotFound


@dataclass(frozen=True)
class Actor:
    """The member of staff acting."""

    id: int
    name: str
    role: str


@dataclass(frozen=True)
class AppContext:
    """The session factory and the policy profile, built once by create_app (or the worker)."""

    session_factory: sessionmaker[Session]
    policy: Policy
    mail_from: str = "complaints@complaintflow.local"
    # The private link to a complaint's page for its resident (the letters' emails carry it); None: not sent.
    portal_links: Links | None = None
    landlord_logo: Logo | None = None

    def uow(self) -> UnitOfWork:
        """A fresh unit of work."""
        return UnitOfWork(self.session_factory)

    @property
    def manager_role(self) -> str:
        """The role that reviews breaches and handles Stage 2."""
        return self.policy.stage_role("2")


Columns = TypeVarTuple("Columns")  # what a locking query selects


def now() -> datetime:
    """The current instant (timezone-aware UTC)."""
    return datetime.now(UTC)


def find_complaint(session: Session, reference: str) -> Complaint:
    """The complaint with `reference`, or NotFound."""
    complaint = session.scalars(select(Complaint).where(Complaint.reference == reference)).first()
    if complaint is None:
        raise NotFound(f"no complaint {reference}")
    return complaint


def _locked(query: Select[*Columns]) -> Select[*Columns]:
    return (query.options(joinedload(WorkflowInstance.process_version, innerjoin=True))
            .with_for_update(of=WorkflowInstance).execution_options(populate_existing=True))


# The lock queries are built once, with their ids as parameters: building a select with its loader options cost
# about a fifth of running it (0.4 ms of the task lock's 1.8), on every completion.
_complaint = joinedload(Task.complaint)
_LOCK_INSTANCE = _locked(select(WorkflowInstance).where(WorkflowInstance.id == bindparam("instance_id")))
_LOCK_TASK = _locked(select(WorkflowInstance, Task).join(Task, Task.instance_id == WorkflowInstance.id)
                     .where(Task.id == bindparam("task_id"))
                     .options(_complaint.joinedload(Complaint.deadlines), _complaint.joinedload(Complaint.handler),
                              _complaint.joinedload(Complaint.stage2_handler), joinedload(Task.restriction)))


def lock_instance(session: Session, instance_id: int) -> WorkflowInstance:
    """Load an instance holding its row lock (FOR UPDATE on PostgreSQL; SQLite transactions are IMMEDIATE)."""
    return session.scalars(_LOCK_INSTANCE, {"instance_id": instance_id}).one()


def lock_task(session: Session, task_id: str) -> tuple[WorkflowInstance, Task] | None:
    """Task `task_id` with its complaint (its deadlines and handlers) or restriction, and its instance locked as
    `lock_instance` locks it, read in one statement; None for an unknown task."""
    row = session.execute(_LOCK_TASK, {"task_id": task_id}).unique().first()
    return (row[0], row[1]) if row else None


def writers_take_turns(app: AppContext) -> bool:
    """Whether the database lets one writer in at a time (SQLite): loops of batches then pause between them."""
    bind = app.session_factory.kw.get("bind")
    return bind is not None and bind.dialect.name == "sqlite"
