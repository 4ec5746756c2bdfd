import base64
import io

import openpyxl
import pytest

from dashboard import data
from dashboard.components.exports import EXPORT_TITLES, EXPORTS, export_file, scope_text
from queries.export import number_format
from queries.figuren import REGISTER
from queries.scope import Viewer

MANAGER = Viewer("manager")


def test_scope_text_names_the_viewer_s_scope_and_the_filters():
    assert scope_text(MANAGER, {"soort": "JR", "pagina": "2"}) == "Hele organisatie, soort JR"
    jzw = Viewer("jeugdzorgwerker", "1001")
    assert scope_text(jzw, {}) == "Reikwijdte van jeugdzorgwerker 1001"


def test_every_export_has_a_title_of_its_own():
    assert set(EXPORT_TITLES) == set(EXPORTS)
    assert all("_" not in title for title in EXPORT_TITLES.values())


@pytest.fixture
def organisatie(app):
    from dashboard.pages import organisatie

    return organisatie


def test_an_excel_export_prints_with_its_heading_and_figure_formats(organisatie, as_viewer):
    as_viewer("manager")
    params = {"soort": "JR"}
    file = export_file("organisatie_teams", "xlsx", MANAGER, params)
    ws = openpyxl.load_workbook(io.BytesIO(base64.b64decode(file["content"]))).active
    assert ws.oddHeader.left.text == EXPORT_TITLES["organisatie_teams"] == "Teams"
    assert ws.oddHeader.right.text == "Hele organisatie, soort JR"
    assert ws.oddFooter.left.text == f"Peildatum {data.as_of(params):%d-%m-%Y}"
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$1"
    _df, columns = EXPORTS["organisatie_teams"](MANAGER, params)
    headers = [c.value for c in ws[1]]
    figures = [c for c in columns if c["field"] in REGISTER]
    formatted = 0
    for c in figures:
        f = REGISTER[c["field"]]
        cells = [row[headers.index(c["headerName"])] for row in ws.iter_rows(min_row=2)]
        numbers = {cell.number_format for cell in cells if cell.value is not None}
        assert numbers <= {number_format(f.eenheid, f.decimalen)}, c["headerName"]
        formatted += len(numbers)
    assert formatted
