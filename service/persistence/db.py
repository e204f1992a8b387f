"""Engines and sessions. SQLite (the embedded default) gets WAL and write-serialising transactions so the
instance lock means the same thing it means on PostgreSQL (`SELECT … FOR UPDATE`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite files get their directory created and sane concurrency settings."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, issue BEGIN; WAL lets readers run beside the one writer.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front: two completions of one task queue instead of deadlocking.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (use cases return them to the caller)."""
    return sessionmaker(engine, expire_on_commit=False)


class DatabaseUnavailable(Exception):
    """The database did not answer (down, restarting, out of connections, or locked too long): nothing of the
    transaction was saved, and trying again shortly may work."""


# What the drivers raise when the server cannot be reached or gives up on a connection or a lock.
_UNREACHABLE = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout)


class UnitOfWork:
    """One transaction: `with uow: …; uow.commit()`. Leaving without commit rolls back."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._factory = session_factory
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        self.session = self._factory()
        return self

    def __exit__(self, _type: object, error: BaseException | None, _traceback: object) -> None:
        # close() discards an uncommitted transaction without expiring what callers were handed.
        self.session.close()
        if isinstance(error, _UNREACHABLE):
            raise DatabaseUnavailable(type(error.orig if hasattr(error, "orig") else error).__name__) from error

    def commit(self) -> None:
        """Commit the transaction."""
        self.session.commit()
