"""A complaint may run several instances: its procedure, and referrals (e.g. to the Housing Ombudsman).

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workflow_instance") as batch_op:
        batch_op.drop_constraint("uq_workflow_instance_complaint_id", type_="unique")
        batch_op.add_column(sa.Column("process_id", sa.String(80), nullable=False, server_default="complaint"))
        batch_op.create_index("ix_workflow_instance_complaint_id", ["complaint_id"])


def downgrade() -> None:
    with op.batch_alter_table("workflow_instance") as batch_op:
        batch_op.drop_index("ix_workflow_instance_complaint_id")
        batch_op.drop_column("process_id")
        batch_op.create_unique_constraint("uq_workflow_instance_complaint_id", ["complaint_id"])
