# shellcheck shell=bash
# Sourced by bin/backup and bin/restore: which database the app uses, and how to reach it from the command line.
# The database URL is read as the app reads it (service/config.py): COMPLAINTFLOW_DATABASE_URL, else the
# embedded SQLite file in COMPLAINTFLOW_VAR_DIR (default var/ beside the code).

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PROG=$(basename "$0")

# Print an error naming the command, then stop with status 1.
fail() {
  echo "$PROG: error: $*" >&2
  exit 1
}

# The SQLAlchemy URL the app would use.
database_url() {
  echo "${COMPLAINTFLOW_DATABASE_URL:-sqlite:///${COMPLAINTFLOW_VAR_DIR:-$ROOT/var}/complaintflow.db}"
}

# "postgresql" or "sqlite" for a SQLAlchemy URL (any driver after the +); anything else is refused.
database_kind() {
  local scheme=${1%%://*}
  case "${scheme%%+*}" in
    postgresql | postgres) echo postgresql ;;
    sqlite) echo sqlite ;;
    *) fail "unknown database URL scheme '$scheme' (expected postgresql[+driver]:// or sqlite:///)" ;;
  esac
}

# SQLAlchemy's postgresql+psycopg://… as the postgresql://… that libpq (pg_dump, pg_restore, psql) reads.
libpq_url() {
  echo "postgresql://${1#*://}"
}

# The file of a sqlite:///path URL (relative to the current directory, as SQLAlchemy reads it).
sqlite_path() {
  local rest=${1#*://}
  rest=${rest%%\?*}
  case "$rest" in
    "" | /) fail "'$1' is an in-memory database: there is nothing on disk to back up or restore" ;;
    /:memory:) fail "'$1' is an in-memory database: there is nothing on disk to back up or restore" ;;
    /*) echo "${rest#/}" ;;
    *) fail "'$1' names no database file" ;;
  esac
}

# The URL with its password hidden, for messages.
redacted() {
  sed -E 's#(://[^:/@]*):[^@]*@#\1:***@#' <<<"$1"
}

# A Python for the SQLite online backup API (the standard library is all it needs): the project's venv, if set up.
python_bin() {
  if [ -x "$ROOT/.venv/bin/python" ]; then
    echo "$ROOT/.venv/bin/python"
  elif command -v python3 >/dev/null; then
    command -v python3
  else
    fail "python3 not found (the SQLite backup uses Python's sqlite3 module)"
  fi
}

# A PostgreSQL client program, or a clear error; PG_DUMP / PG_RESTORE / PSQL choose another build (pg_dump must be
# at least the server's version).
pg_tool() {
  local name=$1 chosen=$2
  command -v "$chosen" >/dev/null || fail "$name not found ('$chosen'): install the PostgreSQL client" \
    "(Debian: apt-get install postgresql-client) or set ${name^^} to its path"
  command -v "$chosen"
}

# "123456 bytes (121K)" for a file.
size_of() {
  local bytes
  bytes=$(stat -c %s "$1")
  if command -v numfmt >/dev/null; then
    echo "$bytes bytes ($(numfmt --to=iec "$bytes"))"
  else
    echo "$bytes bytes"
  fi
}
