"""A fresh, migrated database for a benchmark run: PostgreSQL (its own database, created if missing, emptied)
or, without a URL, a SQLite file in a temporary folder."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import Table, create_engine, insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from service import create_app
from service.cli import prepare


def fresh_app(database_url: str | None) -> Flask:
    """The app on an empty, migrated database with the demo staff."""
    if database_url and database_url.startswith("postgresql"):
        url = make_url(database_url)
        with create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT").connect() as conn:
            if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}):
                conn.execute(text(f'CREATE DATABASE "{url.database}"'))
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    else:
        database_url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    app = create_app({"DATABASE_URL": database_url, "TESTING": True, "SECRET_KEY": "bench",
                      "WTF_CSRF_ENABLED": True})
    prepare(app)
    return app


def bulk_insert(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    """Insert `rows` into the table of `model`: COPY on PostgreSQL (minutes for a million rows, not hours), executemany
    elsewhere. Columns a row leaves out get NULL under COPY, so rows should carry every column they need."""
    table: Table = model.__table__
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.execute(insert(table), rows)
        return
    columns = [c.name for c in table.columns if any(c.name in row for row in rows)]
    json_columns = {c.name for c in table.columns if c.type.__class__.__name__ == "JSON"}
    # COPY bypasses SQLAlchemy's types: apply our own column types' conversions (e.g. compressed state) here.
    dialect = session.get_bind().dialect
    converters = {c.name: c.type.process_bind_param for c in table.columns if isinstance(c.type, TypeDecorator)}
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(tuple(json.dumps(row.get(c)) if c in json_columns
                                 else converters[c](row.get(c), dialect) if c in converters else row.get(c)
                                 for c in columns))
