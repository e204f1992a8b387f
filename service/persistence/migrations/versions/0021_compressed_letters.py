"""Letters' HTML stored zlib-compressed (bytea / BLOB), as instance states are: a letter is about half boilerplate
(its styles, the landlord's address, the Ombudsman's details), 1.3 KB stored as 0.7 KB.

Revision ID: 0021
Revises: 0020
"""
import zlib

import sqlalchemy as sa
from alembic import op

from service.persistence import compression

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def _convert(source: str, target: str, convert) -> None:
    # Untyped columns: the driver hands back text as str and binary as bytes, and binds them the same way.
    table = sa.table("correspondence", sa.column("id"), sa.column(source), sa.column(target))
    conn = op.get_bind()
    update = table.update().where(table.c.id == sa.bindparam("row_id")).values({target: sa.bindparam("value")})
    last = 0
    while True:  # in chunks, so a large table is not held in memory at once
        rows = conn.execute(sa.select(table.c.id, table.c[source]).where(table.c.id > last)
                            .order_by(table.c.id).limit(1000)).all()
        if not rows:
            return
        conn.execute(update, [{"row_id": row_id, "value": convert(value)} for row_id, value in rows])
        last = rows[-1][0]


def upgrade() -> None:
    with op.batch_alter_table("correspondence") as batch:
        batch.add_column(sa.Column("body_new", sa.LargeBinary(), nullable=True))
    _convert("body", "body_new", lambda text: zlib.compress((text or "").encode("utf-8"), 3))
    with op.batch_alter_table("correspondence") as batch:
        batch.drop_column("body")
        batch.alter_column("body_new", new_column_name="body", existing_type=sa.LargeBinary(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("correspondence") as batch:
        batch.add_column(sa.Column("body_text", sa.Text(), nullable=True))
    _convert("body", "body_text", compression.decompress)  # rows since may be primed with a dictionary
    with op.batch_alter_table("correspondence") as batch:
        batch.drop_column("body")
        batch.alter_column("body_text", new_column_name="body", existing_type=sa.Text(), nullable=False)
