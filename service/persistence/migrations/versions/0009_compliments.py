"""Compliments: recorded, acknowledged, passed on, counted.

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "compliment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("received_on", sa.Date(), nullable=False, index=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("from_name", sa.String(200), nullable=False),
        sa.Column("about_user_id", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=True),
        sa.Column("about_team", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=False),
        sa.Column("acknowledged_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("compliment")
