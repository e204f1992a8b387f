"""Sessions that end: each member of staff's sessions carry a number that signing out moves on, so a copied or
old session cookie stops working.

Revision ID: 0018
Revises: 0017
"""
import sqlalchemy as sa
from alembic import op


revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("session_epoch", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("session_epoch")
