"""A request that only reads keeps the statements psycopg has prepared on its connection; one that wrote and is
abandoned is still rolled back. psycopg forgets its prepared statements on every ROLLBACK, so read-only
transactions end with a COMMIT (the same thing for them): otherwise the next task completion on the connection
plans its lock query afresh."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DataError
from sqlalchemy.orm import Session

from service.persistence import db
from service.persistence.models import Task
from tests.conftest import PG_URL

pytestmark = pytest.mark.skipif(not PG_URL, reason="psycopg's statement cache: runs in the PostgreSQL pass")


@pytest.fixture
def engine() -> Iterator[Engine]:
    engine = db.make_engine(str(PG_URL))
    yield engine
    engine.dispose()


def prepared(engine: Engine) -> int:
    """How many statements the pool's one connection has prepared on the server."""
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar_one()
        connection.commit()
        return int(count)


def read_tasks(engine: Engine, times: int) -> None:
    """A unit of work that only reads, closed without a commit, as a page's is."""
    with Session(engine) as session:
        for _ in range(times):
            session.scalars(select(Task).where(Task.id == "none")).all()


def test_a_read_only_transaction_keeps_the_prepared_statements(app: object, engine: Engine) -> None:
    read_tasks(engine, 6)  # psycopg prepares a statement on its fifth use
    assert prepared(engine) >= 1
    read_tasks(engine, 1)
    assert prepared(engine) >= 1
    assert engine.pool.checkedin() == 1  # one connection throughout: the counts are that connection's


def test_an_abandoned_write_is_rolled_back(app: object, engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("CREATE TEMPORARY TABLE scratch (n integer)"))
        connection.commit()
        connection.execute(text("SELECT count(*) FROM scratch"))
        connection.execute(text("INSERT INTO scratch VALUES (1)"))
        connection.rollback()
        assert connection.execute(text("SELECT count(*) FROM scratch")).scalar_one() == 0
        connection.commit()


def test_a_failed_read_is_rolled_back_and_the_connection_serves_again(app: object, engine: Engine) -> None:
    with engine.connect() as connection:
        with pytest.raises(DataError):
            connection.execute(text("SELECT 1 / 0"))
        connection.rollback()
        assert connection.execute(text("SELECT 2")).scalar_one() == 2
        connection.commit()
