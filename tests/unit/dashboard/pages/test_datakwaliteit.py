"""Datakwaliteit tells rejected rows from rows loaded without one value, in tiles and tables."""

import pytest

from dashboard import data
from dashboard.components import widgets as w
from etl.loader import load_source
from queries.scope import Viewer
from tests.unit.dashboard.conftest import EXPORT_DATE
from tests.unit.dashboard.helpers import text, tile_value
from tests.unit.etl.fixtures import append, copy_sample, replace_line

BEHEERDER = Viewer("beheerder")


@pytest.fixture
def datakwaliteit(app, db_url, tmp_path):
    """Run 1: the praktijkbegeleider's row is bad; run 2: one worker names an unknown one."""
    from dashboard.pages import datakwaliteit

    first = copy_sample(tmp_path, "run1")
    replace_line(
        first, "medewerkers", "praktijkbegeleider,GRN-A,0.8,", "praktijkbegeleider,GRN-A,8,"
    )
    second = copy_sample(tmp_path, "run2")
    append(second, "medewerkers", "3001,Bo,jeugdbeschermer,GRN-A,1,2021-01-01,,,1099,,,")
    for source, status in ((first, "gedeeltelijk"), (second, "geslaagd")):
        result = load_source(source, db_url, export_date=EXPORT_DATE, progress=False)
        assert result.status == status, result.message
    data.configure(db_url)
    return datakwaliteit


def test_tiles_count_rejected_rows_and_values_left_out_apart(datakwaliteit, as_viewer):
    as_viewer("beheerder")
    page = datakwaliteit.layout()
    assert tile_value(page, "tegel-rijen-afgewezen") == "0"
    assert tile_value(page, "tegel-waarden-weggelaten") == "1"
    assert tile_value(page, "tegel-rijen-geladen") == "36"
    history, _ = datakwaliteit.history_table(BEHEERDER, {})
    counts = ("run_id", "status_label", "rijen_afgewezen", "waarden_weggelaten")
    assert history.select(counts).rows() == [
        (2, "Geslaagd", 0, 1),
        (1, "Gedeeltelijk: rijen afgewezen", 3, 3),
    ]
    assert history["melding"].to_list() == [
        "Alle 36 rijen geladen; 1 waarde weggelaten.",
        "32 rijen geladen; 3 rijen afgewezen, 3 waarden weggelaten.",
    ]


def test_rows_say_whether_the_row_or_only_its_value_was_left_out(datakwaliteit, as_viewer):
    as_viewer("beheerder")
    df, columns = datakwaliteit.rejected_table(BEHEERDER, {"run": "1"})
    assert df.select("gevolg_label", "bestand", "regel", "kolom").rows() == [
        ("Rij afgewezen", "caseloadgesprekken.csv", 2, "begeleider_id"),
        ("Rij afgewezen", "caseloadgesprekken.csv", 3, "begeleider_id"),
        ("Rij afgewezen", "medewerkers.csv", 5, "fte"),
        ("Waarde weggelaten", "medewerkers.csv", 2, "begeleider_id"),
        ("Waarde weggelaten", "medewerkers.csv", 3, "begeleider_id"),
        ("Waarde weggelaten", "medewerkers.csv", 4, "begeleider_id"),
    ]
    assert set(df["gevolg_key"]) == {"verlopen", "binnenkort"}
    exported = w.export_frame(df, columns)
    assert exported.columns[0] == "Gevolg"
    assert exported["Gevolg"].to_list().count("Waarde weggelaten") == 3

    reasons, _ = datakwaliteit.reasons_table(BEHEERDER, {"run": "1"})
    assert reasons.select("gevolg_label", "bestand", "rijen_per_reden").rows() == [
        ("Rij afgewezen", "caseloadgesprekken.csv", 2),
        ("Rij afgewezen", "medewerkers.csv", 1),
        ("Waarde weggelaten", "medewerkers.csv", 3),
    ]
    page = datakwaliteit.rejected_section(BEHEERDER, {"run": "1"})
    assert "Afgewezen rijen van laadronde 1" in text(page)


def test_other_roles_see_no_reported_rows(datakwaliteit):
    df, _ = datakwaliteit.rejected_table(Viewer("teammanager", "2001"), {"run": "1"})
    assert df.height == 0
