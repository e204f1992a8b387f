"""The self-assessment lists every provision of the Code one by one, as the Ombudsman's form does, and keeps the
manager's Yes/No answer beside the statement.

Statements saved against the old grouped lines ("6.4-6.5", "6.14-6.16", "9", …) are copied to each provision the
line covered, so nothing written is lost and each new line shows what was said about it; the grouped rows are then
removed (no grouped key is valid any more). Downgrading puts each grouped line back from its first provision.

Revision ID: 0023
Revises: 0022
"""
import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

# The old checklist's grouped lines → the provisions each covered. "9" read "learning is reported to the
# governing body": 9.3 (learning reported to stakeholders) and 9.6 (the governing body kept informed).
GROUPED = {
    "1.4-1.5": ("1.4", "1.5"),
    "3.1-3.2": ("3.1", "3.2"),
    "5.14-5.15": ("5.14", "5.15"),
    "6.4-6.5": ("6.4", "6.5"),
    "6.14-6.16": ("6.14", "6.15", "6.16"),
    "7.1-7.3": ("7.1", "7.2", "7.3"),
    "9": ("9.3", "9.6"),
}

table = sa.table("self_assessment", sa.column("year", sa.Integer), sa.column("provision", sa.String),
                 sa.column("text", sa.Text), sa.column("updated_by_id", sa.Integer),
                 sa.column("updated_at", sa.DateTime))


def _rows(connection: sa.Connection, keys: list[str]) -> list[sa.Row]:
    return list(connection.execute(sa.select(table).where(table.c.provision.in_(keys))))


def _copy(connection: sa.Connection, row: sa.Row, key: str) -> None:
    # Only where nothing is saved yet under the target key: a statement already there is the newer word.
    exists = connection.execute(sa.select(sa.func.count()).select_from(table).where(
        table.c.year == row.year, table.c.provision == key)).scalar_one()
    if not exists:
        connection.execute(table.insert().values(year=row.year, provision=key, text=row.text,
                                                 updated_by_id=row.updated_by_id, updated_at=row.updated_at))


def upgrade() -> None:
    with op.batch_alter_table("self_assessment") as batch:
        batch.add_column(sa.Column("comply", sa.String(3), nullable=True))
    connection = op.get_bind()
    for row in _rows(connection, list(GROUPED)):
        for key in GROUPED[row.provision]:
            _copy(connection, row, key)
    connection.execute(table.delete().where(table.c.provision.in_(list(GROUPED))))


def downgrade() -> None:
    connection = op.get_bind()
    firsts = {keys[0]: grouped for grouped, keys in GROUPED.items()}
    for row in _rows(connection, list(firsts)):
        _copy(connection, row, firsts[row.provision])
    with op.batch_alter_table("self_assessment") as batch:
        batch.drop_column("comply")
