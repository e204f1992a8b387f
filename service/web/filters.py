"""Template filters for the words people read: counts with their noun, stages and statuses in words, dates as
residents write them."""

from __future__ import annotations

from datetime import date

from flask import Flask

_WORDS = {"stage1": "Stage 1", "stage2": "Stage 2", "open": "Open", "closed": "Closed", "refused": "Refused",
          "resolved_informally": "Resolved informally"}


def counted(number: int, noun: str) -> str:
    """`1 complaint`, `2 complaints`: a count with its noun, singular for one."""
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


def words(key: str | None) -> str:
    """A stored stage or status in words (`stage2` → "Stage 2"); anything else with its underscores as spaces."""
    return _WORDS.get(key or "", (key or "").replace("_", " "))


def long_date(value: str | None) -> str:
    """An ISO date as residents write it (`2026-12-29` → "29 December 2026"); anything else as it is."""
    try:
        return f"{date.fromisoformat(str(value)[:10]):%-d %B %Y}"
    except ValueError:
        return str(value or "")


def register(app: Flask) -> None:
    """Make the filters available to every template."""
    app.jinja_env.filters.update(counted=counted, words=words, long_date=long_date)
