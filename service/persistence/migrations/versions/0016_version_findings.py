"""Process versions keep what proving them found: the findings of running the diagram's scenarios (errors
block deploying it; warnings are recorded on the version that went live with them).

Revision ID: 0016
Revises: 0015
"""
import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("process_version", sa.Column("findings", sa.JSON(), nullable=True))


def downgrade() -> None:
    # A plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch copy would drop a table others refer to.
    op.drop_column("process_version", "findings")
