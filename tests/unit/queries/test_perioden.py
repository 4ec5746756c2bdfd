"""Periods in days and months."""

from datetime import date

from queries.perioden import month_ends


def test_month_ends():
    as_of = date(2026, 3, 16)
    assert month_ends(as_of, 4) == [date(2025, 12, 31), date(2026, 1, 31), date(2026, 2, 28), as_of]
    # as_of on a month end is that month's own point, not repeated; leap February.
    assert month_ends(date(2024, 3, 31), 3) == [
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 31),
    ]
    assert month_ends(date(2026, 1, 1), 2) == [date(2025, 12, 31), date(2026, 1, 1)]
