"""Engines and sessions. SQLite (the embedded default) gets WAL and write-serialising transactions so the
instance lock means the same thing it means on PostgreSQL (`SELECT … FOR UPDATE`)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from psycopg.pq import TransactionStatus
from sqlalchemy import Engine, Executable, Row, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite files get their directory created and sane concurrency settings."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(url, pool_size=10, max_overflow=20, pool_recycle=RECYCLE_SECONDS)
        _ping_when_idle(engine)
        _commit_what_only_read(engine)
        return engine
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


# A pooled connection idle longer than this is pinged before use; one used more recently is trusted. A server
# restart is noticed on the first checkout after it (connections idle through it), and a disconnect that still
# slips through invalidates the whole pool, so only the request holding that connection fails, with a 503.
IDLE_PING_SECONDS = 10.0
RECYCLE_SECONDS = 1800


def _ping_when_idle(engine: Engine) -> None:
    # pool_pre_ping would cost a round trip on every checkout: two per task completion, for connections that
    # under load were used milliseconds earlier.
    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["checked_in"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if time.monotonic() - record.info.get("checked_in", 0.0) < IDLE_PING_SECONDS:
            return
        try:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            dbapi_connection.rollback()
        except Exception as error:
            # The pool discards this connection and checks out another (SQLAlchemy retries up to three times).
            raise DisconnectionError(str(type(error).__name__)) from error


def _commit_what_only_read(engine: Engine) -> None:
    # psycopg forgets every statement it has prepared on each ROLLBACK, and sends DEALLOCATE ALL. A request that
    # only reads (a page, a list) ends its transaction with a rollback when its session closes, so the next task
    # completion on that connection had its lock query planned afresh (1.5-2 ms, for the five uses before psycopg
    # prepares it again). A transaction that ran nothing but SELECTs is committed instead, which for it is the same
    # (its row locks are released either way); the rollback that follows then finds no transaction and keeps the
    # cache. Any other statement, and a transaction in error, rolls back as before.
    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.info["wrote"] = False

    @event.listens_for(engine, "before_cursor_execute")
    def _on_execute(connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip()[:6].upper() != "SELECT":
            connection.info["wrote"] = True

    @event.listens_for(engine, "rollback")
    def _on_rollback(connection: Any) -> None:
        if connection.invalidated or connection.info.get("wrote", True):
            return  # a dropped connection has nothing to keep; a write is rolled back
        driver = connection.connection.driver_connection
        if driver.info.transaction_status == TransactionStatus.INTRANS:
            driver.commit()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (use cases return them to the caller)."""
    return sessionmaker(engine, expire_on_commit=False)


class DatabaseUnavailable(Exception):
    """The database did not answer (down, restarting, out of connections, or locked too long): nothing of the
    transaction was saved, and trying again shortly may work."""


# What the drivers raise when the server cannot be reached or gives up on a connection or a lock.
_UNREACHABLE = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout)


def read_row(session_factory: sessionmaker[Session], query: Executable) -> Row[Any] | None:
    """The first row of `query`, read outside any transaction: who a token or a session cookie belongs to, asked
    on every request. On PostgreSQL it runs in autocommit, which spares the BEGIN and ROLLBACK round trips.

    A connection the server dropped (a restart) is noticed here, by the first statement of most requests: the
    pool is emptied and the read tried once more on a new connection, so the request goes on unharmed."""
    engine: Engine = session_factory.kw["bind"]
    autocommit = {"isolation_level": "AUTOCOMMIT"} if engine.dialect.name == "postgresql" else {}
    for attempt in (1, 2):
        try:
            with engine.connect().execution_options(**autocommit) as connection:
                return connection.execute(query).first()
        except _UNREACHABLE as error:
            if attempt == 1 and getattr(error, "connection_invalidated", False):
                continue
            raise DatabaseUnavailable(type(getattr(error, "orig", None) or error).__name__) from error
    raise AssertionError("unreachable")  # pragma: no cover (the loop returns or raises)


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
