"""The Celery app. Every task runs inside the Flask app context; beat sweeps the timer table.

Start with `celery -A workers.celery_app worker` and `celery -A workers.celery_app beat`.
"""

from __future__ import annotations

from typing import Any

from celery import Celery, Task
from celery.signals import setup_logging
from flask import Flask

from service import create_app
from service.logs import configure_logging


@setup_logging.connect
def _json_logs(**_: Any) -> None:
    # Connected, this replaces Celery's own log setup: worker and beat write JSON lines like the web app.
    configure_logging(flask_app.config["LOG_LEVEL"])


def celery_init_app(app: Flask) -> Celery:
    """A Celery app configured from `app.config`, whose tasks run in `app`'s context."""

    class FlaskTask(Task):  # type: ignore[misc]
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                return self.run(*args, **kwargs)

    broker = app.config["BROKER_URL"]
    if broker.startswith("sqla+"):
        # The embedded broker polls its table; once a second keeps timers prompt without busy-looping.
        from kombu.transport import sqlalchemy as kombu_sqla

        kombu_sqla.Transport.polling_interval = 1.0
    celery = Celery(app.name, task_cls=FlaskTask, include=["workers.tasks"])
    celery.conf.update(
        broker_url=broker,
        result_backend=app.config["RESULT_BACKEND"],
        task_ignore_result=True,
        task_acks_late=True,  # a worker killed mid-task leaves the message for another worker
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        timezone="UTC",
        beat_schedule={"sweep-timers": {"task": "workers.tasks.sweep_timers",
                                        "schedule": float(app.config["TIMER_SWEEP_SECONDS"])},
                       "send-emails": {"task": "workers.tasks.send_emails",
                                       "schedule": float(app.config["TIMER_SWEEP_SECONDS"])}},
    )
    celery.set_default()
    app.extensions["celery"] = celery
    return celery


flask_app = create_app()
celery_app = celery_init_app(flask_app)
