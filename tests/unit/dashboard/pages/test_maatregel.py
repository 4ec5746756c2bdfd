import base64
import io
from datetime import date

import polars as pl
import pytest

from dashboard import data
from dashboard.components.appshell import pages_for
from dashboard.components.exports import export_file
from dashboard.components.widgets import export_frame
from queries.scope import MANAGER, Viewer
from queries.termijnen import termijn_historie
from tests.unit.dashboard.conftest import EXPORT_DATE
from tests.unit.dashboard.helpers import find, text, tile_value
from tests.unit.dashboard.logins import events, last_event_id

SANNE = Viewer("jeugdzorgwerker", "1001")
OWN, OTHERS = "M2025-0102", "M2025-0103"  # 1002 holds M2025-0103


@pytest.fixture
def pages(app):
    from dashboard.pages import caseloadgesprek, maatregel, mijn_caseload

    return {"maatregel": maatregel, "mijn": mijn_caseload, "gesprek": caseloadgesprek}


def history(viewer: Viewer, mid: str, day: date = EXPORT_DATE) -> pl.DataFrame:
    everything = termijn_historie(data.snapshot(), viewer, day, data.config())
    return everything.filter(pl.col("maatregel_id") == mid)


def logged(url: str, after: int, actie: str) -> list[tuple]:
    log = events(url, after).filter(pl.col("actie") == actie)
    return log.select("onderwerp", "details").rows()


def test_an_own_measure_shows_every_interval_of_its_deadline_history(pages, as_viewer):
    as_viewer(SANNE.role, SANNE.medewerker_id)
    page = pages["maatregel"].layout(maatregel=OWN)
    expected = history(SANNE, OWN)
    grid = find(page, "maatregel-termijnen")
    rows = [(r["norm"], r["interval"], r["deadline"], r["status"]) for r in grid.rowData]
    assert rows == [
        (n, i, d.isoformat(), s)
        for n, i, d, s in expected.select("norm", "interval", "deadline", "status").iter_rows()
    ]
    # Voogdij: three rounds of contact with the jeugdige, the current one verlopen.
    contact = [r for r in grid.rowData if r["norm"] == "voogdij_contact"]
    assert [r["status_label"] for r in contact] == ["✔ Tijdig", "✔ Tijdig", "✖ Verlopen"]
    assert contact[0]["termijn"] == "Contact met jeugdige (voogdij)"
    verlopen = expected.filter(pl.col("status") == "verlopen").height
    assert tile_value(page, "tegel-verlopen") == str(verlopen) != "0"
    assert tile_value(page, "tegel-open") == str(expected.filter(pl.col("status") == "open").height)
    assert tile_value(page, "tegel-soort") == "Voogdij"
    assert tile_value(page, "tegel-start") == "11-06-2025"
    assert tile_value(page, "tegel-einde") == "Loopt nog"
    assert " ".join(text(find(page, "maatregel-houder")).split()) == (
        "Op de peildatum bij Sanne Koster (Team Stad, als jeugdzorgwerker)."
    )
    assert "J000312" not in text(page)  # the jeugdige stays out of view


def test_another_workers_measure_shows_the_same_message_as_one_that_does_not_exist(
    pages, as_viewer, sample_url
):
    as_viewer(SANNE.role, SANNE.medewerker_id)
    before = last_event_id(sample_url)
    refused = pages["maatregel"].layout(maatregel=OTHERS)
    missing = pages["maatregel"].layout(maatregel="M9999-0001")
    for page in (refused, missing):
        assert "Deze maatregel is er niet of u mag hem niet zien" in text(page)
        assert find(page, "maatregel-termijnen") is None
    assert OTHERS not in text(refused)
    assert "Youssef" not in text(refused)
    assert logged(sample_url, before, "geweigerd") == [
        (f"maatregel {OTHERS}", "buiten bereik (/maatregel)"),
        ("maatregel M9999-0001", "buiten bereik (/maatregel)"),
    ]
    assert logged(sample_url, before, "maatregel_bekeken") == []
    df, _ = pages["maatregel"].history_table(SANNE, {"maatregel": OTHERS})
    assert df.is_empty()


