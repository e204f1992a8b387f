"""Reports computed in SQL over indexed columns: the TSM complaint measures, with the working behind them."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from service.domain.tsm import per_thousand, reporting_year
from service.persistence.models import Complaint, Deadline, ReportingYear
from service.use_cases.concurrent_edits import NEVER_SAVED, Saved, ensure_unchanged
from service.use_cases.context import AppContext
from service.use_cases.errors import Invalid

# Each figure: the deadline whose date places a complaint in the year, and which date.
FIGURES = {
    "stage1_received": ("stage1_acknowledge", "counts_from"),
    "stage2_received": ("stage2_acknowledge", "counts_from"),
    "stage1_responded": ("stage1_response", "met_on"),
    "stage2_responded": ("stage2_response", "met_on"),
}


def count_of(session: Session, query: Select[Any]) -> int:
    """How many rows `query` returns, counted in SQL."""
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


# The tenures the measures are about: low-cost rental and low-cost home ownership, measured against those homes.
# Complaints from other tenures, or whose tenure is not known yet, are reported beside the measures, never in them.
MEASURED_TENURES = ("low_cost_rental", "low_cost_home_ownership")


def figure_query(start: date, end: date, figure: str, measured: bool | None = True) -> Select[Any]:
    """The complaints behind one TSM count (e.g. `stage1_received`, `stage1_responded_within`) in a period: from
    the measured tenures, from all the others (`measured=False`), or from every tenure (`measured=None`)."""
    key, column = FIGURES[figure.removesuffix("_within")]
    on = getattr(Deadline, column)
    query = (select(Complaint.reference).join(Deadline, Deadline.complaint_id == Complaint.id)
             .where(Deadline.key == key, on >= start, on <= end, Complaint.status != "refused"))
    if measured is not None:
        query = query.where(Complaint.tenure.in_(MEASURED_TENURES) if measured
                            else Complaint.tenure.not_in(MEASURED_TENURES))
    if figure.endswith("_within"):
        query = query.where(Deadline.within_code.is_(True))
    return query


# More relevant homes than any landlord has (the largest own about a hundred thousand).
MAX_HOMES = 10_000_000


def check_year(year: int) -> None:
    """Invalid unless `year` names a plausible reporting year."""
    if not 2000 <= year <= 2100:
        raise Invalid({"year": "Give the year the reporting year starts, e.g. 2026 for April 2026 to March 2027."})


def tsm(app: AppContext, year: int, period: tuple[date, date] | None = None) -> dict[str, Any]:
    """CH01 and CH02 for the reporting year starting 1 April `year` (or for part of it, `period`), with the
    counts behind them; CH01 also separately for low-cost rental and low-cost home ownership."""
    check_year(year)
    start, end = period or reporting_year(year)
    figures = [*FIGURES, "stage1_responded_within", "stage2_responded_within"]
    with app.uow() as uow:
        session = uow.session
        counts = {name: count_of(session, figure_query(start, end, name)) for name in figures}
        outside = {name: count_of(session, figure_query(start, end, name, measured=False)) for name in FIGURES}
        by_tenure = {(tenure, stage): n for tenure, stage, n in session.execute(
            select(Complaint.tenure, Deadline.key, func.count()).join(Deadline, Deadline.complaint_id == Complaint.id)
            .where(Deadline.key.in_(("stage1_acknowledge", "stage2_acknowledge")), Deadline.counts_from >= start,
                   Deadline.counts_from <= end, Complaint.status != "refused")
            .group_by(Complaint.tenure, Deadline.key))}
        homes_row = session.get(ReportingYear, year)
    rental = homes_row.low_cost_rental_homes if homes_row else 0
    ownership = homes_row.low_cost_home_ownership_homes if homes_row else 0
    homes = rental + ownership

    def share(stage: str) -> float | None:
        responded = counts[f"{stage}_responded"]
        return round(100 * counts[f"{stage}_responded_within"] / responded, 1) if responded else None

    def stock(tenure: str, homes_of_tenure: int) -> dict[str, Any]:
        received = {stage: by_tenure.get((tenure, f"{stage}_acknowledge"), 0) for stage in ("stage1", "stage2")}
        return {"stage1": per_thousand(received["stage1"], homes_of_tenure),
                "stage2": per_thousand(received["stage2"], homes_of_tenure), "received": received,
                "homes": homes_of_tenure}

    return {
        "year": year, "from": start.isoformat(), "to": end.isoformat(),
        "ch01": {"stage1": per_thousand(counts["stage1_received"], homes),
                 "stage2": per_thousand(counts["stage2_received"], homes),
                 "homes": {"low_cost_rental": rental, "low_cost_home_ownership": ownership, "total": homes},
                 "low_cost_rental": stock("low_cost_rental", rental),
                 "low_cost_home_ownership": stock("low_cost_home_ownership", ownership)},
        "ch02": {"stage1": share("stage1"), "stage2": share("stage2")},
        "counts": counts,
        "not_measured": outside,  # other tenures and tenure not known yet: beside the measures, never in them
    }


def working(app: AppContext, year: int, figure: str) -> list[str]:
    """The complaint references behind one count of the TSM (e.g. `stage1_responded_within`), or behind one count
    of the complaints left out of it as other tenures (`other_stage1_received`)."""
    check_year(year)
    measured = not figure.startswith("other_")
    figure = figure.removeprefix("other_")
    if figure.removesuffix("_within") not in FIGURES or (not measured and figure not in FIGURES):
        raise Invalid({"figure": f"one of {', '.join(FIGURES)} (optionally with _within, or other_ before it)"})
    start, end = reporting_year(year)
    query = figure_query(start, end, figure, measured=measured)
    with app.uow() as uow:
        return [ref or "" for ref in uow.session.scalars(query.order_by(Complaint.reference))]


def _homes_saved(session: Session, year: int) -> Saved | None:
    # The table keeps neither who saved the homes nor when: the figures themselves are the version.
    row = session.get(ReportingYear, year, populate_existing=True)
    if row is None:
        return None
    return Saved(f"{row.low_cost_rental_homes}/{row.low_cost_home_ownership_homes}", "someone", None)


def homes_version(app: AppContext, year: int) -> str:
    """The version of `year`'s relevant homes that the form to change them carries (read it before the figures)."""
    with app.uow() as uow:
        saved = _homes_saved(uow.session, year)
    return saved.version if saved is not None else NEVER_SAVED


