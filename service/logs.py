"""Structured logs: one JSON object per line on stdout, from the app, gunicorn and Celery alike, so that a log
shipper needs no parsing rules. `COMPLAINTFLOW_LOG_LEVEL` sets the level."""

from __future__ import annotations

import logging
import sys

from pythonjsonlogger.json import JsonFormatter

_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"


def json_handler() -> logging.Handler:
    """A stdout handler writing `{"time", "level", "logger", "message", …extra fields}` lines."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter(_FIELDS, rename_fields={"asctime": "time", "levelname": "level", "name": "logger"}))
    return handler


def configure_logging(level: str = "INFO") -> None:
    """Send every logger's records to stdout as JSON lines (replacing the root logger's handlers)."""
    root = logging.getLogger()
    root.handlers[:] = [json_handler()]
    root.setLevel(level.upper())
    logging.captureWarnings(True)  # warnings become records too, not stray text on stderr
    for name in ("gunicorn.error", "gunicorn.access", "celery", "celery.task"):
        # Their own handlers would print the same record again as plain text.
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
