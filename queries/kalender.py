"""Werkdagen and deadline arithmetic of the Algemene termijnenwet, for any year. Scalar
functions are the readable reference; `Kalender` does the same on polars columns."""

from datetime import date, timedelta
from functools import lru_cache

import polars as pl

from queries.config import Config


def pasen(year: int) -> date:
    """Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def koningsdag(year: int) -> date:
    """27 April, or 26 April when the 27th is a Sunday."""
    day = date(year, 4, 27)
    return day - timedelta(days=1) if day.weekday() == 6 else day


@lru_cache(maxsize=512)
def _feestdagen(year: int) -> tuple[date, ...]:
    easter = pasen(year)
    return (
        date(year, 1, 1),
        easter - timedelta(days=2),  # Goede Vrijdag, Atw art. 3 lid 2
        easter + timedelta(days=1),
        koningsdag(year),
        date(year, 5, 5),
        easter + timedelta(days=39),  # Hemelvaartsdag
        easter + timedelta(days=50),  # tweede Pinksterdag
        date(year, 12, 25),
        date(year, 12, 26),
    )


def feestdagen(year: int) -> list[date]:
    """The Atw art. 3 feestdagen of a year, in calendar order."""
    return sorted(_feestdagen(year))


def _extra(config: Config | None) -> tuple[date, ...]:
    return config.extra_vrije_dagen if config is not None else ()


def is_werkdag(d: date, config: Config | None = None) -> bool:
    """Monday to Friday, not an Atw feestdag nor a configured extra free day."""
    return d.weekday() < 5 and d not in _feestdagen(d.year) and d not in _extra(config)


def next_werkdag(d: date, config: Config | None = None) -> date:
    """d itself when it is a werkdag, else the first werkdag after it (Atw art. 1)."""
    while not is_werkdag(d, config):
        d += timedelta(days=1)
    return d


def add_werkdagen(d: date, n: int, config: Config | None = None) -> date:
    """The n-th werkdag after d (d itself not counted)."""
    while n > 0:
        d += timedelta(days=1)
        n -= is_werkdag(d, config)
    return d


def add_months(d: date, n: int) -> date:
    """The same day n months later, clipped to the last day of that month."""
    months = d.year * 12 + d.month - 1 + n
    year, month = divmod(months, 12)
    first_next = date(year + (month == 11), (month + 1) % 12 + 1, 1)
    return date(year, month + 1, min(d.day, (first_next - timedelta(days=1)).day))


def months_later(e: pl.Expr, n: int) -> pl.Expr:
    """add_months on a date column: the same day n months later, clipped to the month's end."""
    return e.dt.offset_by(f"{n}mo")


def add_weeks_deadline(d: date, n: int, config: Config | None = None) -> date:
    """'binnen n weken na d': d + 7n days, moved to the next werkdag."""
    return next_werkdag(d + timedelta(weeks=n), config)


def add_months_deadline(d: date, n: int, config: Config | None = None) -> date:
    """'binnen n maanden na d': same day n months later (clipped), moved to the next werkdag."""
    return next_werkdag(add_months(d, n), config)


def werkdagen_between(a: date, b: date, config: Config | None = None) -> int:
    """Werkdagen after a up to and including b (negative when b is before a)."""
    if b < a:
        return -werkdagen_between(b, a, config)
    return sum(is_werkdag(a + timedelta(days=i), config) for i in range(1, (b - a).days + 1))


@lru_cache(maxsize=32)
def vrije_dagen(first_year: int, last_year: int, extra: tuple[date, ...] = ()) -> list[date]:
    """Every weekday that is not a werkdag from first_year to last_year, sorted."""
    days = {d for y in range(first_year, last_year + 1) for d in _feestdagen(y)}
    days.update(d for d in extra if first_year <= d.year <= last_year)
    return sorted(d for d in days if d.weekday() < 5)


class Kalender:
    """Column versions of the deadline rules, exact for dates from first_year to last_year."""

    def __init__(self, first_year: int, last_year: int, config: Config | None = None):
        self.first_year, self.last_year = first_year, last_year
        self.holidays = vrije_dagen(first_year, last_year, _extra(config))

    @classmethod
    def covering(cls, first: date, last: date, config: Config | None = None) -> "Kalender":
        """A calendar for dates from first to last plus every deadline derived from them."""
        return cls(first.year - 1, last.year + 4, config)

    def next_werkdag(self, e: pl.Expr) -> pl.Expr:
        return e.dt.add_business_days(0, holidays=self.holidays, roll="forward")

    def add_werkdagen(self, e: pl.Expr, n: int) -> pl.Expr:
        # Rolling a free day back to the werkdag before it keeps "the n-th werkdag after".
        return e.dt.add_business_days(n, holidays=self.holidays, roll="backward")

    def weeks_deadline(self, e: pl.Expr, n: int) -> pl.Expr:
        return self.next_werkdag(e + pl.duration(weeks=n))

    def months_deadline(self, e: pl.Expr, n: int) -> pl.Expr:
        return self.next_werkdag(months_later(e, n))

    def werkdagen_between(self, a: pl.Expr, b: pl.Expr) -> pl.Expr:
        """Werkdagen after a up to and including b (negative when b is before a)."""
        # business_day_count counts [start, end); for end < start it is not the mirror image.
        one = pl.duration(days=1)
        lo, hi = pl.min_horizontal(a, b), pl.max_horizontal(a, b)
        count = pl.business_day_count(lo + one, hi + one, holidays=self.holidays)
        return pl.when(b < a).then(-count).otherwise(count)
