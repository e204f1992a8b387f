"""Indexes for the register: its keyset order, and the unmet deadlines behind "overdue".

Revision ID: 0010
Revises: 0009
"""
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_complaint_received_on_id", "complaint", ["received_on", "id"])
    op.create_index("ix_deadline_met_on_due", "deadline", ["met_on", "due"])


def downgrade() -> None:
    op.drop_index("ix_deadline_met_on_due", "deadline")
    op.drop_index("ix_complaint_received_on_id", "complaint")
