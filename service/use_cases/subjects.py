"""One place that knows what an instance is about (a complaint's procedure, a referral or remedy on a complaint,
or a contact restriction) and projects its snapshot accordingly."""

from __future__ import annotations

from sqlalchemy.orm import Session

from service.domain.policy import Policy
from service.persistence.models import Complaint, Restriction, Task, WorkflowInstance
from service.use_cases import remedies, restrictions
from service.use_cases.projection import Change, apply_snapshot
from service.workflow.runtime import Snapshot


def project(session: Session, instance: WorkflowInstance, snapshot: Snapshot, change: Change,
            policy: Policy, *, flush: bool = True) -> list[Task]:
    """Project `snapshot` of `instance` onto the tables; returns the tasks that became ready. With `flush`
    false the writes wait in the session for the caller's next flush (a batch of timers sends them together)."""
    # Its reads (this instance's rows) need none of its own writes, which it keeps in hand, so they are sent in
    # one flush at the end rather than one before each SELECT.
    with session.no_autoflush:
        tasks = _project(session, instance, snapshot, change, policy)
    if flush:
        session.flush()
    return tasks


def _project(session: Session, instance: WorkflowInstance, snapshot: Snapshot, change: Change,
             policy: Policy) -> list[Task]:
    if instance.restriction_id is not None:
        restriction = session.get(Restriction, instance.restriction_id)
        assert restriction is not None
        return restrictions.apply_snapshot(session, instance, restriction, snapshot, change, policy)
    complaint = session.get(Complaint, instance.complaint_id)
    assert complaint is not None
    if instance.process_id == remedies.PROCESS:
        return remedies.project(session, instance, complaint, snapshot, change, policy)
    return apply_snapshot(session, instance, complaint, snapshot, change, policy)
