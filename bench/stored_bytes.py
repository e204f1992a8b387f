"""Stored bytes per complaint at each stage, on PostgreSQL: every row of every table the complaint writes
(person, complaint, instance state, tasks, timers, deadlines, history, notifications, remedies, learning actions,
correspondence and the emails it sent) as PostgreSQL stores it (`pg_column_size` of the row, after TOAST
compression), beside the instance state's own size as JSON and as stored. Letter PDFs are counted apart, one
figure per letter: the correspondence column is its row less the PDF. The spec is not in the instance: it is
stored once per process version, and its size is shown once.

    .venv/bin/python -m bench.stored_bytes [--database-url postgresql+psycopg://…/bench_bytes]
"""

from __future__ import annotations

import argparse
from typing import Any

from sqlalchemy import ColumnElement, Table, func, literal_column, select
from sqlalchemy.orm import Session

from bench.database import fresh_app
from bench.stamps import TABLES, rows_of, walk
from service import app_context
from service.persistence.correspondence import Correspondence, OutboundEmail
from service.persistence.models import Complaint, LearningAction, ProcessVersion, Remedy, WorkflowInstance
from service.use_cases import correspondence

GOAL = 16 * 1024
# Tables beside the stamped ones (bench.stamps.TABLES) that a complaint writes rows to.
ALSO = [Remedy, LearningAction, Correspondence, OutboundEmail]


def _also_rows(session: Session, reference: str) -> dict[str, Any]:
    complaint_id = session.scalar(select(Complaint.id).where(Complaint.reference == reference))
    letters = select(Correspondence.id).where(Correspondence.complaint_id == complaint_id)
    return {"remedy": Remedy.__table__.c.complaint_id == complaint_id,
            "learning_action": LearningAction.__table__.c.complaint_id == complaint_id,
            "correspondence": Correspondence.__table__.c.complaint_id == complaint_id,
            "outbound_email": OutboundEmail.__table__.c.correspondence_id.in_(letters)}


def main() -> None:
    """Walk one complaint to each stage and print its stored bytes, table by table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/bench_bytes")
    args = parser.parse_args()
    app = fresh_app(args.database_url)
    references = walk(app)
    with app_context(app).uow() as uow:  # each letter's PDF, made as sending its email makes it
        for letter in uow.session.scalars(select(Correspondence).where(Correspondence.letter.is_not(None))):
            correspondence.document(uow.session, letter, app_context(app))
        uow.commit()
    names = [model.__tablename__ for model in [*TABLES, *ALSO]]
    print(f"{'stage':18} {'total':>7} {'state JSON':>10} {'state stored':>12}  " + " ".join(f"{n[:9]:>9}" for n in names)
          + "  letter PDFs")
    with app_context(app).uow() as uow:
        session = uow.session
        for stage, reference in references.items():
            wheres = {**rows_of(session, reference), **_also_rows(session, reference)}
            sizes = {}
            for model in [*TABLES, *ALSO]:
                table: Table = model.__table__  # type: ignore[assignment]
                row: ColumnElement[Any] = func.pg_column_size(literal_column(table.name))
                if table.name == "correspondence":  # a composite row carries its PDF inline: counted apart
                    row = row - func.coalesce(func.pg_column_size(Correspondence.document), 0)
                sizes[table.name] = session.scalar(
                    select(func.coalesce(func.sum(row), 0)).select_from(table).where(wheres[table.name])) or 0
            pdfs = session.execute(select(Correspondence.letter, func.pg_column_size(Correspondence.document))
                                   .where(wheres["correspondence"], Correspondence.document.is_not(None))
                                   .order_by(Correspondence.id)).all()
            instances = select(WorkflowInstance).where(wheres["workflow_instance"])
            state = (sum(len(instance.state) for instance in session.scalars(instances)),
                     session.scalar(select(func.sum(func.pg_column_size(WorkflowInstance.state)))
                                    .where(wheres["workflow_instance"])))
            total = sum(sizes.values())
            print(f"{stage:18} {total:7,} {state[0]:10,} {state[1]:12,}  " + " ".join(f"{sizes[n]:9,}" for n in names)
                  + ("" if total <= GOAL else "  over the goal")
                  + "  " + (", ".join(f"{letter} {size:,} B" for letter, size in pdfs) or "none"))
        specs = session.execute(select(ProcessVersion.process_id, func.length(ProcessVersion.spec_json))).all()
    print(f"goal: <= {GOAL:,} bytes per complaint; specs stored once per version: "
          + ", ".join(f"{process} {size:,} B" for process, size in specs))


if __name__ == "__main__":
    main()
