"""gunicorn settings (`gunicorn -c python:service.gunicorn_conf service.wsgi:app`): its own error and access
logs as JSON lines on stdout, like the app's."""

import os

bind = os.environ.get("COMPLAINTFLOW_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("COMPLAINTFLOW_WEB_WORKERS", "4"))
accesslog = None  # the app logs each request itself, with the user and the time taken
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "pythonjsonlogger.json.JsonFormatter",
                            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
                            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"}}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}},
    "root": {"level": os.environ.get("COMPLAINTFLOW_LOG_LEVEL", "INFO"), "handlers": ["stdout"]},
    "loggers": {"gunicorn.error": {"handlers": [], "propagate": True},
                "gunicorn.access": {"handlers": [], "propagate": True}},
}
