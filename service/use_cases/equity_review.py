"""The yearly review of compensation levels for equity and fairness: every financial remedy offered on the year's
complaints, grouped by category so like can be compared with like, and the named reviewers' sign-offs (seed-001:
"the levels of compensation and ex gratia payments ... will be reviewed by the Customer Service Manager and
Director of Resource and Risk to maintain a level of equity and fairness"). A procedure that names no reviewers
has its Stage 2 role review them."""

from __future__ import annotations

from decimal import Decimal
from statistics import median
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from service.domain.calendar import to_london_date
from service.domain.reporting import categories
from service.domain.tsm import reporting_year
from service.persistence.models import Complaint, EquityReview, Remedy
from service.use_cases.context import Actor, AppContext, now
from service.use_cases.errors import Forbidden, Invalid
from service.use_cases.reports import check_year

OFFERED = ("offered", "accepted", "declined", "paid")  # an amount put to the resident (not proposed, not rejected)
NOTES_LIMIT = 4000


def reviewers(app: AppContext) -> list[str]:
    """The roles that sign the review off, in the profile's order."""
    rule = (app.policy.params.get("remedies") or {}).get("equity_review") or {}
    return list(rule.get("by") or [app.manager_role])


def may_read(app: AppContext, role: str) -> bool:
    """Reviewers, the Stage 2 role and admins may read the review."""
    return role in {*reviewers(app), app.manager_role, "admin"}


def _money(value: Decimal) -> str:
    return str(Decimal(value).quantize(Decimal("0.01")))


def review(app: AppContext, year: int) -> dict[str, Any]:
    """The year's financial remedies (by complaint reference, never by name), figures per category, and where
    each reviewer's sign-off stands."""
    check_year(year)
    start, end = reporting_year(year)
    words = categories(app.policy.params)
    with app.uow() as uow:
        rows = uow.session.execute(
            select(Remedy, Complaint.reference, Complaint.category).join(Complaint, Complaint.id == Remedy.complaint_id)
            .where(Complaint.received_on >= start, Complaint.received_on <= end, Remedy.status.in_(OFFERED))
            .order_by(Complaint.category, Remedy.id)).all()
        remedies = [{"reference": reference, "category": words.get(category or "", "Not yet categorised"),
                     "kinds": remedy.kinds, "description": remedy.description, "status": remedy.status,
                     "time_and_trouble": _money(remedy.time_and_trouble),
                     "distress_and_inconvenience": _money(remedy.distress_and_inconvenience),
                     "quantifiable_loss": _money(remedy.quantifiable_loss), "amount": _money(remedy.amount)}
                    for remedy, reference, category in rows if remedy.amount > 0]
        signed = uow.session.scalars(select(EquityReview).options(joinedload(EquityReview.reviewer))
                                     .where(EquityReview.year == year).order_by(EquityReview.id)).all()
        latest = {row.role: row for row in signed}
        titles = app.policy.roles
        sign_offs = [{"role": role, "title": titles.get(role, role),
                      "reviewer": latest[role].reviewer.display_name if role in latest else None,
                      "on": to_london_date(latest[role].reviewed_at).isoformat() if role in latest else None,
                      "notes": latest[role].notes if role in latest else None} for role in reviewers(app)]
    by_category: dict[str, list[Decimal]] = {}
    for item in remedies:
        by_category.setdefault(str(item["category"]), []).append(Decimal(str(item["amount"])))
    return {"year": year, "from": start.isoformat(), "to": end.isoformat(), "remedies": remedies,
            "categories": [{"category": name, "count": len(amounts), "lowest": _money(min(amounts)),
                            "median": _money(median(amounts)), "highest": _money(max(amounts)),
                            "total": _money(sum(amounts, Decimal(0)))} for name, amounts in by_category.items()],
            "sign_offs": sign_offs, "complete": all(s["reviewer"] for s in sign_offs)}


def sign_off(app: AppContext, year: int, notes: str, actor: Actor) -> None:
    """Record the actor's review of the year's levels, with what they found; only a named reviewer may."""
    check_year(year)
    if actor.role not in reviewers(app):
        titles = app.policy.roles
        raise Forbidden("This review is signed off by " + " and ".join(titles.get(r, r) for r in reviewers(app)) + ".")
    notes = (notes or "").strip()
    if not notes:
        raise Invalid({"notes": "Say what the review found: whether the levels are fair and consistent, and "
                                "anything to change."})
    if len(notes) > NOTES_LIMIT:
        raise Invalid({"notes": f"Keep it to {NOTES_LIMIT} characters."})
    with app.uow() as uow:
        uow.session.add(EquityReview(year=year, role=actor.role, reviewer_id=actor.id, reviewed_at=now(), notes=notes))
        uow.commit()
