from datetime import date, datetime

from dashboard.components.formats import fmt_date, fmt_number, fmt_pct, urgency
from dashboard.components.theme import BINNENKORT_WERKDAGEN


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


def test_urgency_marks_open_deadlines_within_a_working_week():
    assert urgency("verlopen", None) == "verlopen"
    assert urgency("open", BINNENKORT_WERKDAGEN) == "binnenkort"
    assert urgency("open", BINNENKORT_WERKDAGEN + 1) == "open"
