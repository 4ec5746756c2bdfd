"""Periods in days and months: whether a period covers a day, and the months trends count."""

from datetime import date, timedelta
from typing import Literal

import polars as pl


def covers(
    vanaf: str, tot: str, day: date | pl.Expr, closed: Literal["left", "both"] = "left"
) -> pl.Expr:
    """The period in columns vanaf and tot covers day: vanaf <= day < tot (closed="both":
    day <= tot); an empty tot is open-ended."""
    day = day if isinstance(day, pl.Expr) else pl.lit(day)
    before_tot = pl.col(tot) >= day if closed == "both" else pl.col(tot) > day
    return (pl.col(vanaf) <= day) & (pl.col(tot).is_null() | before_tot)


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
