"""Reporting facts on the complaint (tenure, category, root cause, outcomes, refusal), learning actions and the
annual self-assessment.

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("complaint") as batch_op:
        batch_op.add_column(sa.Column("tenure", sa.String(30), nullable=False, server_default="low_cost_rental"))
        batch_op.add_column(sa.Column("category", sa.String(40), nullable=True))
        batch_op.add_column(sa.Column("root_cause", sa.String(40), nullable=True))
        batch_op.add_column(sa.Column("stage1_outcome", sa.String(20), nullable=True))
        batch_op.add_column(sa.Column("stage2_outcome", sa.String(20), nullable=True))
        batch_op.add_column(sa.Column("refusal_exclusion", sa.String(40), nullable=True))
        batch_op.create_index("ix_complaint_category", ["category"])
    op.create_table(
        "learning_action",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("complaint_id", sa.Integer(), sa.ForeignKey("complaint.id"), nullable=True, index=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False, index=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "self_assessment",
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("provision", sa.String(10), primary_key=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("self_assessment")
    op.drop_table("learning_action")
    with op.batch_alter_table("complaint") as batch_op:
        batch_op.drop_index("ix_complaint_category")
        for column in ("refusal_exclusion", "stage2_outcome", "stage1_outcome", "root_cause", "category", "tenure"):
            batch_op.drop_column(column)
