"""Request rate limits (Flask-Limiter), counted per client address: the public complaint form and sign-in."""

from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

# With the shared counter store (Redis) down, limits are counted in each process's memory until it is back,
# rather than sign-in and the public form failing with it: a broker outage only delays timers, and must not
# lock residents and staff out.
limiter = Limiter(key_func=get_remote_address, default_limits=[], in_memory_fallback_enabled=True,
                  swallow_errors=True)


def counting_in() -> str:
    """Where the limits are being counted: "shared store", or "memory" while the shared store does not answer
    (Flask-Limiter logs a warning when it falls back)."""
    try:
        answers = limiter.storage.check()
    except Exception:  # noqa: BLE001 (a store that cannot even be asked is not answering)
        answers = False
    return "shared store" if answers else "memory: the shared store does not answer"
