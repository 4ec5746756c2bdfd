"""Downloads through Dash's own callback endpoint: the viewer comes from the session only."""

import base64
import io
import json

import polars as pl
import pytest

from dashboard.app import create_app
from tests.unit.dashboard.logins import login

BUTTON = {"fmt": "csv", "table": "mijn_termijnen", "type": "export"}


def forged_download(client, search: str):
    """What a browser (or an attacker) posts when the CSV button is pressed."""
    payload = {
        "output": "..download.data...export-melding.children..",
        "outputs": [
            {"id": "download", "property": "data"},
            {"id": "export-melding", "property": "children"},
        ],
        "inputs": [[{"id": BUTTON, "property": "n_clicks", "value": 1}]],
        "changedPropIds": [json.dumps(BUTTON, separators=(",", ":"), sort_keys=True) + ".n_clicks"],
        "state": [
            [
                {
                    "id": {"page": "mijn-caseload", "type": "pagina-url"},
                    "property": "search",
                    "value": search,
                }
            ]
        ],
    }
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == 200
    file = response.json["response"]["download"]["data"]
    return pl.read_csv(io.BytesIO(base64.b64decode(file["content"])), separator=";")


@pytest.fixture
def client(sample_url):
    # A fresh app: Dash hands the page callbacks to the first app that serves a request.
    return create_app(sample_url, demo=True).server.test_client()


def test_a_jeugdzorgwerker_asking_for_another_worker_gets_their_own_rows(client):
    assert login(client, "demo-jeugdzorgwerker", "demo").status_code == 303
    rows = forged_download(client, "?medewerker=1002")
    assert rows.height > 0
    assert set(rows["Maatregel"]) == {"M2025-0101", "M2025-0102"}  # Sanne's (1001), not 1002's


def test_without_a_session_a_download_is_refused(client):
    with pytest.raises(AssertionError):
        forged_download(client, "?medewerker=1001")
    response = client.post("/_dash-update-component", json={"output": "download.data"})
    assert response.status_code == 401 and response.data == b""


def test_a_csv_writes_each_figure_with_the_decimals_its_grid_shows(app):
    from dashboard.components import widgets as w
    from queries.export import csv_bytes

    columns = [
        w.column("fte", "Formatie (fte)", w.NUMBER, decimals=2),
        w.column("pct", "Verzuim", w.PCT, decimals=1),
        w.column("n", "Medewerkers", w.NUMBER),
    ]
    df = pl.DataFrame({"fte": [12.919999999999998], "pct": [5.6789], "n": [0.4 + 0.2]})
    out = w.export_frame(df, columns)
    text = csv_bytes(out, w.export_decimals(columns)).decode("utf-8-sig")
    assert text.splitlines()[1] == "12,92;5,7;1"
    grid = w.data_grid("g", df, columns, "Geen rijen")
    assert all(w.EXPORT_DECIMALS not in c for c in grid.columnDefs)
    assert all("exportSuffix" not in c for c in grid.columnDefs)


def test_every_document_is_open_to_exactly_the_roles_of_its_page(app):
    from dashboard.components.exports import DOCUMENTS, EXPORT_ROLES
    from dashboard.pages import caseloadgesprek, voortgangsrapportage

    assert {"gesprek_document", "voortgangsrapportage"} <= set(DOCUMENTS)
    assert EXPORT_ROLES["gesprek_document"] == caseloadgesprek.ROLES
    assert EXPORT_ROLES["voortgangsrapportage"] == voortgangsrapportage.ROLES
