import json
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from queries.laadhistorie import load_history, rejected_rows, rejected_summary
from queries.scope import ROLES, Viewer
from store.engine import make_engine
from store.schema import afgewezen_rijen, etl_runs, metadata

BEHEERDER = Viewer("beheerder")


@pytest.fixture
def engine(db_url):
    engine = make_engine(db_url)
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(
            sa.insert(etl_runs),
            [
                {
                    "id": 1,
                    "source": "/exports/2026-01-31",
                    "export_date": date(2026, 1, 31),
                    "started": datetime(2026, 2, 1, 2, 0),
                    "finished": datetime(2026, 2, 1, 2, 3),
                    "status": "geslaagd",
                    "rows_per_file": json.dumps({"teams": 3, "maatregelen": 10}),
                    "rows_rejected": 0,
                    "message": None,
                },
                {
                    "id": 2,
                    "source": "/exports/2026-02-28",
                    "export_date": date(2026, 2, 28),
                    "started": datetime(2026, 3, 1, 2, 0),
                    "finished": datetime(2026, 3, 1, 2, 4),
                    "status": "gedeeltelijk",
                    "rows_per_file": json.dumps({"teams": 3, "maatregelen": 11}),
                    "rows_rejected": 2,
                    "message": "2 rijen afgewezen",
                },
            ],
        )
        # An executemany takes its columns from the first row: every row names them all.
        conn.execute(
            sa.insert(afgewezen_rijen),
            [
                {"run_id": 1, "bestand": "maatregelen", "regel": 4, "kolom": None,
                 "waarde": None, "reden": "oud", "gevolg": "afgewezen"},
                {"run_id": 2, "bestand": "maatregelen", "regel": 9, "kolom": "start",
                 "waarde": "31-02-2026", "reden": "Geen geldige datum", "gevolg": "afgewezen"},
                {"run_id": 2, "bestand": "contacten", "regel": 3, "kolom": "maatregel_id",
                 "waarde": "=M9", "reden": "Onbekende maatregel", "gevolg": "afgewezen"},
                {"run_id": 2, "bestand": "medewerkers", "regel": 2, "kolom": "begeleider_id",
                 "waarde": "1099", "reden": "onbekende praktijkbegeleider",
                 "gevolg": "waarde_weggelaten"},
            ],
        )  # fmt: skip
    yield engine
    engine.dispose()


def test_history_newest_first_with_totals(engine):
    df = load_history(engine, BEHEERDER)
    assert df["run_id"].to_list() == [2, 1]
    assert df["exportdatum"].to_list() == [date(2026, 2, 28), date(2026, 1, 31)]
    assert df["rijen_geladen"].to_list() == [14, 13]
    assert df["rijen_afgewezen"].to_list() == [2, 0]
    assert df["waarden_weggelaten"].to_list() == [1, 0]
    assert df["melding"].to_list() == ["2 rijen afgewezen", None]
    assert df["gestart"][0] == datetime(2026, 3, 1, 2, 0)
    # 02:00 to 02:04 and 02:00 to 02:03.
    assert df["duur_s"].to_list() == [240, 180]


def test_rejected_rows_of_latest_load_by_default_then_values_left_out(engine):
    df = rejected_rows(engine, BEHEERDER)
    assert df["run_id"].to_list() == [2, 2, 2]
    assert df["bestand"].to_list() == ["contacten", "maatregelen", "medewerkers"]
    assert df["reden"].to_list() == [
        "Onbekende maatregel",
        "Geen geldige datum",
        "onbekende praktijkbegeleider",
    ]
    assert df["gevolg"].to_list() == ["afgewezen", "afgewezen", "waarde_weggelaten"]
    assert df.select("kolom", "waarde").rows() == [
        ("maatregel_id", "=M9"), ("start", "31-02-2026"), ("begeleider_id", "1099"),
    ]  # fmt: skip
    old = rejected_rows(engine, BEHEERDER, run_id=1)
    assert old.select("regel", "gevolg").rows() == [(4, "afgewezen")]


def test_rejected_rows_page_by_offset_and_limit_in_the_same_order(engine):
    pages = [rejected_rows(engine, BEHEERDER, 2, offset, 2)["bestand"].to_list()
             for offset in (0, 2, 4)]  # fmt: skip
    assert pages == [["contacten", "maatregelen"], ["medewerkers"], []]


def test_the_summary_is_counted_by_the_database(engine):
    summary = rejected_summary(engine, BEHEERDER).sort("bestand")
    assert summary.rows() == [
        ("afgewezen", "contacten", "Onbekende maatregel", 1),
        ("afgewezen", "maatregelen", "Geen geldige datum", 1),
        ("waarde_weggelaten", "medewerkers", "onbekende praktijkbegeleider", 1),
    ]
    assert rejected_summary(engine, BEHEERDER, 1)["rijen_per_reden"].to_list() == [1]
    assert rejected_summary(engine, Viewer("manager")).height == 0


@pytest.mark.parametrize("role", [r for r in ROLES if r != "beheerder"])
def test_other_roles_see_nothing(engine, role):
    viewer = Viewer(role, "1001")
    assert load_history(engine, viewer).height == 0
    assert rejected_rows(engine, viewer).height == 0
    assert load_history(engine, viewer).columns == load_history(engine, BEHEERDER).columns


def test_empty_database_gives_empty_frames(sqlite_url):
    engine = make_engine(sqlite_url)
    metadata.create_all(engine)
    assert load_history(engine, BEHEERDER).height == 0
    assert rejected_rows(engine, BEHEERDER).height == 0
