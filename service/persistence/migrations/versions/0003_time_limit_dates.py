"""Time limits: when the issue happened, and when a former tenant's tenancy ended.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("complaint") as batch_op:
        batch_op.add_column(sa.Column("issue_occurred_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("tenancy_ended_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("complaint") as batch_op:
        batch_op.drop_column("tenancy_ended_on")
        batch_op.drop_column("issue_occurred_on")
