"""Letters that could not be made: why, and the task data to make them again once the template is fixed.

Revision ID: 0020
Revises: 0019
"""
import sqlalchemy as sa
from alembic import op


revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("correspondence") as batch:
        batch.add_column(sa.Column("failure", sa.Text(), nullable=True))
        batch.add_column(sa.Column("pending_data", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("correspondence") as batch:
        batch.drop_column("pending_data")
        batch.drop_column("failure")
