"""Process editor: version states (draft / live / retired) with their changes, forms built in the browser,
and the audit of instance migrations.

Revision ID: 0013
Revises: 0012
"""
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTERs, not batch: a batch rebuilds the table on SQLite, which instances reference.
    op.add_column("process_version", sa.Column("state", sa.String(10), nullable=False, server_default="retired"))
    op.add_column("process_version", sa.Column("deployed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("process_version", sa.Column("changes", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
    version = sa.table("process_version", sa.column("live", sa.Boolean), sa.column("state", sa.String),
                       sa.column("deployed_at", sa.DateTime), sa.column("created_at", sa.DateTime))
    # Every stored version so far was deployed when it was stored.
    op.execute(version.update().values(deployed_at=version.c.created_at))
    op.execute(version.update().where(version.c.live.is_(True)).values(state="live"))
    op.drop_column("process_version", "live")
    op.create_table(
        "form_definition",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("name", "version"),
    )
    op.create_index("ix_form_definition_name", "form_definition", ["name"])
    op.create_table(
        "instance_migration",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("instance_id", sa.Integer(), sa.ForeignKey("workflow_instance.id"), nullable=False),
        sa.Column("from_version_id", sa.Integer(), sa.ForeignKey("process_version.id"), nullable=False),
        sa.Column("to_version_id", sa.Integer(), sa.ForeignKey("process_version.id"), nullable=False),
        sa.Column("state_before", sa.LargeBinary(), nullable=False),
        sa.Column("state_after_digest", sa.String(64), nullable=False),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reverted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reverted_by_id", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
    )
    op.create_index("ix_instance_migration_instance_id", "instance_migration", ["instance_id"])


def downgrade() -> None:
    op.drop_index("ix_instance_migration_instance_id", "instance_migration")
    op.drop_table("instance_migration")
    op.drop_index("ix_form_definition_name", "form_definition")
    op.drop_table("form_definition")
    op.add_column("process_version", sa.Column("live", sa.Boolean(), nullable=False, server_default=sa.false()))
    version = sa.table("process_version", sa.column("live", sa.Boolean), sa.column("state", sa.String))
    op.execute(version.update().where(version.c.state == "live").values(live=True))
    for column in ("changes", "deployed_at", "state"):
        op.drop_column("process_version", column)
