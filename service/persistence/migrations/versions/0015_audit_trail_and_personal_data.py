"""Audit trail and personal data: history entries gain before/after and become append-only (a database trigger
refuses UPDATE and DELETE, except the one-way redaction of personal content); sign-in lockout; anonymisation
stamps on people and complaints.

Revision ID: 0015
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# A redaction may only blank the content (summary, detail) once; who did what, when and to which case stays.
_KEPT = ("id", "at", "kind", "actor_id", "complaint_id", "complainant_id", "restriction_id")
_POSTGRES_FUNCTION = """
CREATE FUNCTION history_entry_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL
     AND {kept}
     AND NEW.before::text IS NOT DISTINCT FROM OLD.before::text
     AND NEW.after::text IS NOT DISTINCT FROM OLD.after::text THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'history_entry is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql
""".format(kept=" AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in _KEPT))
_SQLITE_TRIGGERS = [
    "CREATE TRIGGER history_entry_no_delete BEFORE DELETE ON history_entry "
    "BEGIN SELECT RAISE(ABORT, 'history_entry is append-only: DELETE refused'); END",
    "CREATE TRIGGER history_entry_no_update BEFORE UPDATE ON history_entry WHEN NOT ("
    "OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL AND "
    + " AND ".join(f"NEW.{c} IS OLD.{c}" for c in (*_KEPT, "before", "after"))
    + ") BEGIN SELECT RAISE(ABORT, 'history_entry is append-only: UPDATE refused'); END",
]


def upgrade() -> None:
    op.add_column("history_entry", sa.Column("before", sa.JSON(), nullable=True))
    op.add_column("history_entry", sa.Column("after", sa.JSON(), nullable=True))
    op.add_column("history_entry", sa.Column("redacted_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_history_entry_kind_at", "history_entry", ["kind", "at"])
    op.add_column("user_account", sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("user_account", sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    op.add_column("complainant", sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("complaint", sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_POSTGRES_FUNCTION)
        op.execute("CREATE TRIGGER history_entry_append_only BEFORE UPDATE OR DELETE ON history_entry "
                   "FOR EACH ROW EXECUTE FUNCTION history_entry_append_only()")
    else:
        for statement in _SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER history_entry_append_only ON history_entry")
        op.execute("DROP FUNCTION history_entry_append_only()")
    else:
        op.execute("DROP TRIGGER history_entry_no_update")
        op.execute("DROP TRIGGER history_entry_no_delete")
    op.drop_index("ix_history_entry_kind_at", table_name="history_entry")
    with op.batch_alter_table("complaint") as batch:
        batch.drop_column("anonymised_at")
    with op.batch_alter_table("complainant") as batch:
        batch.drop_column("anonymised_at")
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("locked_until")
        batch.drop_column("failed_logins")
    with op.batch_alter_table("history_entry") as batch:
        batch.drop_column("redacted_at")
        batch.drop_column("after")
        batch.drop_column("before")
