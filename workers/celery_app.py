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

        kombu_sqla.Transport.polling_interval = float(app.config["BROKER_POLL_SECONDS"])
    celery = Celery(app.name, task_cls=FlaskTask, include=["workers.tasks"])
    celery.conf.update(
        broker_url=broker,
        result_backend=app.config["RESULT_BACKEND"],
        task_ignore_result=True,
        task_acks_late=True,  # a worker killed mid-task leaves the message for another worker
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        # A broker outage (Redis restarted) only delays timers: the rows stay due. So a worker reconnects for as
        # long as it takes, instead of exiting after Celery's default 100 attempts (about 45 minutes), and a
        # firing task that lost its connection finishes its batch (its ack is lost; a redelivery fires nothing).
        broker_connection_retry=True,
        broker_connection_max_retries=None,
        worker_cancel_long_running_tasks_on_connection_loss=False,
        timezone="UTC",
        beat_schedule={"sweep-timers": {"task": "workers.tasks.sweep_timers",
                                        "schedule": float(app.config["TIMER_SWEEP_SECONDS"])},
                       "sweep-replays": {"task": "workers.tasks.sweep_replays",
                                         "schedule": float(app.config["TIMER_SWEEP_SECONDS"])},
                       "send-emails": {"task": "workers.tasks.send_emails",
                                       "schedule": float(app.config["TIMER_SWEEP_SECONDS"])},
                       # UK GDPR storage limitation; daily is plenty for a period counted in years.
                       "apply-retention": {"task": "workers.tasks.apply_retention",
                                           "schedule": float(app.config["RETENTION_SWEEP_SECONDS"])}},
    )
    celery.set_default()
    app.extensions["celery"] = celery
    return celery


flask_app = create_app()
celery_app = celery_init_app(flask_app)
