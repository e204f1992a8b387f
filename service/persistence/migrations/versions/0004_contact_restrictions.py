"""Contact restrictions: the restriction table; instances, tasks and history may belong to a restriction.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "restriction",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("complainant_id", sa.Integer(), sa.ForeignKey("complainant.id"), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("behaviour", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("equality_considerations", sa.Text(), nullable=False),
        sa.Column("named_contact_id", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=True),
        sa.Column("review_on", sa.Date(), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notice", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_restriction_complainant_id", "restriction", ["complainant_id"])
    op.create_index("ix_restriction_status", "restriction", ["status"])
    with op.batch_alter_table("workflow_instance") as batch_op:
        batch_op.alter_column("complaint_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("restriction_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_instance_restriction", "restriction", ["restriction_id"], ["id"])
        batch_op.create_unique_constraint("uq_instance_restriction", ["restriction_id"])
    with op.batch_alter_table("task") as batch_op:
        batch_op.alter_column("complaint_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("restriction_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("impartial_from", sa.String(20), nullable=True))
        batch_op.create_foreign_key("fk_task_restriction", "restriction", ["restriction_id"], ["id"])
        batch_op.create_index("ix_task_restriction_id", ["restriction_id"])
    with op.batch_alter_table("history_entry") as batch_op:
        batch_op.alter_column("complaint_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("complainant_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("restriction_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_history_complainant", "complainant", ["complainant_id"], ["id"])
        batch_op.create_foreign_key("fk_history_restriction", "restriction", ["restriction_id"], ["id"])
        batch_op.create_index("ix_history_entry_complainant_id", ["complainant_id"])
    with op.batch_alter_table("notification") as batch_op:
        batch_op.alter_column("complaint_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("history_entry") as batch_op:
        batch_op.drop_index("ix_history_entry_complainant_id")
        batch_op.drop_constraint("fk_history_restriction", type_="foreignkey")
        batch_op.drop_constraint("fk_history_complainant", type_="foreignkey")
        batch_op.drop_column("restriction_id")
        batch_op.drop_column("complainant_id")
    with op.batch_alter_table("task") as batch_op:
        batch_op.drop_index("ix_task_restriction_id")
        batch_op.drop_constraint("fk_task_restriction", type_="foreignkey")
        batch_op.drop_column("impartial_from")
        batch_op.drop_column("restriction_id")
    with op.batch_alter_table("workflow_instance") as batch_op:
        batch_op.drop_constraint("uq_instance_restriction", type_="unique")
        batch_op.drop_constraint("fk_instance_restriction", type_="foreignkey")
        batch_op.drop_column("restriction_id")
    op.drop_index("ix_restriction_status", "restriction")
    op.drop_index("ix_restriction_complainant_id", "restriction")
    op.drop_table("restriction")
