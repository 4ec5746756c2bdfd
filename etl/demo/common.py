"""Shared pieces of the demo generators: the werkdag calendar, names, places and CSV output."""

import bisect
import datetime as dt
from functools import lru_cache
from pathlib import Path

import polars as pl

from etl.contract import FILES

DAY = dt.timedelta(days=1)

JB_SOORTEN = ("OTS", "VOTS", "voogdij", "voorlopige_voogdij")

HULP_SOORTEN = (
    "ambulante jeugdhulp",
    "gezinsbehandeling",
    "pleegzorg",
    "gezinshuis",
    "residentiele jeugdhulp",
    "dagbehandeling",
    "jeugd-ggz",
    "intensieve ambulante gezinsbehandeling",
)
HULP_WEIGHTS = (30, 18, 14, 6, 8, 6, 12, 6)

JR_SUBSOORTEN = ("toezicht en begeleiding", "ITB Harde Kern", "ITB CRIEM", "samenloop")

FIRST_NAMES = (
    "Sanne", "Lotte", "Anouk", "Eva", "Fleur", "Iris", "Lisa", "Femke", "Marloes", "Esther",
    "Inge", "Marieke", "Janneke", "Nienke", "Linda", "Petra", "Karin", "Monique", "Sandra",
    "Wendy", "Ilse", "Yvonne", "Anke", "Hanneke", "Miriam", "Naima", "Fatima", "Samira",
    "Yasmina", "Ayse", "Priya", "Chantal", "Kim", "Romy", "Demi", "Noor", "Maud", "Sophie", "Jet",
    "Tessa", "Roos", "Merel", "Bas", "Jeroen", "Thijs", "Ruben", "Martijn", "Sander", "Pieter",
    "Jan", "Erik", "Mark", "Tim", "Niels", "Joost", "Wouter", "Koen", "Youssef", "Mohamed",
    "Hamza", "Mehmet", "Kevin", "Dennis", "Rick", "Stefan", "Gerrit", "Harm", "Klaas", "Jelle",
    "Sietse"
)  # fmt: skip
SURNAMES = (
    "de Vries", "Jansen", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
    "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit",
    "Dijkstra", "Smits", "de Graaf", "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan",
    "Vermeulen", "van den Berg", "van der Heijden", "Schouten", "Hoekstra", "Kuipers", "Koster",
    "Postma", "Bosma", "Wiersma", "Huisman", "Boersma", "Veenstra", "Kramer", "Zijlstra",
    "Hofstra", "Brinkman", "Oosterhof", "Nijboer", "Schuiling", "Talsma", "Kooistra", "Hulshof",
    "Westerhof", "Lubbers", "Wolters", "Kloosterman", "Heijnen", "Prins", "Blom", "El Amrani",
    "Yilmaz", "Kaya", "Bouzid", "Ramdin", "Nguyen", "Tahiri", "Öztürk", "Çelik", "Hakkert",
    "Bruins", "Oldenhuis", "Reitsma", "van Wijk", "Schepers", "ter Horst"
)  # fmt: skip

GEMEENTEN = {
    "Groningen": (
        ("Groningen", 240),
        ("Midden-Groningen", 60),
        ("Westerkwartier", 65),
        ("Het Hogeland", 48),
        ("Eemsdelta", 45),
        ("Oldambt", 38),
        ("Stadskanaal", 31),
        ("Veendam", 27),
        ("Westerwolde", 26),
        ("Pekela", 12),
    ),
    "Drenthe": (
        ("Emmen", 107),
        ("Assen", 69),
        ("Hoogeveen", 56),
        ("Meppel", 35),
        ("Coevorden", 35),
        ("Midden-Drenthe", 33),
        ("Noordenveld", 32),
        ("Tynaarlo", 34),
        ("Aa en Hunze", 25),
        ("Borger-Odoorn", 25),
        ("De Wolden", 24),
        ("Westerveld", 20),
    ),
}


def _easter(year: int) -> dt.date:
    """Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@lru_cache
def feestdagen(year: int) -> frozenset[dt.date]:
    """The Atw art. 3 holidays of one year."""
    easter = _easter(year)
    koningsdag = dt.date(year, 4, 27)
    if koningsdag.weekday() == 6:
        koningsdag = dt.date(year, 4, 26)
    return frozenset(
        {
            dt.date(year, 1, 1),
            easter - 2 * DAY,
            easter + DAY,
            koningsdag,
            dt.date(year, 5, 5),
            easter + 39 * DAY,
            easter + 50 * DAY,
            dt.date(year, 12, 25),
            dt.date(year, 12, 26),
        }
    )


def is_werkdag(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in feestdagen(day.year)


def next_werkdag(day: dt.date) -> dt.date:
    """The day itself when it is a werkdag, else the first werkdag after it."""
    while not is_werkdag(day):
        day += DAY
    return day


def add_werkdagen(day: dt.date, n: int) -> dt.date:
    """The n-th werkdag after `day` (the day itself not counted)."""
    while n > 0:
        day += DAY
        if is_werkdag(day):
            n -= 1
    return day


def add_months(day: dt.date, n: int) -> dt.date:
    """The same day n months later, clipped to the month's last day."""
    year, month = divmod(day.month - 1 + n, 12)
    year += day.year
    month += 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - DAY).day
    return dt.date(year, month, min(day.day, last))


def month_end(day: dt.date) -> dt.date:
    return add_months(day.replace(day=1), 1) - DAY


class Werkdagen:
    """Every werkdag between two dates, for drawing a random werkdag in a range quickly."""

    def __init__(self, first: dt.date, last: dt.date):
        self.days: list[dt.date] = []
        day = first
        while day <= last:
            if is_werkdag(day):
                self.days.append(day)
            day += DAY

    def between(self, lo: dt.date, hi: dt.date) -> list[dt.date]:
        i = bisect.bisect_left(self.days, lo)
        j = bisect.bisect_right(self.days, hi)
        return self.days[i:j]

    def count(self, lo: dt.date, hi: dt.date) -> int:
        return max(0, bisect.bisect_right(self.days, hi) - bisect.bisect_left(self.days, lo))

    def pick(self, rng, lo: dt.date, hi: dt.date) -> dt.date | None:
        """A uniformly drawn werkdag in [lo, hi], or None when there is none."""
        i = bisect.bisect_left(self.days, lo)
        j = bisect.bisect_right(self.days, hi)
        return self.days[rng.randrange(i, j)] if j > i else None

    def draw(self, rng, lo: dt.date, hi: dt.date) -> dt.date:
        """pick from a range that is sure to hold a werkdag."""
        day = self.pick(rng, lo, hi)
        if day is None:
            raise ValueError(f"geen werkdag van {lo} tot en met {hi}")
        return day

    def step(self, day: dt.date, n: int) -> dt.date:
        """The werkdag n werkdagen from `day` (a werkdag) in either direction."""
        return self.days[bisect.bisect_left(self.days, day) + n]


def write_tables(out: Path, tables: dict[str, dict[str, list]]) -> None:
    """Write every contract file as comma-delimited UTF-8 CSV with its columns in contract order."""
    out.mkdir(parents=True, exist_ok=True)
    for spec in FILES:
        data = tables[spec.name]
        frame = pl.DataFrame(
            {col: pl.Series(col, data[col], dtype=pl.String) for col in spec.column_names}
        )
        frame.write_csv(out / f"{spec.name}.csv")


def iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def ja_nee(value: bool | None) -> str | None:
    return None if value is None else ("ja" if value else "nee")