def test_a_shown_measure_is_logged_once_per_request(pages, as_viewer, sample_url):
    as_viewer(SANNE.role, SANNE.medewerker_id)
    before = last_event_id(sample_url)
    pages["maatregel"].layout(maatregel=OWN)
    pages["maatregel"].history_table(SANNE, {"maatregel": OWN})
    assert logged(sample_url, before, "maatregel_bekeken") == [(OWN, None)]
    assert logged(sample_url, before, "geweigerd") == []


def test_peildatum_recomputes_the_measure_point_in_time(pages, as_viewer):
    as_viewer("manager")
    state = pages["maatregel"].STATE
    earlier = date(2025, 9, 15)
    body, search, shown, *_ = state.from_controls(MANAGER, [OWN, earlier.isoformat()], {})
    assert search == f"?maatregel={OWN}&peildatum=2025-09-15"
    assert shown == {"maatregel": OWN, "peildatum": "2025-09-15"}
    expected = history(MANAGER, OWN, earlier)
    assert len(find(body, "maatregel-termijnen").rowData) == expected.height
    # The third contact round was still open on 15 Sep; by the export date it had verlopen.
    last = find(body, "maatregel-termijnen").rowData[-1]
    assert (last["termijn"], last["status_label"]) == ("Contact met jeugdige (voogdij)", "● Open")
    assert tile_value(body, "tegel-verlopen") == "1"
    # On 15 Sep Petra Hoekstra (CRT) held it; Sanne only from 1 Oct, so not for her then.
    assert find(body, "maatregel-houder-naam").children == "Petra Hoekstra"
    as_viewer(SANNE.role, SANNE.medewerker_id)
    body, *_ = state.from_controls(SANNE, [OWN, earlier.isoformat()], {})
    assert "Deze maatregel is er niet of u mag hem niet zien" in text(body)


def test_the_export_holds_every_row_with_dutch_headers(pages, as_viewer):
    as_viewer(SANNE.role, SANNE.medewerker_id)
    file = export_file("maatregel_termijnen", "csv", SANNE, {"maatregel": OWN})
    back = pl.read_csv(io.BytesIO(base64.b64decode(file["content"])), separator=";")
    assert back.columns == ["Status", "Termijn", "Nr.", "Uiterlijk", "Voldaan op"]
    assert back.height == history(SANNE, OWN).height


def test_measure_ids_link_to_the_maatregel_page_and_export_plain(pages, as_viewer):
    as_viewer(SANNE.role, SANNE.medewerker_id)
    params = {"peildatum": "2025-10-31"}
    for df, columns in (
        pages["mijn"].deadlines_table(SANNE, params),
        pages["mijn"].measures_table(SANNE, params),
    ):
        link = next(c for c in columns if c["field"] == "maatregel_id")
        assert link["cellRenderer"] == "Link"
        assert df["maatregel_href"].to_list() == [
            f"/maatregel?maatregel={m}&peildatum=2025-10-31" for m in df["maatregel_id"]
        ]
        assert export_frame(df, columns)["Maatregel"].to_list() == df["maatregel_id"].to_list()
    as_viewer("praktijkbegeleider", "2001")
    gesprek = pages["gesprek"]
    for build in (gesprek.attention_table, gesprek.niet_gezien_table, gesprek.measures_table):
        df, columns = build(Viewer("praktijkbegeleider", "2001"), {"medewerker": "1001"})
        assert df.height > 0
        assert any(c.get("cellRenderer") == "Link" for c in columns if c["field"] == "maatregel_id")
        assert df["maatregel_href"].str.starts_with("/maatregel?maatregel=M").all()


def test_the_page_is_for_every_role_but_not_in_the_menu(pages):
    for role in pages["maatregel"].ROLES:
        paths = [p["path"] for p in pages_for(Viewer(role, "2001"))]
        assert "/maatregel" not in paths and paths
    assert "/mijn-caseload" in [p["path"] for p in pages_for(SANNE)]
