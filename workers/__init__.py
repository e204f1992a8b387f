"""Celery: the app (celery_init_app pattern) and thin tasks that call use cases."""
