from datetime import date

from inspections.tickets.working_days import add_working_days, is_working_day, working_days_between


def test_national_day_2025_is_skipped():
    # 2025 国庆+中秋: 1–8 October off.
    assert add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert add_working_days(date(2025, 9, 29), 2) == date(2025, 10, 9)
    assert add_working_days(date(2025, 9, 29), 3) == date(2025, 10, 10)
    assert working_days_between(date(2025, 9, 30), date(2025, 10, 9)) == 1


def test_adjusted_weekend_workdays_count():
    # 调休: Sunday 28 September and Saturday 11 October 2025 are workdays.
    assert is_working_day(date(2025, 9, 28)) and is_working_day(date(2025, 10, 11))
    assert add_working_days(date(2025, 9, 26), 1) == date(2025, 9, 28)
    assert add_working_days(date(2025, 10, 10), 1) == date(2025, 10, 11)
    assert not is_working_day(date(2025, 9, 27))


def test_plain_weekend_and_zero_and_backwards():
    assert add_working_days(date(2025, 11, 14), 1) == date(2025, 11, 17)  # Friday → Monday
    assert add_working_days(date(2025, 11, 14), 0) == date(2025, 11, 14)
    assert add_working_days(date(2025, 11, 17), -1) == date(2025, 11, 14)
    assert working_days_between(date(2025, 11, 17), date(2025, 11, 14)) == -1
    assert working_days_between(date(2025, 11, 14), date(2025, 11, 14)) == 0


def test_years_outside_the_library_fall_back_to_monday_to_friday():
    # 2031: no official calendar in the library; 1 October 2031 is a Wednesday and counts as a workday.
    assert is_working_day(date(2031, 10, 1))
    assert add_working_days(date(2031, 10, 3), 1) == date(2031, 10, 6)  # Friday → Monday
    assert working_days_between(date(2031, 10, 3), date(2031, 10, 10)) == 5
