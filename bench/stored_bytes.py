"""Stored bytes per complaint at each stage, on PostgreSQL: every row the complaint has (person, complaint,
instance state, tasks, timers, deadlines, history, notifications) as PostgreSQL stores it (`pg_column_size` of
the row, after TOAST compression), beside the instance state's own size as JSON and as stored. The spec is not
in the instance: it is stored once per process version, and its size is shown once.

    .venv/bin/python -m bench.stored_bytes [--database-url postgresql+psycopg://…/bench_bytes]
"""

from __future__ import annotations

import argparse

from sqlalchemy import Table, func, literal_column, select

from bench.database import fresh_app
from bench.stamps import TABLES, rows_of, walk
from service import app_context
from service.persistence.models import ProcessVersion, WorkflowInstance

GOAL = 12 * 1024


def main() -> None:
    """Walk one complaint to each stage and print its stored bytes, table by table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/bench_bytes")
    args = parser.parse_args()
    app = fresh_app(args.database_url)
    references = walk(app)
    names = [model.__tablename__ for model in TABLES]
    print(f"{'stage':18} {'total':>7} {'state JSON':>10} {'state stored':>12}  " + " ".join(f"{n[:9]:>9}" for n in names))
    with app_context(app).uow() as uow:
        session = uow.session
        for stage, reference in references.items():
            wheres = rows_of(session, reference)
            sizes = {}
            for model in TABLES:
                table: Table = model.__table__  # type: ignore[assignment]
                sizes[table.name] = session.scalar(
                    select(func.coalesce(func.sum(func.pg_column_size(literal_column(table.name))), 0))
                    .select_from(table).where(wheres[table.name])) or 0
            instances = select(WorkflowInstance).where(wheres["workflow_instance"])
            state = (sum(len(instance.state) for instance in session.scalars(instances)),
                     session.scalar(select(func.sum(func.pg_column_size(WorkflowInstance.state)))
                                    .where(wheres["workflow_instance"])))
            total = sum(sizes.values())
            print(f"{stage:18} {total:7,} {state[0]:10,} {state[1]:12,}  " + " ".join(f"{sizes[n]:9,}" for n in names)
                  + ("" if total <= GOAL else "  over the goal"))
        specs = session.execute(select(ProcessVersion.process_id, func.length(ProcessVersion.spec_json))).all()
    print(f"goal: <= {GOAL:,} bytes per complaint; specs stored once per version: "
          + ", ".join(f"{process} {size:,} B" for process, size in specs))


if __name__ == "__main__":
    main()
