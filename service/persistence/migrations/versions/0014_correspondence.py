"""Correspondence log, email outbox, letter templates; reasonable adjustments and representatives.

Revision ID: 0014
Revises: 0013
"""
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("complainant", sa.Column("adjustments", sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
    op.add_column("complainant", sa.Column("adjustment_notes", sa.Text(), nullable=False, server_default=""))
    op.add_column("complainant", sa.Column("vulnerabilities", sa.Text(), nullable=False, server_default=""))
    op.add_column("complainant", sa.Column("adjustments_reviewed_on", sa.Date(), nullable=True))
    op.add_column("complaint", sa.Column("representative", sa.JSON(), nullable=True))
    op.create_table(
        "correspondence",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("complaint_id", sa.Integer(), sa.ForeignKey("complaint.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("letter", sa.String(40), nullable=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("direction", sa.String(10), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("document", sa.LargeBinary(), nullable=True),
        sa.Column("large_print", sa.Boolean(), nullable=False),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_correspondence_complaint_id", "correspondence", ["complaint_id"])
    op.create_table(
        "outbound_email",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("correspondence_id", sa.Integer(), sa.ForeignKey("correspondence.id"), nullable=True),
        sa.Column("to_address", sa.String(254), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("attachment_name", sa.String(200), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_outbound_email_correspondence_id", "outbound_email", ["correspondence_id"])
    op.create_index("ix_outbound_email_due", "outbound_email", ["status", "next_attempt_at"])
    op.create_table(
        "letter_template",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("key", "version"),
    )
    op.create_index("ix_letter_template_key", "letter_template", ["key"])


def downgrade() -> None:
    op.drop_index("ix_letter_template_key", "letter_template")
    op.drop_table("letter_template")
    op.drop_index("ix_outbound_email_due", "outbound_email")
    op.drop_index("ix_outbound_email_correspondence_id", "outbound_email")
    op.drop_table("outbound_email")
    op.drop_index("ix_correspondence_complaint_id", "correspondence")
    op.drop_table("correspondence")
    op.drop_column("complaint", "representative")
    for column in ("adjustments_reviewed_on", "vulnerabilities", "adjustment_notes", "adjustments"):
        op.drop_column("complainant", column)
