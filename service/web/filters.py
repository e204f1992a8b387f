"""Template filters for the words people read: counts with their noun, stages and statuses in words, dates as
residents write them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Flask

from service.domain.calendar import LONDON

_WORDS = {"stage1": "Stage 1", "stage2": "Stage 2", "open": "Open", "closed": "Closed", "refused": "Refused",
          "resolved_informally": "Resolved informally", "withdrawn": "Withdrawn"}


def counted(number: int, noun: str) -> str:
    """`1 complaint`, `2 complaints`: a count with its noun, singular for one."""
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


def words(key: object) -> str:
    """A stored key in words: a stage or status (`stage2` → "Stage 2"), or a field, task or timer name
    (`waiting_timers` → "Waiting timers", `stage1_response_breach` → "Stage 1 response breach"). Not text:
    as it is."""
    if isinstance(key, bool):
        return "yes" if key else "no"
    if not isinstance(key, str):
        return "" if key is None else str(key)
    if key in _WORDS:
        return _WORDS[key]
    spoken = key.replace("stage1_", "Stage 1 ").replace("stage2_", "Stage 2 ").replace("_", " ")
    return spoken[:1].upper() + spoken[1:]


def long_date(value: str | None) -> str:
    """An ISO date as residents write it (`2026-12-29` → "29 December 2026"); anything else as it is."""
    try:
        return f"{date.fromisoformat(str(value)[:10]):%-d %B %Y}"
    except ValueError:
        return str(value or "")


def day(value: object) -> str:
    """A date as staff read it in British English (`2026-12-04` → "4 Dec 2026"); anything else as it is."""
    try:
        return f"{date.fromisoformat(str(value)[:10]):%-d %b %Y}"
    except ValueError:
        return "" if value is None else str(value)


def moment(value: object) -> str:
    """A stored moment (ISO, UTC) as the time in London (`2026-12-01T08:26:00+00:00` → "1 Dec 2026, 08:26")."""
    try:
        at = datetime.fromisoformat(str(value))
    except ValueError:
        return "" if value is None else str(value)
    at = at.replace(tzinfo=at.tzinfo or UTC).astimezone(LONDON)
    return f"{at:%-d %b %Y, %H:%M}"


def register(app: Flask) -> None:
    """Make the filters available to every template."""
    app.jinja_env.filters.update(counted=counted, words=words, long_date=long_date, day=day, moment=moment)
