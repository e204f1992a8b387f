"""What-if replays: a run per question asked (a version, a period), an item per complaint replayed.

Revision ID: 0017
Revises: 0016
"""
import sqlalchemy as sa
from alembic import op


revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "replay_run",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("process_id", sa.String(80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("live_version", sa.Integer(), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=True),
    )
    op.create_table(
        "replay_item",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("replay_run.id"), nullable=False, index=True),
        sa.Column("complaint_id", sa.Integer(), sa.ForeignKey("complaint.id"), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.JSON(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_replay_item_pending", "replay_item", ["done", "claimed_at"])


def downgrade() -> None:
    op.drop_index("ix_replay_item_pending", "replay_item")
    op.drop_table("replay_item")
    op.drop_table("replay_run")
