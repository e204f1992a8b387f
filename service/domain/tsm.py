"""The Regulator of Social Housing's complaint measures (Tenant Satisfaction Measures CH01 and CH02).

CH01: Stage 1 and Stage 2 complaints received in the reporting year per 1,000 relevant homes (an escalated
complaint counts at both stages). CH02: the share of Stage 1 and Stage 2 complaints responded to in the year that
were responded to within the Code's timescales — judged from the received, acknowledged and responded dates, with
an extension within the Code's cap counting as within timescale. The reporting year runs 1 April to 31 March.
"""

from __future__ import annotations

from datetime import date, timedelta

from service.domain.calendar import add_working_days

# stage → (acknowledge within, respond within, extension cap), in working days, as the Code sets them.
CODE_TIMESCALES = {"stage1": (5, 10, 10), "stage2": (5, 20, 20)}


def reporting_year(year: int) -> tuple[date, date]:
    """First and last day of the reporting year that starts on 1 April `year`."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def reporting_quarter(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of quarter 1–4 of the reporting year that starts on 1 April `year`: 1 is April–June,
    2 July–September, 3 October–December, 4 January–March of the next calendar year."""
    first_month = 4 + 3 * (quarter - 1)
    start = date(year + (first_month - 1) // 12, (first_month - 1) % 12 + 1, 1)
    following = date(start.year + (start.month + 2) // 12, (start.month + 2) % 12 + 1, 1)
    return start, following - timedelta(days=1)


def quarter_of(day: date) -> tuple[int, int]:
    """The reporting year (by the year it starts) and quarter (1–4) that `day` falls in."""
    return (day.year if day.month >= 4 else day.year - 1), (day.month - 4) % 12 // 3 + 1


def responded_within_code(stage: str, received: date, acknowledged: date | None, responded: date,
                          due: date, original_due: date) -> bool:
    """Whether a stage's response met the Code: acknowledged in time, and answered in time from the
    acknowledgement, allowing an agreed extension of up to the Code's cap."""
    acknowledge_days, respond_days, cap = CODE_TIMESCALES[stage]
    if acknowledged is None or acknowledged > add_working_days(received, acknowledge_days):
        return False
    limit = add_working_days(acknowledged, respond_days)
    if due > original_due:  # an extension was agreed: it counts up to the Code's cap
        limit = max(limit, min(due, add_working_days(limit, cap)))
    return responded <= limit


def per_thousand(count: int, homes: int) -> float | None:
    """`count` per 1,000 homes, to one decimal place as published; None without homes."""
    return round(count * 1000 / homes, 1) if homes else None
