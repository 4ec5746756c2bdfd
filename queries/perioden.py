"""Periods in days and months: the month ends and month windows that trends count over."""

from datetime import date, timedelta

import polars as pl


def month_ends(as_of: date, months: int) -> list[date]:
    """The last `months` month ends up to as_of; as_of itself stands in for its own month."""
    first = as_of.replace(day=1)
    ends = [as_of]
    for _ in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
        ends.append(_last_day(first))
    return sorted(ends)


def _last_day(first: date) -> date:
    nxt = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return nxt - timedelta(days=1)


def month_windows(as_of: date, months: int) -> pl.LazyFrame:
    """maand (YYYY-MM), its first day and its last day counted (as_of for the current month)."""
    ends = month_ends(as_of, months)
    return pl.LazyFrame(
        {
            "maand": [d.strftime("%Y-%m") for d in ends],
            "maand_start": [d.replace(day=1) for d in ends],
            "maand_einde": ends,
        }
    )
