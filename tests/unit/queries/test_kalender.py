from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from queries.config import Config
from queries.kalender import (
    Kalender,
    add_months,
    add_months_deadline,
    add_weeks_deadline,
    add_werkdagen,
    feestdagen,
    is_werkdag,
    koningsdag,
    next_werkdag,
    pasen,
    werkdagen_between,
)


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        # Golden number 19, paschal full moon Sat 14 April, Easter the day after.
        (1990, date(1990, 4, 15)),
        # The year Western and Orthodox Easter fell together, on 20 April.
        (2025, date(2025, 4, 20)),
        # Paschal full moon Thu 2 April 2026, next Sunday 5 April.
        (2026, date(2026, 4, 5)),
        # 25 April, the latest possible Easter; before 2038 last seen in 1943.
        (2038, date(2038, 4, 25)),
        (1943, date(1943, 4, 25)),
        # 22 March, the earliest possible Easter (1818, next in 2285).
        (1818, date(1818, 3, 22)),
        (2285, date(2285, 3, 22)),
        # 2100 is no leap year; the Gregorian correction leaves Easter on 28 March.
        (2100, date(2100, 3, 28)),
    ],
)
def test_pasen_known_dates(year, easter):
    assert pasen(year) == easter


@given(st.integers(min_value=1583, max_value=4099))
def test_pasen_is_a_sunday_between_22_march_and_25_april(year):
    easter = pasen(year)
    assert easter.weekday() == 6
    assert date(year, 3, 22) <= easter <= date(year, 4, 25)


def test_feestdagen_2025():
    assert feestdagen(2025) == [
        date(2025, 1, 1),
        date(2025, 4, 18),  # Goede Vrijdag, Easter 20 April
        date(2025, 4, 21),  # tweede Paasdag
        date(2025, 4, 26),  # Koningsdag: 27 April is a Sunday, so Saturday 26 April
        date(2025, 5, 5),
        date(2025, 5, 29),  # Hemelvaart: Easter + 39
        date(2025, 6, 9),  # tweede Pinksterdag: Easter + 50
        date(2025, 12, 25),
        date(2025, 12, 26),
    ]


def test_feestdagen_far_apart_years():
    assert feestdagen(1990) == [
        date(1990, 1, 1), date(1990, 4, 13), date(1990, 4, 16), date(1990, 4, 27),
        date(1990, 5, 5), date(1990, 5, 24), date(1990, 6, 4), date(1990, 12, 25),
        date(1990, 12, 26),
    ]  # fmt: skip
    # Easter 25 April 2038: tweede Paasdag Monday 26 and Koningsdag Tuesday 27 in a row.
    assert feestdagen(2038)[1:4] == [date(2038, 4, 23), date(2038, 4, 26), date(2038, 4, 27)]
    # Easter 28 March 2100: 5 mei (Wed) and Hemelvaart (Thu 6 May) in a row.
    assert feestdagen(2100)[1:7] == [
        date(2100, 3, 26), date(2100, 3, 29), date(2100, 4, 27), date(2100, 5, 5),
        date(2100, 5, 6), date(2100, 5, 17),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("year", "day"),
    [(2014, 26), (2025, 26), (2026, 27), (2031, 26), (2036, 26), (2038, 27)],
)
def test_koningsdag_moves_to_saturday_only_when_27_april_is_sunday(year, day):
    assert koningsdag(year) == date(year, 4, day)


@pytest.mark.parametrize(
    ("day", "werkdag"),
    [
        (date(2025, 4, 25), True),  # Friday
        (date(2025, 4, 26), False),  # Saturday (and Koningsdag)
        (date(2025, 4, 28), True),  # Koningsdag is not moved to Monday
        (date(2026, 4, 27), False),  # Koningsdag on a Monday
        (date(2025, 5, 5), False),  # 5 mei, every year, not only lustrum years
        (date(2026, 5, 5), False),
        (date(2026, 4, 3), False),  # Goede Vrijdag
        (date(2026, 5, 14), False),  # Hemelvaartsdag
        (date(2026, 5, 15), True),  # Friday after Hemelvaart only when configured
        (date(2026, 5, 25), False),  # tweede Pinksterdag
        (date(2025, 12, 24), True),
        (date(2025, 12, 26), False),
        (date(2025, 12, 31), True),
        (date(2026, 1, 1), False),
        (date(2100, 3, 1), True),
    ],
)
def test_is_werkdag(day, werkdag):
    assert is_werkdag(day) is werkdag


def test_extra_vrije_dagen_from_config():
    config = Config(extra_vrije_dagen=(date(2026, 5, 15),))
    assert not is_werkdag(date(2026, 5, 15), config)
    # Start Mon 11 May: Tue 12 (1), Wed 13 (2), Thu 14 Hemelvaart, Fri 15 (3), Mon 18 (4),
    # Tue 19 (5); with the Friday after Hemelvaart closed: Wed 20.
    assert add_werkdagen(date(2026, 5, 11), 5) == date(2026, 5, 19)
    assert add_werkdagen(date(2026, 5, 11), 5, config) == date(2026, 5, 20)


