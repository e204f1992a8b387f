"""Staff complaints go to line managers: user.manager_id and complaint.about_staff_id.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("complaint") as batch_op:
        batch_op.add_column(sa.Column("about_staff_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_complaint_about_staff", "user_account", ["about_staff_id"], ["id"])
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.add_column(sa.Column("manager_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_user_manager", "user_account", ["manager_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.drop_constraint("fk_user_manager", type_="foreignkey")
        batch_op.drop_column("manager_id")
    with op.batch_alter_table("complaint") as batch_op:
        batch_op.drop_constraint("fk_complaint_about_staff", type_="foreignkey")
        batch_op.drop_column("about_staff_id")
