"""SQLAlchemy 2 models, the session factory and the unit of work; Alembic migrations live beside them."""
