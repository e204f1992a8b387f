"""Is this instance able to work: can it reach its database and the broker the timers travel through?"""

from __future__ import annotations

from kombu import Connection
from sqlalchemy import text

from service.use_cases.context import AppContext


def check(app: AppContext, broker_url: str, timeout: float = 2.0) -> dict[str, str]:
    """`{"database": "ok" | "error: …", "broker": "ok" | "error: …"}`; never raises."""
    results = {}
    try:
        with app.uow() as uow:
            uow.session.execute(text("SELECT 1"))
        results["database"] = "ok"
    except Exception as error:  # noqa: BLE001 — any failure is the answer, reported by its kind
        results["database"] = f"error: {type(error).__name__}"
    try:
        with Connection(broker_url, connect_timeout=timeout, transport_options={"max_retries": 1}) as connection:
            connection.ensure_connection(max_retries=1, timeout=timeout)
        results["broker"] = "ok"
    except Exception as error:  # noqa: BLE001
        results["broker"] = f"error: {type(error).__name__}"
    return results
