"""Compliments sent by residents themselves, on the public page: no member of staff records them, and the email
they give (if any) is kept so they can be thanked.

Revision ID: 0025
Revises: 0024
"""
import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("compliment") as batch:
        batch.alter_column("recorded_by_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("from_email", sa.String(254), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("compliment") as batch:
        batch.drop_column("from_email")
        batch.alter_column("recorded_by_id", existing_type=sa.Integer(), nullable=False)
