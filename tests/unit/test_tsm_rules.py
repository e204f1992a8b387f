from datetime import date

from service.domain.tsm import per_thousand, reporting_year, responded_within_code


def test_reporting_year_runs_april_to_march():
    assert reporting_year(2026) == (date(2026, 4, 1), date(2027, 3, 31))


def test_stage1_within_code_counts_from_acknowledgement_across_easter():
    # Acknowledged Wed 17 March 2027: 10 WD skip Good Friday and Easter Monday -> Fri 2 April.
    assert responded_within_code("stage1", date(2027, 3, 15), date(2027, 3, 17), date(2027, 4, 2),
                                 date(2027, 4, 2), date(2027, 4, 2))
    assert not responded_within_code("stage1", date(2027, 3, 15), date(2027, 3, 17), date(2027, 4, 5),
                                     date(2027, 4, 2), date(2027, 4, 2))


def test_late_acknowledgement_fails_the_measure_whatever_the_response():
    assert not responded_within_code("stage1", date(2026, 6, 1), date(2026, 6, 10), date(2026, 6, 11),
                                     date(2026, 6, 24), date(2026, 6, 24))


def test_extensions_count_up_to_the_code_cap_only():
    original, code_limit = date(2026, 9, 16), date(2026, 9, 30)  # +10 WD
    assert responded_within_code("stage1", date(2026, 9, 1), date(2026, 9, 2), date(2026, 9, 29), code_limit, original)
    assert not responded_within_code("stage1", date(2026, 9, 1), date(2026, 9, 2), date(2026, 10, 5),
                                     date(2026, 10, 14), original)
    assert responded_within_code("stage2", date(2026, 6, 16), date(2026, 6, 18), date(2026, 7, 16),
                                 date(2026, 7, 16), date(2026, 7, 16))


def test_per_thousand():
    assert per_thousand(5, 2500) == 2.0
    assert per_thousand(1, 0) is None