def set_homes(app: AppContext, year: int, low_cost_rental: int, low_cost_home_ownership: int,
              loaded: str | None = None) -> None:
    """Record the relevant homes for a reporting year. Raises Invalid, or EditConflict when they were changed
    after version `loaded` (from homes_version; None: unchecked)."""
    check_year(year)
    if low_cost_rental < 0 or low_cost_home_ownership < 0:
        raise Invalid({"homes": "Numbers of homes cannot be negative."})
    if max(low_cost_rental, low_cost_home_ownership) > MAX_HOMES:
        raise Invalid({"homes": f"Numbers of homes are at most {MAX_HOMES:,}: no landlord has more."})
    with app.uow() as uow:
        ensure_unchanged(uow.session, f"reporting_year:{year}", loaded, lambda: _homes_saved(uow.session, year),
                         f"other figures for the relevant homes of {year}/{(year + 1) % 100:02d}")
        row = uow.session.get(ReportingYear, year) or ReportingYear(year=year)
        row.low_cost_rental_homes, row.low_cost_home_ownership_homes = low_cost_rental, low_cost_home_ownership
        uow.session.add(row)
        uow.commit()


def current_reporting_year(today: date) -> int:
    """The reporting year `today` falls in (named by the year it starts)."""
    return today.year if today.month >= 4 else today.year - 1
