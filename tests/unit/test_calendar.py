from datetime import UTC, date, datetime, timedelta

from service.domain.calendar import add_working_days, is_working_day, receipt_day, working_days_between
from service.domain.deadlines import DeadlineStatus, breach_moment, is_breached, reminder_moment


def test_christmas_2026_skips_christmas_and_the_boxing_day_substitute():
    # Fri 18 Dec: Mon 21, Tue 22, Wed 23, Thu 24 are days 1-4; Fri 25 and Mon 28 (Boxing Day observed) are not.
    assert add_working_days(date(2026, 12, 18), 5) == date(2026, 12, 29)
    assert not is_working_day(date(2026, 12, 28))


def test_easter_2027_skips_good_friday_and_easter_monday():
    assert add_working_days(date(2027, 3, 25), 1) == date(2027, 3, 30)
    assert add_working_days(date(2027, 3, 22), 10) == date(2027, 4, 7)


def test_weekend_receipt_counts_from_monday():
    assert receipt_day(date(2026, 11, 21)) == date(2026, 11, 23)
    assert add_working_days(receipt_day(date(2026, 11, 21)), 5) == date(2026, 11, 30)
    assert receipt_day(date(2026, 11, 23)) == date(2026, 11, 23)


def test_receipt_on_a_bank_holiday_moves_past_a_long_weekend():
    assert receipt_day(date(2027, 3, 26)) == date(2027, 3, 30)


def test_going_back_and_counting_between():
    assert add_working_days(date(2026, 12, 29), -2) == date(2026, 12, 23)
    assert working_days_between(date(2026, 12, 18), date(2026, 12, 29)) == 5
    assert working_days_between(date(2026, 12, 29), date(2026, 12, 18)) == -5
    assert working_days_between(date(2026, 12, 29), date(2026, 12, 29)) == 0


def test_one_off_bank_holidays_are_not_working_days():
    assert not is_working_day(date(2022, 6, 3))  # Platinum Jubilee
    assert not is_working_day(date(2023, 5, 8))  # Coronation


def test_breach_is_midnight_london_at_the_end_of_the_due_day_in_gmt_and_bst():
    assert breach_moment(date(2026, 12, 29)) == datetime(2026, 12, 30, 0, 0, tzinfo=UTC)
    assert breach_moment(date(2026, 7, 1)) == datetime(2026, 7, 1, 23, 0, tzinfo=UTC)


def test_reminder_is_nine_am_two_working_days_before():
    assert reminder_moment(date(2026, 12, 29), 2) == datetime(2026, 12, 23, 9, 0, tzinfo=UTC)
    assert reminder_moment(date(2026, 6, 10), 2) == datetime(2026, 6, 8, 8, 0, tzinfo=UTC)


def test_breached_means_met_late_or_never_met_after_the_timer():
    assert is_breached(date(2026, 12, 29), date(2026, 12, 30), False)
    assert not is_breached(date(2026, 12, 29), date(2026, 12, 29), True)  # recorded after the fact, on time
    assert is_breached(date(2026, 12, 29), None, True)
    assert not is_breached(date(2026, 12, 29), None, False)


def test_working_days_left():
    status = DeadlineStatus("stage1_acknowledge", date(2026, 12, 29), None, False)
    assert status.working_days_left(date(2026, 12, 21)) == 4
    assert status.working_days_left(date(2026, 12, 31)) == -2
    assert DeadlineStatus("stage1_acknowledge", date(2026, 12, 29), date(2026, 12, 22), False).working_days_left(
        date(2026, 12, 21)) is None


def test_add_months_keeps_the_day_or_the_month_end():
    from service.domain.calendar import add_months

    assert add_months(date(2025, 10, 1), 12) == date(2026, 10, 1)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2026, 3, 31), 6) == date(2026, 9, 30)


def test_working_days_between_inverts_add_working_days_across_years_and_bank_holidays():
    # From days through 2026 to early 2028, counting forwards and back agree with stepping day by day.
    start = date(2026, 1, 1)
    for offset in range(0, 800, 3):  # every weekday and weekend day in turn
        day = start + timedelta(days=offset)
        for count in (1, 5, 10, 20, 260):
            assert working_days_between(day, add_working_days(day, count)) == count
            if is_working_day(day):  # counting back from a weekend day lands on the Friday before, not count back
                assert working_days_between(add_working_days(day, -count), day) == count