@pytest.mark.parametrize(
    ("start", "deadline"),
    [
        # norms.md's example: Tue 21 (1) .. Fri 24 (4), Mon 27 Koningsdag, Tue 28 (5).
        (date(2026, 4, 20), date(2026, 4, 28)),
        # Easter 2025: Fri 18 and Mon 21 free, Tue 22 (1) .. Fri 25 (4), Sat 26 Koningsdag,
        # Mon 28 (5).
        (date(2025, 4, 17), date(2025, 4, 28)),
        # Thu 1 May (1), Fri 2 (2), Mon 5 mei free, Tue 6 (3), Wed 7 (4), Thu 8 (5).
        (date(2025, 4, 30), date(2025, 5, 8)),
        # Pinksteren 2025: Tue 3 June (1) .. Fri 6 (4), Mon 9 free, Tue 10 (5).
        (date(2025, 6, 2), date(2025, 6, 10)),
        # Christmas and New Year: Mon 29 (1), Tue 30 (2), Wed 31 (3), Thu 1 Jan free,
        # Fri 2 (4), Mon 5 (5).
        (date(2025, 12, 24), date(2026, 1, 5)),
        # Start on a Saturday: Mon (1) .. Fri (5).
        (date(2025, 11, 1), date(2025, 11, 7)),
        # Start on a feestdag itself (Koningsdag 2026, Monday): Tue 28 (1) .. Mon 4 May (5).
        (date(2026, 4, 27), date(2026, 5, 4)),
    ],
)
def test_add_werkdagen(start, deadline):
    assert add_werkdagen(start, 5) == deadline


@pytest.mark.parametrize(
    ("start", "weeks", "deadline"),
    [
        (date(2025, 9, 1), 6, date(2025, 10, 13)),  # Monday + 42 days, a werkdag
        (date(2025, 3, 17), 6, date(2025, 4, 28)),  # Monday 28 April 2025 is a werkdag
        (date(2026, 3, 16), 6, date(2026, 4, 28)),  # Koningsdag Mon 27 April 2026 -> Tue
        (date(2025, 11, 13), 6, date(2025, 12, 29)),  # Thu 25 Dec -> Fri 26 free -> Mon 29
        (date(2025, 3, 22), 6, date(2025, 5, 6)),  # Sat 3 May -> Mon 5 mei free -> Tue 6
    ],
)
def test_add_weeks_deadline(start, weeks, deadline):
    assert add_weeks_deadline(start, weeks) == deadline


@pytest.mark.parametrize(
    ("start", "months", "deadline"),
    [
        (date(2025, 11, 30), 3, date(2026, 3, 2)),  # clipped to Sat 28 Feb -> Mon 2 March
        (date(2024, 11, 30), 3, date(2025, 2, 28)),  # clipped to Fri 28 Feb, a werkdag
        (date(2023, 11, 30), 3, date(2024, 2, 29)),  # leap year: Thu 29 Feb
        (date(2099, 11, 30), 3, date(2100, 3, 1)),  # 2100 no leap year: Sun 28 Feb -> Mon
        (date(2025, 9, 25), 3, date(2025, 12, 29)),  # Thu 25 Dec, Fri 26 free -> Mon 29
        (date(2025, 10, 1), 3, date(2026, 1, 2)),  # Nieuwjaarsdag -> Fri 2 January
        (date(2025, 2, 28), 12, date(2026, 3, 2)),  # Sat 28 Feb 2026 -> Mon 2 March
        (date(2025, 2, 14), 3, date(2025, 5, 14)),
        (date(2026, 2, 14), 3, date(2026, 5, 15)),  # Hemelvaart Thu 14 May -> Fri 15
        (date(2025, 7, 3), 3, date(2025, 10, 3)),
    ],
)
def test_add_months_deadline(start, months, deadline):
    assert add_months_deadline(start, months) == deadline


def test_add_months_clips_to_month_end():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 8, 31), 3) == date(2025, 11, 30)
    assert add_months(date(2025, 12, 15), 1) == date(2026, 1, 15)
    assert add_months(date(2025, 1, 15), -1) == date(2024, 12, 15)


def test_werkdagen_between():
    assert werkdagen_between(date(2025, 11, 1), date(2025, 11, 24)) == 16
    assert werkdagen_between(date(2025, 11, 24), date(2025, 11, 24)) == 0
    assert werkdagen_between(date(2025, 11, 24), date(2025, 11, 1)) == -16
    # Mon 22 .. Wed 31 Dec 2025 minus both Christmas days: 8 - 2 = 6.
    assert werkdagen_between(date(2025, 12, 21), date(2025, 12, 31)) == 6


def test_next_werkdag():
    assert next_werkdag(date(2025, 12, 25)) == date(2025, 12, 29)
    assert next_werkdag(date(2025, 12, 29)) == date(2025, 12, 29)


def _days(first: date, last: date) -> pl.DataFrame:
    n = (last - first).days + 1
    return pl.DataFrame({"d": [first + timedelta(days=i) for i in range(n)]})


@pytest.mark.parametrize("year", [1990, 2025, 2026, 2038, 2100])
def test_kalender_columns_match_the_scalar_rules(year):
    config = Config(extra_vrije_dagen=(date(year, 5, 15),))
    kal = Kalender.covering(date(year, 1, 1), date(year, 12, 31), config)
    df = _days(date(year - 1, 12, 1), date(year, 12, 31))
    d = pl.col("d")
    out = df.with_columns(
        nw=kal.next_werkdag(d),
        w5=kal.add_werkdagen(d, 5),
        wk6=kal.weeks_deadline(d, 6),
        m3=kal.months_deadline(d, 3),
        m12=kal.months_deadline(d, 12),
        between=kal.werkdagen_between(d, d + pl.duration(days=17)),
        back=kal.werkdagen_between(d, d - pl.duration(days=9)),
    )
    for row in out.iter_rows(named=True):
        day = row["d"]
        assert row["nw"] == next_werkdag(day, config), day
        assert row["w5"] == add_werkdagen(day, 5, config), day
        assert row["wk6"] == add_weeks_deadline(day, 6, config), day
        assert row["m3"] == add_months_deadline(day, 3, config), day
        assert row["m12"] == add_months_deadline(day, 12, config), day
        assert row["between"] == werkdagen_between(day, day + timedelta(days=17), config)
        assert row["back"] == werkdagen_between(day, day - timedelta(days=9), config)
