"""Remedies offered on complaints, with the financial breakdown.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "remedy",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("complaint_id", sa.Integer(), sa.ForeignKey("complaint.id"), nullable=False),
        sa.Column("instance_id", sa.Integer(), sa.ForeignKey("workflow_instance.id"), nullable=True),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("time_and_trouble", sa.Numeric(10, 2), nullable=False),
        sa.Column("distress_and_inconvenience", sa.Numeric(10, 2), nullable=False),
        sa.Column("quantifiable_loss", sa.Numeric(10, 2), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("offered_by_id", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_remedy_complaint_id", "remedy", ["complaint_id"])
    op.create_index("ix_remedy_status", "remedy", ["status"])


def downgrade() -> None:
    op.drop_index("ix_remedy_status", "remedy")
    op.drop_index("ix_remedy_complaint_id", "remedy")
    op.drop_table("remedy")
