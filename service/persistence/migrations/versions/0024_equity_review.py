"""Sign-offs of the yearly review of compensation levels for equity (seed-001).

Revision ID: 0024
Revises: 0023
"""
import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "equity_review",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("year", sa.Integer(), nullable=False, index=True),
        sa.Column("role", sa.String(40), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("equity_review")
