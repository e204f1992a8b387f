"""TSM: when each deadline counts from, whether it was met within the Code, and homes per reporting year.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deadline") as batch_op:
        batch_op.add_column(sa.Column("counts_from", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("within_code", sa.Boolean(), nullable=True))
        batch_op.create_index("ix_deadline_key_counts_from", ["key", "counts_from"])
        batch_op.create_index("ix_deadline_key_met_on", ["key", "met_on"])
    op.create_table(
        "reporting_year",
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("low_cost_rental_homes", sa.Integer(), nullable=False),
        sa.Column("low_cost_home_ownership_homes", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("reporting_year")
    with op.batch_alter_table("deadline") as batch_op:
        batch_op.drop_index("ix_deadline_key_met_on")
        batch_op.drop_index("ix_deadline_key_counts_from")
        batch_op.drop_column("within_code")
        batch_op.drop_column("counts_from")
