"""The inbox's two reads get partial indexes in their own order: a person's open tasks, and the open tasks
offered to a lane (few, among the many assigned ones). The id ends each so that ties on date keep the order
of the index and the first page reads only its own rows.

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

READY = sa.text("status = 'ready'")
OFFERED = sa.text("status = 'ready' AND assignee_id IS NULL")


def upgrade() -> None:
    op.drop_index("ix_task_inbox_lane", "task")
    op.drop_index("ix_task_inbox_assignee", "task")
    op.create_index("ix_task_ready_assignee", "task", ["assignee_id", "due_on", "created_at", "id"],
                    postgresql_where=READY, sqlite_where=READY)
    op.create_index("ix_task_offered", "task", ["lane", "due_on", "created_at", "id"],
                    postgresql_where=OFFERED, sqlite_where=OFFERED)


def downgrade() -> None:
    op.drop_index("ix_task_offered", "task")
    op.drop_index("ix_task_ready_assignee", "task")
    op.create_index("ix_task_inbox_assignee", "task", ["status", "assignee_id", "due_on"])
    op.create_index("ix_task_inbox_lane", "task", ["status", "lane", "due_on"])
