"""Working days for England & Wales, and the Europe/London clock the procedure's dates live on.

A working day is Monday to Friday except England & Wales bank holidays (substitute days and one-off days
included), as the `holidays` package publishes them. "N working days after day D" is the N-th working day
after D, D itself being day 0; a complaint received on a non-working day counts as received on the next one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    # One frozen set per year: lookups stay O(1) and the holidays object is built once per year.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def bank_holidays(year: int) -> frozenset[date]:
    """The England & Wales bank holidays of `year`."""
    return _bank_holidays(year)


def is_working_day(day: date) -> bool:
    """True when `day` is a weekday that is not an England & Wales bank holiday."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def receipt_day(day: date) -> date:
    """The day a complaint counts as received: `day` itself, or the next working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(day: date, count: int) -> date:
    """The `count`-th working day after `day` (`day` is day 0); a negative count goes backwards."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


@cache
def _working_days_in_year(year: int) -> tuple[int, ...]:
    # Running count of working days from 1 January of `year` to each day of it: reports ask for thousands of
    # distances between dates, which then cost two lookups each instead of a walk over the days between.
    counts, total, day = [], 0, date(year, 1, 1)
    while day.year == year:
        total += is_working_day(day)
        counts.append(total)
        day += timedelta(days=1)
    return tuple(counts)


def _working_day_number(day: date) -> int:
    """Working days from 1 January of `day`'s year up to and including `day`."""
    return _working_days_in_year(day.year)[day.timetuple().tm_yday - 1]


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is before `start`."""
    if end < start:
        return -working_days_between(end, start)
    whole_years = sum(_working_days_in_year(year)[-1] for year in range(start.year, end.year))
    return whole_years + _working_day_number(end) - _working_day_number(start)


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later (the month's last day when it has no such day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    days_in_month = [31, 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28, 31, 30, 31, 30, 31,
                     31, 30, 31, 30, 31][month - 1]
    return date(year, month, min(day.day, days_in_month))


def london_today(now: datetime | None = None) -> date:
    """Today's date in London (from `now`, a timezone-aware instant, or the current time)."""
    return (now or datetime.now(UTC)).astimezone(LONDON).date()


def london_datetime(day: date, at: time = time(0, 0)) -> datetime:
    """The instant `day` at `at` London time, as a timezone-aware UTC datetime (right across BST)."""
    return datetime.combine(day, at, tzinfo=LONDON).astimezone(UTC)


def to_london_date(moment: datetime) -> date:
    """The London calendar date of an instant; naive datetimes are taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LONDON).date()
