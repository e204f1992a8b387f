"""Plain-Python rules of the complaints procedure: no Flask, SQLAlchemy, Celery or SpiffWorkflow here."""
