"""The Alembic history has a single head, and upgrading yields exactly the models' schema."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from service.persistence.migrate import alembic_config
from service.persistence.models import Base


def test_history_has_a_single_head():
    assert len(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()) == 1


def test_upgraded_schema_matches_the_models(app, database_url):
    engine = create_engine(database_url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert diff == []
