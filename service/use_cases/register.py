"""The complaints register (seed 001: "updated at each stage"): one row per complaint with its dates per stage,
extension, on-time flags and remedies, streamed so it never sits whole in memory."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from service.domain.deadlines import DEADLINE_KEYS
from service.persistence.models import Complainant, Complaint, Deadline, Remedy, User
from service.use_cases.context import AppContext

BASE_COLUMNS = ["reference", "complainant", "channel", "received_on", "stage", "status", "handler", "closed_at"]
DEADLINE_COLUMNS = [f"{key}_{part}" for key in DEADLINE_KEYS
                    for part in ("due", "original_due", "met_on", "on_time", "within_code")]
COLUMNS = [*BASE_COLUMNS, *DEADLINE_COLUMNS, "remedies_offered", "remedy_amount"]


def _query() -> Any:
    deadlines = {key: aliased(Deadline, name=key) for key in DEADLINE_KEYS}
    remedy_count = (select(func.count(Remedy.id)).where(Remedy.complaint_id == Complaint.id)
                    .correlate(Complaint).scalar_subquery())
    remedy_amount = (select(func.coalesce(func.sum(Remedy.time_and_trouble + Remedy.distress_and_inconvenience
                                                   + Remedy.quantifiable_loss), 0))
                     .where(Remedy.complaint_id == Complaint.id, Remedy.status.in_(("offered", "accepted", "paid")))
                     .correlate(Complaint).scalar_subquery())
    columns: list[Any] = [Complaint.reference, Complainant.name, Complaint.channel, Complaint.received_on,
                          Complaint.stage, Complaint.status, User.name, Complaint.closed_at]
    for alias in deadlines.values():
        columns += [alias.due, alias.original_due, alias.met_on, alias.breached_at, alias.within_code]
    query = (select(*columns, remedy_count, remedy_amount).join(Complainant)
             .outerjoin(User, User.id == Complaint.handler_id))
    for key, alias in deadlines.items():
        query = query.outerjoin(alias, (alias.complaint_id == Complaint.id) & (alias.key == key))
    return query.order_by(Complaint.id)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _row(raw: Any) -> list[str]:
    values = list(raw)
    base, rest = values[:len(BASE_COLUMNS)], values[len(BASE_COLUMNS):]
    out = [_cell(v) for v in base]
    for i in range(len(DEADLINE_KEYS)):
        due, original, met_on, breached_at, within = rest[i * 5:i * 5 + 5]
        on_time = "" if due is None or (met_on is None and breached_at is None) else (
            "yes" if met_on is not None and met_on <= due else "no")
        out += [_cell(due), _cell(original), _cell(met_on), on_time,
                "" if within is None else ("yes" if within else "no")]
    out += [_cell(rest[-2]), _cell(rest[-1])]
    return out


def csv_lines(app: AppContext, batch: int = 1000) -> Iterator[str]:
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
    with app.uow() as uow:
        for raw in uow.session.execute(_query().execution_options(yield_per=batch)):
            writer.writerow(_row(raw))
            yield flush()
