"""The managers' dashboard for a reporting year: every figure is one grouped SQL query over indexed columns, so
it stays quick however many complaints there are. Average working days are computed per distinct pair of dates
(a few thousand at most a year), never per complaint."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, extract, func, select
from sqlalchemy.orm import Session, aliased

from service.domain.calendar import add_months, london_today, to_london_date, working_days_between
from service.domain.deadlines import DEADLINE_KEYS, DEADLINE_TITLES, overall_target
from service.domain.reporting import OUTCOMES, TENURES, categories, root_causes
from service.domain.tsm import reporting_year
from service.persistence.models import Complaint, Compliment, Deadline, Remedy
from service.use_cases.context import AppContext, now
from service.use_cases.reports import check_year, count_of, figure_query


@dataclass(frozen=True)
class Series:
    """One chart: labelled values, in the order to draw them."""

    title: str
    unit: str
    points: list[tuple[str, float]] = field(default_factory=list)
    # Per point, the register filters that list the complaints behind it (empty where a point is not a count).
    working: list[dict[str, str]] = field(default_factory=list)

    @property
    def peak(self) -> float:
        """The largest value (the chart's scale), at least 1."""
        return max([1.0, *(value for _, value in self.points)])

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape."""
        return {"title": self.title, "unit": self.unit, "points": [{"label": k, "value": v} for k, v in self.points]}


def _months(start: date, end: date) -> list[tuple[int, int]]:
    count = (end.year - start.year) * 12 + end.month - start.month + 1
    return [(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1) for i in range(count)]


def _by_month(session: Session, day: Any, start: date, end: date) -> dict[tuple[int, int], int]:
    year_of, month_of = extract("year", day), extract("month", day)
    rows = session.execute(select(year_of, month_of, func.count()).where(day >= start, day <= end)
                           .group_by(year_of, month_of))
    return {(int(y), int(m)): n for y, m, n in rows}


def _month_series(title: str, unit: str, counts: dict[tuple[int, int], int], start: date, end: date) -> Series:
    months = _months(start, end)
    return Series(title, unit, [(date(y, m, 1).strftime("%b %Y"), float(counts.get((y, m), 0))) for y, m in months],
                  [{"received_from": max(start, date(y, m, 1)).isoformat(),
                    "received_to": min(end, add_months(date(y, m, 1), 1) - timedelta(days=1)).isoformat()}
                   for y, m in months] if unit == "complaints" else [])


def _grouped(session: Session, column: Any, *where: Any) -> dict[Any, int]:
    rows = session.execute(select(column, func.count()).select_from(Complaint).where(*where).group_by(column))
    return {key: count for key, count in rows}


def _labelled(title: str, counts: dict[Any, int], words: dict[str, str], missing: str, filter_name: str,
              period: dict[str, str]) -> Series:
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    return Series(title, "complaints", [(words.get(key, key) if key else missing, float(n)) for key, n in ranked],
                  [{**period, filter_name: key} if key else {} for key, _ in ranked])


def _deadline_counts(session: Session, start: date, end: date, today: date) -> dict[str, dict[str, int]]:
    # Among the deadlines of accepted complaints that fell due in the period and are decided (met, or passed
    # unmet), how many were met in time, by deadline title.
    met_in_time = func.sum(case((Deadline.met_on <= Deadline.due, 1), else_=0))
    decided = func.sum(case((Deadline.met_on.is_not(None) | (Deadline.due < today), 1), else_=0))
    rows = dict((key, (ok or 0, n or 0)) for key, ok, n in session.execute(
        select(Deadline.key, met_in_time, decided).join(Complaint, Complaint.id == Deadline.complaint_id)
        .where(Deadline.key.in_(DEADLINE_KEYS), Deadline.due >= start, Deadline.due <= end,
               Complaint.status != "refused").group_by(Deadline.key)))
    return {DEADLINE_TITLES[key]: {"in_time": int(rows[key][0]), "decided": int(rows[key][1])}
            for key in DEADLINE_KEYS if rows.get(key, (0, 0))[1]}


def _on_time(counts: dict[str, dict[str, int]]) -> Series:
    # The share of each kind of deadline met in time.
    return Series("Deadlines met on time", "%", [(title, round(100 * n["in_time"] / n["decided"], 1))
                                                  for title, n in counts.items()])


def _average_working_days(session: Session, start: date, end: date) -> Series:
    # From the day a stage's complaint counts from (receipt, or the escalation request) to the day each step
    # was met: acknowledged, and responded to.
    points = []
    for stage in ("stage1", "stage2"):
        acknowledge = aliased(Deadline)
        for key, title in ((f"{stage}_acknowledge", "acknowledge"), (f"{stage}_response", "respond")):
            step = aliased(Deadline)
            rows = session.execute(
                select(acknowledge.counts_from, step.met_on, func.count()).join(
                    step, and_(step.complaint_id == acknowledge.complaint_id, step.key == key))
                .where(acknowledge.key == f"{stage}_acknowledge", acknowledge.counts_from.is_not(None),
                       step.met_on >= start, step.met_on <= end)
                .group_by(acknowledge.counts_from, step.met_on)).all()
            total = days = 0
            for since, met, count in rows:
                if since is not None and met is not None:
                    total, days = total + count, days + working_days_between(since, met) * count
            if total:
                points.append((f"Stage {stage[-1]}: {title}", round(days / total, 1)))
    return Series("Average working days", "working days", points)


def _remedies(session: Session, start: date, end: date) -> dict[str, Any]:
    amount = Remedy.time_and_trouble + Remedy.distress_and_inconvenience + Remedy.quantifiable_loss
    rows = session.execute(select(Remedy.status, func.count(), func.coalesce(func.sum(amount), 0))
                           .join(Complaint, Complaint.id == Remedy.complaint_id)
                           .where(Complaint.received_on >= start, Complaint.received_on <= end)
                           .group_by(Remedy.status)).all()
    by_status = {status: {"count": n, "amount": str(Decimal(total).quantize(Decimal("0.01")))}
                 for status, n, total in rows}
    return {"by_status": by_status, "count": sum(n for _, n, _ in rows),
            "amount_offered": str(sum((Decimal(t) for s, _, t in rows if s in ("offered", "accepted", "paid")),
                                      Decimal("0.00")).quantize(Decimal("0.01")))}


def _overall_target(session: Session, start: date, end: date, today: date, weeks: int) -> dict[str, Any]:
    # Complaints received in the period that went through the procedure (not refused, not withdrawn): closed
    # within the target, closed after it, or still open past it.
    rows = session.execute(select(Complaint.received_on, Complaint.closed_at).where(
        Complaint.received_on >= start, Complaint.received_on <= end,
        Complaint.status.not_in(("refused", "withdrawn")))).all()
    results = [overall_target(received, weeks, to_london_date(closed) if closed else None, today)["met"]
               for received, closed in rows]
    decided = [met for met in results if met is not None]
    within = sum(1 for met in decided if met)
    return {"weeks": weeks, "decided": len(decided), "within": within,
            "percent": round(100 * within / len(decided), 1) if decided else None}


def dashboard(app: AppContext, year: int, period: tuple[date, date] | None = None) -> dict[str, Any]:
    """Every figure of the dashboard for the reporting year starting 1 April `year`, or for part of it."""
    check_year(year)
    start, end = period or reporting_year(year)
    params = app.policy.params
    in_year = (Complaint.received_on >= start, Complaint.received_on <= end)
    span = {"received_from": start.isoformat(), "received_to": end.isoformat()}
    with app.uow() as uow:
        session = uow.session
        by_month = _by_month(session, Complaint.received_on, start, end)
        compliments = _by_month(session, Compliment.received_on, start, end)
        received = sum(by_month.values())
        today = london_today(now())
        overdue = session.scalar(select(func.count(func.distinct(Deadline.complaint_id))).join(
            Complaint, Complaint.id == Deadline.complaint_id).where(
            Complaint.status == "open", Deadline.met_on.is_(None), Deadline.due < today)) or 0
        deadlines = _deadline_counts(session, start, end, today)
        figures = {
            "year": year, "from": start.isoformat(), "to": end.isoformat(), "received": received,
            "open_now": session.scalar(select(func.count()).select_from(Complaint).where(Complaint.status == "open")),
            "overdue_now": overdue,
            "months": _month_series("Complaints received by month", "complaints", by_month, start, end),
            "compliments": sum(compliments.values()),
            "compliment_months": _month_series("Compliments received by month", "compliments", compliments,
                                               start, end),
            "stages": Series("Complaints by the stage they reached", "complaints", [
                (f"Stage {n}", float(count_of(session, figure_query(start, end, f"stage{n}_received", measured=None))))
                for n in (1, 2)]),
            "categories": _labelled("Complaints by category", _grouped(session, Complaint.category, *in_year),
                                    categories(params), "Not yet categorised", "category", span),
            "root_causes": _labelled("Root causes", _grouped(session, Complaint.root_cause, *in_year,
                                                             Complaint.root_cause.is_not(None)),
                                     root_causes(params), "", "root_cause", span),
            "tenures": _labelled("Complaints by tenure", _grouped(session, Complaint.tenure, *in_year), TENURES, "",
                                 "tenure", span),
            "on_time": _on_time(deadlines),
            "on_time_counts": deadlines,
            "working_days": _average_working_days(session, start, end),
            "stage1_outcomes": _labelled("Stage 1 outcomes", _grouped(
                session, Complaint.stage1_outcome, *in_year, Complaint.stage1_outcome.is_not(None)), OUTCOMES, "",
                "stage1_outcome", span),
            "stage2_outcomes": _labelled("Stage 2 outcomes", _grouped(
                session, Complaint.stage2_outcome, *in_year, Complaint.stage2_outcome.is_not(None)), OUTCOMES, "",
                "stage2_outcome", span),
            "refusals": _labelled("Complaints refused, by reason", _grouped(
                session, Complaint.refusal_exclusion, *in_year, Complaint.status == "refused"),
                {"over_time_limit": "Outside the time limit", **app.policy.exclusions}, "Reason not recorded",
                "refusal_exclusion", span),
            "remedies": _remedies(session, start, end),
            "overall_target": _overall_target(session, start, end, today, weeks)
            if (weeks := app.policy.overall_target_weeks) else None,
        }
    return figures


def as_json(figures: dict[str, Any]) -> dict[str, Any]:
    """The dashboard as JSON: charts as lists of {label, value}."""
    return {key: value.as_dict() if isinstance(value, Series) else value for key, value in figures.items()}
