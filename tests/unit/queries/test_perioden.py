"""Periods in days and months."""

from datetime import date

import polars as pl

from queries.perioden import covers, month_ends


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


def test_covers_from_vanaf_up_to_tot():
    periods = pl.DataFrame(
        {
            "vanaf": [date(2026, 1, 1), date(2026, 1, 1), date(2026, 1, 2), None],
            "tot": [date(2026, 1, 2), None, date(2026, 1, 3), date(2026, 1, 3)],
        }
    )
    day = date(2026, 1, 2)
    # tot itself is the first day not covered, unless closed="both"; an empty tot never ends.
    assert periods.select(covers("vanaf", "tot", day))["vanaf"].to_list() == [
        False,
        True,
        True,
        None,
    ]
    both = periods.select(covers("vanaf", "tot", pl.lit(day), closed="both"))
    assert both["vanaf"].to_list() == [True, True, True, None]
    assert periods.filter(covers("vanaf", "tot", day)).height == 2
