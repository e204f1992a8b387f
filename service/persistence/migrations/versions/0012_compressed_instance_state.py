"""Instance state stored zlib-compressed (bytea / BLOB) instead of as JSON text.

Revision ID: 0012
Revises: 0011
"""
import zlib

import sqlalchemy as sa
from alembic import op

from service.persistence import compression

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

def _convert(source: str, target: str, convert) -> None:
    # Untyped columns: the driver hands back text as str and binary as bytes, and binds them the same way.
    table = sa.table("workflow_instance", sa.column("id"), sa.column(source), sa.column(target))
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
    with op.batch_alter_table("workflow_instance") as batch:
        batch.add_column(sa.Column("state_new", sa.LargeBinary(), nullable=True))
    _convert("state", "state_new", lambda text: zlib.compress(text.encode("utf-8"), 3))
    with op.batch_alter_table("workflow_instance") as batch:
        batch.drop_column("state")
        batch.alter_column("state_new", new_column_name="state", existing_type=sa.LargeBinary(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("workflow_instance") as batch:
        batch.add_column(sa.Column("state_text", sa.Text(), nullable=True))
    _convert("state", "state_text", compression.decompress)  # rows since may be primed with a dictionary
    with op.batch_alter_table("workflow_instance") as batch:
        batch.drop_column("state")
        batch.alter_column("state_text", new_column_name="state", existing_type=sa.Text(), nullable=False)
