"""Learning from complaints (Code 9): actions with owners and due dates, followed to done and reported."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from forms import form_class
from forms.review_response import VERDICTS
from service.domain.calendar import london_datetime, london_today, to_london_date
from service.persistence.models import Complaint, HistoryEntry, LearningAction, User
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
        action = _add(session, complaint, form.action.data, form.owner.data, form.due_on.data, actor.id, now())
        uow.commit()
        return action.id


def _add(session: Session, complaint: Complaint | None, description: str, owner_name: str, due_on: date,
         by: int, at: datetime) -> LearningAction:
    owner = session.scalars(select(User).where(User.name == owner_name)).one()
    action = LearningAction(complaint_id=complaint.id if complaint else None, description=description.strip(),
                            owner_id=owner.id, due_on=due_on, outcome="", created_by_id=by, created_at=at)
    session.add(action)
    session.flush()
    if complaint is not None:
        record(session, complaint, Change(by, at), "learning_action",
               f"Learning action for {owner.display_name} by {action.due_on:%d %B %Y}: {action.description}",
               {"learning_action": action.id})
    return action


# The history entry a review of a response leaves: what the reports read the learning from.
REVIEWED = "response_reviewed"
REVIEWED_RESPONSES = {"stage1_response": "Stage 1 response", "stage2_response": "Stage 2 response"}


def from_review(session: Session, complaint: Complaint, reviews: str | None, submitted: dict[str, Any],
                actor: Actor, at: datetime) -> None:
    """Put on record the review of a response that a task whose `reviews` property names it completed (seed-002's
    Performance Improvement Team): the verdict and the learning in the complaint's history, where the reports
    find them, and any improvement work as a learning action for the member of staff named. `submitted` is what
    the review's form sent."""
    if reviews not in REVIEWED_RESPONSES:
        return
    verdict = str(submitted.get("response_met_policy") or "")
    learning = str(submitted.get("learning_identified") or "").strip()
    record(session, complaint, Change(actor.id, at), REVIEWED,
           f"{REVIEWED_RESPONSES[reviews]} reviewed: {VERDICTS.get(verdict, verdict)}. Learning: {learning}",
           {"reviews": reviews, "met_policy": verdict, "shortfalls": submitted.get("response_shortfalls") or "",
            "learning": learning})
    action = str(submitted.get("improvement_action") or "").strip()
    if action:
        _add(session, complaint, action, str(submitted["improvement_owner"]),
             date.fromisoformat(str(submitted["improvement_due_on"])), actor.id, at)


@dataclass(frozen=True)
class ReviewView:
    """One review of a response as the reports show it."""

    reference: str | None
    reviewed_on: date
    response: str
    met_policy: str
    learning: str


def reviews(app: AppContext, since: date, until: date) -> list[ReviewView]:
    """The reviews of responses done from `since` to `until` (London days), oldest first, with their learning
    (those of anonymised complaints are left out: their words are gone)."""
    with app.uow() as uow:
        rows = uow.session.execute(
            select(HistoryEntry, Complaint.reference).outerjoin(Complaint, Complaint.id == HistoryEntry.complaint_id)
            .where(HistoryEntry.kind == REVIEWED, HistoryEntry.redacted_at.is_(None),
                   HistoryEntry.at >= london_datetime(since), HistoryEntry.at < london_datetime(until + timedelta(days=1)))
            .order_by(HistoryEntry.at, HistoryEntry.id)).all()
    return [ReviewView(reference, to_london_date(entry.at), REVIEWED_RESPONSES.get(str(entry.detail.get("reviews")), ""),
                       VERDICTS.get(str(entry.detail.get("met_policy")), ""), str(entry.detail.get("learning") or ""))
            for entry, reference in rows]


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
