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


def test_instance_states_are_compressed_on_upgrade_and_restored_on_downgrade(database_url):
    from alembic import command
    from sqlalchemy import text

    from service.persistence.migrate import alembic_config, upgrade

    state = '{"tasks": {}, "data": {"note": "caf\u00e9"}}' * 50
    upgrade(database_url, "0011")
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO process_version (id, process_id, version, content_hash, sources, spec_json, live,"
                          " comment, author, created_at) VALUES (1, 'complaint', 1, 'h', '{}', '{}', true, '', 's',"
                          " CURRENT_TIMESTAMP)"))
        conn.execute(text("INSERT INTO workflow_instance (id, process_id, process_version_id, state, finished, updated_at)"
                          " VALUES (1, 'complaint', 1, :state, false, CURRENT_TIMESTAMP)"), {"state": state})
    upgrade(database_url)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT state FROM workflow_instance")).scalar_one()
    assert bytes(stored) != state.encode() and len(stored) < len(state) / 5
    from sqlalchemy.orm import Session

    from service.persistence.models import WorkflowInstance
    with Session(engine) as session:
        assert session.get(WorkflowInstance, 1).state == state
    command.downgrade(alembic_config(database_url), "0011")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT state FROM workflow_instance")).scalar_one() == state
    engine.dispose()


def test_version_states_come_from_the_live_flag_and_go_back_to_it(database_url):
    from alembic import command
    from sqlalchemy import text

    from service.persistence.migrate import alembic_config, upgrade

    upgrade(database_url, "0012")
    engine = create_engine(database_url)
    insert = text("INSERT INTO process_version (id, process_id, version, content_hash, sources, spec_json, live, comment,"
                  " author, created_at) VALUES (:id, 'complaint', :id, :hash, '{}', '{}', :live, '', 's', "
                  "CURRENT_TIMESTAMP)")
    with engine.begin() as conn:
        conn.execute(insert, [{"id": 1, "hash": "a", "live": False}, {"id": 2, "hash": "b", "live": True}])
    upgrade(database_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, state, deployed_at IS NOT NULL FROM process_version ORDER BY id")).all()
    assert [tuple(row) for row in rows] == [(1, "retired", True), (2, "live", True)]
    command.downgrade(alembic_config(database_url), "0012")
    with engine.connect() as conn:
        assert [tuple(r) for r in conn.execute(text("SELECT id, live FROM process_version ORDER BY id"))] == [
            (1, False), (2, True)]
    engine.dispose()


def test_letters_are_compressed_on_upgrade_and_restored_on_downgrade(database_url):
    from alembic import command
    from sqlalchemy import text
    from sqlalchemy.orm import Session

    from service.persistence.correspondence import Correspondence
    from service.persistence.migrate import alembic_config, upgrade

    letter = "<!doctype html><p>Dear Ren\u00e9e, about your complaint CF-2026-000001\u2026</p>" * 20
    upgrade(database_url, "0020")
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO complainant (id, name, created_at) VALUES (1, 'R', CURRENT_TIMESTAMP)"))
        conn.execute(text("INSERT INTO complaint (id, complainant_id, channel, received_at, received_on, description,"
                          " outcome_sought, profile, status, stage, created_at) VALUES (1, 1, 'post', CURRENT_TIMESTAMP,"
                          " CURRENT_DATE, 'D', 'O', 'code-2024', 'open', 'stage1', CURRENT_TIMESTAMP)"))
        conn.execute(text("INSERT INTO correspondence (id, complaint_id, kind, channel, direction, subject, body,"
                          " large_print, at) VALUES (1, 1, 'letter', 'post', 'out', 'S', :body, false,"
                          " CURRENT_TIMESTAMP)"), {"body": letter})
    upgrade(database_url)
    with engine.connect() as conn:
        stored = bytes(conn.execute(text("SELECT body FROM correspondence")).scalar_one())
    assert stored != letter.encode() and len(stored) < len(letter.encode()) / 5
    with Session(engine) as session:
        assert session.get(Correspondence, 1).body == letter
    command.downgrade(alembic_config(database_url), "0020")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT body FROM correspondence")).scalar_one() == letter
    engine.dispose()
