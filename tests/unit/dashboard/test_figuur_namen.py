"""Every number a user sees names its registered figure: each KPI tile's value and each
numeric grid column carries the key of a figure in queries.figuren.REGISTER."""

import dash
import dash_ag_grid as dag
import pytest
from dash.development.base_component import Component

from dashboard.components.exports import EXPORT_ROLES, EXPORTS
from queries.figuren import REGISTER
from queries.scope import Viewer
from tests.unit.dashboard.helpers import walk
from tests.unit.dashboard.test_woorden import VIEWERS

# Numeric grid columns that are no figure, each with why.
NOT_A_FIGURE = {
    # A measure's, a load's or a line's sequence number: an id, not a count.
    "interval": "volgnummer van een terugkerende termijn in zijn keten",
    "run_id": "nummer van een laadronde",
    "regel": "regelnummer in het bestand van de export",
    # Master data of one worker, as HR records it, not a figure over a scope.
    "fte": "fte van één medewerker volgens het personeelsbestand",
    # Countdowns from one date to the peildatum of one row: a date said as days.
    "werkdagen_tot": "werkdagen van de peildatum tot de termijn van één rij",
    "dagen_verlopen": "dagen sinds de verlopen termijn van één rij",
    "dagen_tot_einde": "dagen van de peildatum tot het geplande einde van één maatregel",
    "dagen_tot": "dagen tot de VOG of SKJ van één medewerker verloopt",
}
# Tiles that show a word or a date, never a number.
NOT_A_NUMBER = {
    "tegel-soort": "soort maatregel",
    "tegel-start": "startdatum",
    "tegel-einde-gepland": "geplande einddatum",
    "tegel-einde": "einddatum of 'Loopt nog'",
    "tegel-exportdatum": "datum van de export",
    "tegel-run": "nummer van de laatste laadronde",
    "tegel-vorig-gesprek": "datum van het vorige caseloadgesprek",
    "tegel-prognose": "maand waarin het CRT zijn doel haalt, of woorden als 'Doel bereikt'",
}
# A measure every demo viewer may open (held by jeugdzorgwerker 1001).
MAATREGEL = "M2025-0102"


def _pages():
    return [p for p in dash.page_registry.values() if p.get("roles")]


def _params(page: dict) -> dict:
    return {"maatregel": MAATREGEL} if page["path"] == "/maatregel" else {}


@pytest.fixture
def rendered(app, as_viewer):
    """Per (role, page path): the page's layout as that demo viewer sees it."""
    shown = {}
    for role in VIEWERS:
        for page in _pages():
            if role in page["roles"]:
                as_viewer(role, VIEWERS[role])
                shown[(role, page["path"])] = page["layout"](**_params(page))
    return shown


def _tiles(tree):
    for node in walk(tree):
        if isinstance(node, Component) and "kpi" in str(getattr(node, "className", "")).split():
            value = next(c for c in node.children if getattr(c, "className", "") == "kpi-value")
            yield getattr(node, "id", None), value


def _loose(columns: list[dict]) -> set[str]:
    """The fields of the numeric columns that are neither a figure nor allowed."""
    numeric = {c["field"] for c in columns if c.get("type") == "numericColumn"}
    return numeric - set(REGISTER) - set(NOT_A_FIGURE)


def test_every_tile_value_names_a_registered_figure(rendered):
    tiles, nameless = 0, set()
    for (_role, path), tree in rendered.items():
        for tile_id, value in _tiles(tree):
            tiles += 1
            if tile_id not in NOT_A_NUMBER and getattr(value, "data-figuur", None) not in REGISTER:
                nameless.add((path, tile_id))
    assert not nameless, "; ".join(map(str, sorted(nameless)))
    assert tiles > 20


def test_every_numeric_grid_column_is_a_registered_figure(rendered):
    grids, loose = 0, set()
    for tree in rendered.values():
        for node in walk(tree):
            if isinstance(node, dag.AgGrid):
                grids += 1
                loose |= {(node.id, f) for f in _loose(node.columnDefs)}
    assert not loose, "; ".join(map(str, sorted(loose)))
    assert grids > 5


def test_every_exported_numeric_column_is_a_registered_figure(app, as_viewer):
    """The grids' columns also when the sample leaves a grid empty, through their export."""
    loose = set()
    for table, build in EXPORTS.items():
        role = EXPORT_ROLES[table][-1]
        as_viewer(role, VIEWERS[role])
        _, columns = build(Viewer(role, VIEWERS[role]), {"maatregel": MAATREGEL})
        loose |= {(table, f) for f in _loose(columns)}
    assert not loose, "; ".join(map(str, sorted(loose)))


def test_the_allow_list_holds_no_figure():
    assert not set(NOT_A_FIGURE) & set(REGISTER)
