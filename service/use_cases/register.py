"""The complaints register (seed 001: "updated at each stage"): one row per complaint with its dates per stage,
extension, outcome, category, root cause, on-time flags and remedies. Filtered and sorted in SQL; pages use
keyset pagination and the exports stream, so neither ever holds the whole register in memory."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import Select, func, or_, select, tuple_
from sqlalchemy.orm import aliased

from service.domain.calendar import london_today
from service.domain.cells import neutralised
from service.domain.deadlines import DEADLINE_KEYS
from service.persistence.models import Complainant, Complaint, Deadline, Remedy, User
from service.use_cases.context import AppContext, now
from service.use_cases.errors import Invalid
from service.use_cases.submit_complaint import is_reference

BASE_COLUMNS = ["reference", "complainant", "channel", "tenure", "received_on", "category", "root_cause", "stage",
                "status", "handler", "stage1_outcome", "stage2_outcome", "refusal_exclusion", "closed_at"]
DEADLINE_COLUMNS = [f"{key}_{part}" for key in DEADLINE_KEYS
                    for part in ("due", "original_due", "met_on", "on_time", "within_code", "beyond_cap")]
COLUMNS = [*BASE_COLUMNS, *DEADLINE_COLUMNS, "remedies_offered", "remedy_amount"]
SORTS = {"newest": "Newest first", "oldest": "Oldest first"}
STATUSES = ("open", "closed", "refused", "resolved_informally", "withdrawn")
PAGE_SIZE = 50
# Filters that match one column exactly: query-string name → column.
EQUALITY_FILTERS = {"status": Complaint.status, "stage": Complaint.stage, "category": Complaint.category,
                    "channel": Complaint.channel, "handler": User.name, "tenure": Complaint.tenure,
                    "root_cause": Complaint.root_cause, "stage1_outcome": Complaint.stage1_outcome,
                    "stage2_outcome": Complaint.stage2_outcome, "refusal_exclusion": Complaint.refusal_exclusion}


@dataclass(frozen=True)
class Filters:
    """What the register is narrowed to, and its order."""

    status: str = ""
    stage: str = ""
    category: str = ""
    channel: str = ""
    handler: str = ""
    received_from: date | None = None
    received_to: date | None = None
    overdue: bool = False
    search: str = ""
    sort: str = "newest"
    tenure: str = ""
    root_cause: str = ""
    stage1_outcome: str = ""
    stage2_outcome: str = ""
    refusal_exclusion: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Filters:
        """Read filters from query-string arguments; raises Invalid naming each bad one."""
        errors: dict[str, str] = {}
        dates: dict[str, Any] = {}
        for name in ("received_from", "received_to"):
            try:
                dates[name] = date.fromisoformat(args[name]) if args.get(name) else None
            except ValueError:
                errors[name] = "Give a date as YYYY-MM-DD."
        sort = args.get("sort") or "newest"
        if sort not in SORTS:
            errors["sort"] = f"One of {', '.join(SORTS)}."
        if args.get("stage") not in (None, "", "stage1", "stage2"):
            errors["stage"] = "stage1 or stage2."
        if errors:
            raise Invalid(errors)
        values: dict[str, Any] = {name: args.get(name, "")[:40] for name in EQUALITY_FILTERS}
        return cls(overdue=args.get("overdue") == "yes", search=args.get("q", "").strip()[:200], sort=sort,
                   **values, **dates)

    def as_args(self) -> dict[str, str]:
        """The query-string arguments that give these filters (for links to the next page and the exports)."""
        args = {**{name: getattr(self, name) for name in EQUALITY_FILTERS},
                "q": self.search, "sort": self.sort if self.sort != "newest" else "",
                "received_from": self.received_from.isoformat() if self.received_from else "",
                "received_to": self.received_to.isoformat() if self.received_to else "",
                "overdue": "yes" if self.overdue else ""}
        return {key: value for key, value in args.items() if value}


def _query(filters: Filters) -> Select[Any]:
    deadlines = {key: aliased(Deadline, name=key) for key in DEADLINE_KEYS}
    remedy_count = (select(func.count(Remedy.id)).where(Remedy.complaint_id == Complaint.id)
                    .correlate(Complaint).scalar_subquery())
    remedy_amount = (select(func.coalesce(func.sum(Remedy.time_and_trouble + Remedy.distress_and_inconvenience
                                                   + Remedy.quantifiable_loss), 0))
                     .where(Remedy.complaint_id == Complaint.id, Remedy.status.in_(("offered", "accepted", "paid")))
                     .correlate(Complaint).scalar_subquery())
    columns: list[Any] = [Complaint.reference, Complainant.name, Complaint.channel, Complaint.tenure,
                          Complaint.received_on, Complaint.category, Complaint.root_cause, Complaint.stage,
                          Complaint.status, User.name, Complaint.stage1_outcome, Complaint.stage2_outcome,
                          Complaint.refusal_exclusion, Complaint.closed_at]
    for alias in deadlines.values():
        columns += [alias.due, alias.original_due, alias.met_on, alias.breached_at, alias.within_code, alias.beyond_cap]
    query = (select(*columns, remedy_count, remedy_amount, Complaint.id).join(Complainant)
             .outerjoin(User, User.id == Complaint.handler_id))
    for key, alias in deadlines.items():
        query = query.outerjoin(alias, (alias.complaint_id == Complaint.id) & (alias.key == key))
    return _filtered(query, filters)


def _filtered(query: Select[Any], filters: Filters) -> Select[Any]:
    for name, column in EQUALITY_FILTERS.items():
        if getattr(filters, name):
            query = query.where(column == getattr(filters, name))
    if filters.received_from:
        query = query.where(Complaint.received_on >= filters.received_from)
    if filters.received_to:
        query = query.where(Complaint.received_on <= filters.received_to)
    if filters.search:
        # A reference is found by its index alone. No name holds one, and looking through every resident's name
        # for it too read the whole register (25 ms at 22,000 complaints, and growing with them).
        by_reference = Complaint.reference == filters.search.upper()
        query = query.where(by_reference if is_reference(filters.search) else or_(
            by_reference, func.lower(Complainant.name).contains(filters.search.lower(), autoescape=True)))
    if filters.overdue:
        # Few deadlines are unmet at any time: find them first (ix_deadline_met_on_due), as a materialised set,
        # so the planner does not walk the whole register looking for them.
        overdue = (select(Deadline.complaint_id).distinct()
                   .where(Deadline.met_on.is_(None), Deadline.due < london_today(now()))
                   .cte("overdue").prefix_with("MATERIALIZED"))
        query = query.join(overdue, overdue.c.complaint_id == Complaint.id).where(Complaint.status == "open")
    newest = filters.sort == "newest"
    return query.order_by(*(c.desc() if newest else c.asc() for c in (Complaint.received_on, Complaint.id)))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _row(raw: Any) -> list[str]:
    values = list(raw)[:-1]  # the last column is the id, for the page cursor only
    base, rest = values[:len(BASE_COLUMNS)], values[len(BASE_COLUMNS):]
    out = [_cell(v) for v in base]
    for i in range(len(DEADLINE_KEYS)):
        due, original, met_on, breached_at, within, beyond_cap = rest[i * 6:i * 6 + 6]
        on_time = "" if due is None or (met_on is None and breached_at is None) else (
            "yes" if met_on is not None and met_on <= due else "no")
        out += [_cell(due), _cell(original), _cell(met_on), on_time,
                "" if within is None else ("yes" if within else "no"), "yes" if beyond_cap else ""]
    out += [_cell(rest[-2]), _cell(rest[-1])]
    return out


@dataclass(frozen=True)
class Page:
    """One page of the register, and the cursor of the next one (None on the last page)."""

    rows: list[dict[str, str]]
    next_cursor: str | None


def page(app: AppContext, filters: Filters, cursor: str = "", size: int = PAGE_SIZE) -> Page:
    """The page after `cursor` ("<received_on>_<id>" of the last row shown), keyset-paginated."""
    query = _query(filters)
    if cursor:
        try:
            day, _, last_id = cursor.partition("_")
            key = (date.fromisoformat(day), int(last_id))
            if not 0 < key[1] <= 2**31 - 1:  # past any id an INTEGER column holds: no page starts there
                raise ValueError(last_id)
        except ValueError as error:
            raise Invalid({"after": "Not a page of this register; start again from the first page."}) from error
        position = tuple_(Complaint.received_on, Complaint.id)
        query = query.where(position < key if filters.sort == "newest" else position > key)
    with app.uow() as uow:
        raws = uow.session.execute(query.limit(size + 1)).all()
    more = len(raws) > size
    rows = [dict(zip(COLUMNS, _row(raw), strict=True)) for raw in raws[:size]]
    last = raws[size - 1] if more else None
    received_on, row_id = (last[BASE_COLUMNS.index("received_on")], last[-1]) if last is not None else (None, None)
    return Page(rows, f"{received_on.isoformat()}_{row_id}" if received_on is not None else None)


def _raw_rows(app: AppContext, filters: Filters, batch: int) -> Iterator[list[str]]:
    with app.uow() as uow:
        for raw in uow.session.execute(_query(filters).execution_options(yield_per=batch)):
            yield _row(raw)


def csv_lines(app: AppContext, filters: Filters | None = None, batch: int = 1000) -> Iterator[str]:
    """The register as CSV text, a header then one line per complaint, produced batch by batch."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(COLUMNS)
    yield flush()
    for row in _raw_rows(app, filters or Filters(), batch):
        writer.writerow([neutralised(text) for text in row])
        yield flush()


def _excel_safe(text: str) -> str:
    # Excel cannot hold most control characters, and residents' text may have them (pasted from anywhere):
    # leave them out of the workbook rather than fail the whole export.
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def text_cell(sheet: Any, text: str) -> WriteOnlyCell:
    """A write-only cell holding `text` as text (a string cell), with what Excel cannot hold left out."""
    # Every cell is text, never a formula: openpyxl would otherwise store "=HYPERLINK(…)" typed by a resident
    # as a live formula.
    cell = WriteOnlyCell(sheet, value=_excel_safe(text))
    cell.data_type = "s"
    return cell


def xlsx_chunks(app: AppContext, filters: Filters | None = None, batch: int = 1000,
                chunk: int = 64 * 1024) -> Iterator[bytes]:
    """The register as an Excel workbook. openpyxl's write-only mode keeps rows out of memory; the finished file
    is spooled (to disk once large) and streamed out in chunks."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Register")
    sheet.append(COLUMNS)
    for row in _raw_rows(app, filters or Filters(), batch):
        sheet.append([text_cell(sheet, text) for text in row])
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
        book.save(spool)
        spool.seek(0)
        while data := spool.read(chunk):
            yield data
