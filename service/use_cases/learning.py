"""Learning from complaints (Code 9): actions with owners and due dates, followed to done and reported."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from forms import form_class
from service.domain.calendar import london_today
from service.persistence.models import LearningAction, User
from service.use_cases import users
from service.use_cases.context import Actor, AppContext, find_complaint, now
from service.use_cases.errors import Forbidden, Invalid, NotFound
from service.use_cases.formdata import validated
from service.use_cases.projection import Change, record


@dataclass(frozen=True)
class ActionView:
    """One learning action as pages and reports show it."""

    id: int
    reference: str | None
    description: str
    owner: str
    owner_name: str
    due_on: date
    done_on: date | None
    outcome: str
    overdue: bool

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape (ISO dates)."""
        return {"id": self.id, "reference": self.reference, "description": self.description, "owner": self.owner,
                "owner_name": self.owner_name, "due_on": self.due_on.isoformat(),
                "done_on": self.done_on.isoformat() if self.done_on else None, "outcome": self.outcome,
                "overdue": self.overdue}


def form_context(app: AppContext) -> dict[str, Any]:
    """What the learning-action form validates against: today and the staff who may own an action."""
    return {"today": london_today(now()), "staff": users.staff_choices(app)}


def add(app: AppContext, data: Any, actor: Actor, reference: str | None = None) -> int:
    """Record a learning action, on a complaint when `reference` is given; returns its id."""
    form = validated(form_class("learning_action"), data, form_context(app))
    with app.uow() as uow:
        session = uow.session
        complaint = find_complaint(session, reference) if reference else None
        owner = session.scalars(select(User).where(User.name == form.owner.data)).one()
        action = LearningAction(complaint_id=complaint.id if complaint else None, description=form.action.data.strip(),
                                owner_id=owner.id, due_on=form.due_on.data, outcome="", created_by_id=actor.id,
                                created_at=now())
        session.add(action)
        session.flush()
        if complaint is not None:
            record(session, complaint, Change(actor.id, now()), "learning_action",
                   f"Learning action for {owner.display_name} by {action.due_on:%d %B %Y}: {action.description}",
                   {"learning_action": action.id})
        uow.commit()
        return action.id


def complete(app: AppContext, action_id: int, outcome: str, actor: Actor, manager_roles: set[str]) -> None:
    """Mark an action done with what changed; only its owner, a manager or an admin may."""
    if not outcome.strip():
        raise Invalid({"outcome": "Say what changed."})
    with app.uow() as uow:
        action = uow.session.get(LearningAction, action_id)
        if action is None:
            raise NotFound(f"no learning action {action_id}")
        if actor.id != action.owner_id and actor.role not in manager_roles:
            raise Forbidden("only the owner or a manager may complete this action")
        if action.done_on is not None:
            raise Invalid({"outcome": f"Already done on {action.done_on:%d %B %Y}."})
        action.done_on, action.outcome = london_today(now()), outcome.strip()
        if action.complaint is not None:
            record(uow.session, action.complaint, Change(actor.id, now()), "learning_action_done",
                   f"Learning action done: {action.description} — {action.outcome}", {"learning_action": action.id})
        uow.commit()


def for_period(session: Session, *, complaint_id: int | None = None, since: date | None = None,
               until: date | None = None) -> list[ActionView]:
    """Learning actions, open ones first by due date: all, one complaint's, or those due in a period."""
    today = london_today(now())
    query = select(LearningAction).options(joinedload(LearningAction.owner), joinedload(LearningAction.complaint))
    if complaint_id is not None:
        query = query.where(LearningAction.complaint_id == complaint_id)
    if since is not None:
        query = query.where(LearningAction.due_on >= since)
    if until is not None:
        query = query.where(LearningAction.due_on <= until)
    query = query.order_by(LearningAction.done_on.is_not(None), LearningAction.due_on, LearningAction.id)
    return [ActionView(a.id, a.complaint.reference if a.complaint else None, a.description, a.owner.name,
                       a.owner.display_name, a.due_on, a.done_on, a.outcome, a.done_on is None and a.due_on < today)
            for a in session.scalars(query)]


def actions(app: AppContext, since: date | None = None, until: date | None = None) -> list[ActionView]:
    """All learning actions (or those due in a period), open ones first."""
    with app.uow() as uow:
        return for_period(uow.session, since=since, until=until)
