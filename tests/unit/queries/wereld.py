"""A small organisation for the hand-worked figure tests: three teams (regulier, CRT, CCP),
their workers, and measures held by a vaste jzw, the CRT, the CCP or nobody."""

from datetime import date, timedelta

import polars as pl

from queries.snapshot import Snapshot

D = date(2026, 3, 16)

TEAMS = {
    "team_id": ["A", "C", "P"],
    "naam": ["Team A", "CRT Noord", "CCP Zuid"],
    "regio": ["Noord", "Noord", "Zuid"],
    "soort": ["regulier", "CRT", "CCP"],
}
STAFF = {
    "medewerker_id": ["w1", "w2", "c1", "p1", "pb1"],
    "naam": ["Wim", "Wendy", "Cor", "Pien", "Petra"],
    "functie": ["jeugdbeschermer"] * 4 + ["praktijkbegeleider"],
    "team_id": ["A", "A", "C", "P", "A"],
    "fte": [1.0] * 5,
    "in_dienst": ["2020-01-01"] * 5,
    "begeleider_id": ["pb1", None, None, None, None],
}


def rows(cols: str, *data) -> pl.DataFrame:
    """A frame from a space-separated column list and row tuples."""
    names = cols.split()
    return pl.DataFrame([dict(zip(names, r, strict=True)) for r in data], infer_schema_length=None)


def measures(*data) -> pl.DataFrame:
    """maatregelen from (id, soort, start, einde, jeugdige); uitspraak is the start."""
    frame = rows("maatregel_id soort start einde jeugdige_id", *data)
    return frame.with_columns(uitspraak=pl.col("start"))


def toewijzingen(*data) -> pl.DataFrame:
    """Current jeugdzorgwerker toewijzingen from (maatregel_id, medewerker_id, team_id)."""
    return rows(
        "maatregel_id medewerker_id team_id rol vanaf",
        *((m, w, t, "jeugdzorgwerker", "2020-01-01") for m, w, t in data),
    )


def wereld(maatregelen: pl.DataFrame, held: pl.DataFrame, **extra) -> Snapshot:
    return Snapshot.from_frames(
        D + timedelta(days=30),
        teams=pl.DataFrame(TEAMS),
        medewerkers=pl.DataFrame(STAFF),
        maatregelen=maatregelen,
        toewijzingen=held,
        **extra,
    )
