from datetime import date, datetime

from dashboard.components.formats import fmt_date, fmt_number, fmt_pct, urgency


def test_dutch_dates_and_numbers():
    assert fmt_date(date(2026, 4, 28)) == "28-04-2026"
    assert fmt_date(datetime(2026, 4, 28, 9, 5)) == "28-04-2026 09:05"
    assert fmt_date(None) == "–"
    assert fmt_number(1234567.891, 2) == "1.234.567,89"
    assert fmt_number(-3.25, 1) == "-3,2"
    assert fmt_number(12) == "12"
    assert fmt_number(None) == "–"
    assert fmt_number(float("nan")) == "–"
    assert fmt_pct(87.54) == "87,5%"
    assert fmt_pct(None) == "–"


def test_urgency_marks_open_deadlines_within_the_binnenkort_setting():
    assert urgency("verlopen", None, 5) == "verlopen"
    assert urgency("open", 5, 5) == "binnenkort"
    assert urgency("open", 6, 5) == "open"
    assert urgency("open", 3, 2) == "open"
    assert urgency("tijdig", 1, 5) == "tijdig"
