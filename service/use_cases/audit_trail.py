"""Reading the audit trail (history entries): per complaint, per person, and the system's own (sign-ins,
deploys, exports), newest first in pages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from service.persistence.models import HistoryEntry, User
from service.use_cases.context import Actor, AppContext
from service.use_cases.errors import Forbidden

PAGE = 100


def ensure_data_officer(app: AppContext, actor: Actor, erasing: bool = False) -> None:
    """Only the managing role and administrators read the whole trail and export personal data; only
    administrators erase (it cannot be undone). Raises Forbidden."""
    allowed = {"admin"} if erasing else {app.manager_role, "admin"}
    if actor.role not in allowed:
        raise Forbidden(f"only {' or '.join(sorted(allowed))} may do this")


def entry_dict(entry: HistoryEntry) -> dict[str, Any]:
    """One entry as pages and exports show it (its `actor` relationship loaded)."""
    return {"id": entry.id, "at": entry.at.isoformat(), "kind": entry.kind, "summary": entry.summary,
            "actor": entry.actor.name if entry.actor else None,
            "actor_display": entry.actor.display_name if entry.actor else None,
            "detail": entry.detail, "before": entry.before,
            "after": entry.after, "redacted_at": entry.redacted_at.isoformat() if entry.redacted_at else None,
            "complaint_id": entry.complaint_id, "complainant_id": entry.complainant_id}


def entries(app: AppContext, *, kind: str | None = None, actor: str | None = None, complainant_id: int | None = None,
            before_id: int | None = None, limit: int = PAGE) -> list[dict[str, Any]]:
    """Entries newest first, filtered by kind, by the actor's user name or by person; `before_id` pages on
    (keyset: the last id of the previous page)."""
    query = select(HistoryEntry).options(joinedload(HistoryEntry.actor)).order_by(HistoryEntry.id.desc()).limit(limit)
    if kind:
        query = query.where(HistoryEntry.kind == kind)
    if actor:
        query = query.join(User, User.id == HistoryEntry.actor_id).where(User.name == actor)
    if complainant_id is not None:
        query = query.where(HistoryEntry.complainant_id == complainant_id)
    if before_id is not None:
        query = query.where(HistoryEntry.id < before_id)
    with app.uow() as uow:
        return [entry_dict(entry) for entry in uow.session.scalars(query)]


def kinds(app: AppContext) -> list[str]:
    """Every kind of entry recorded so far, for the filter."""
    with app.uow() as uow:
        return list(uow.session.scalars(select(HistoryEntry.kind).distinct().order_by(HistoryEntry.kind)))
