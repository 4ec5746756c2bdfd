"""What the pages say: labels instead of the export's codes, Dutch words, one unit per
countdown column, and a worker's page titled with whose caseload it shows."""

import re

import dash
import dash_ag_grid as dag
import polars as pl
import pytest

from dashboard import rows
from dashboard.components import widgets as w
from dashboard.components.theme import THEME
from dashboard.context import caseload_title
from queries.scope import Viewer
from tests.unit.dashboard.helpers import find, text, walk

# The demo viewers of the sample database: every page is rendered for each that may open it.
VIEWERS = {
    "jeugdzorgwerker": "1001",
    "praktijkbegeleider": "2001",
    "teammanager": "2001",
    "manager": None,
    "beheerder": None,
}
# Codes of the export and of the load that a user must never read in a cell; the label dicts
# map some codes to themselves (OTS, CCP), those are words already.
CODES = {
    code
    for labels in (
        w.SOORT_LABELS,
        w.NORM_LABELS,
        w.TEAM_SOORT_LABELS,
        w.FUNCTIE_LABELS,
        w.DIENSTVERBAND_LABELS,
        w.ROLE_LABELS,
        {key: spec["label"] for key, spec in THEME["status"].items()},
    )
    for code, label in labels.items()
    if code != label
} | {"GRN-A", "DRE-A"}
ENGLISH = re.compile(
    r"\b(load|loads|run|runs|upload|uploaded|status: ok|error|failed|export run)\b"
)


def _pages():
    return [p for p in dash.page_registry.values() if p.get("roles")]


def _page(path: str) -> dict:
    return next(p for p in _pages() if p["path"] == path)


def _rendered(as_viewer, role: str, page: dict):
    as_viewer(role, VIEWERS[role])
    return page["layout"]()


def _shown_cells(grid: dag.AgGrid) -> list:
    fields = [c["field"] for c in grid.columnDefs]
    return [row.get(f) for row in grid.rowData for f in fields]


@pytest.fixture
def rendered(app, as_viewer):
    """Per (role, page path): the page's layout as that demo viewer sees it."""
    return {
        (role, page["path"]): _rendered(as_viewer, role, page)
        for role in VIEWERS
        for page in _pages()
        if role in page["roles"]
    }


def test_no_grid_shows_a_code(rendered):
    grids = 0
    for (role, path), tree in rendered.items():
        for node in walk(tree):
            if isinstance(node, dag.AgGrid):
                grids += 1
                shown = {v for v in _shown_cells(node) if isinstance(v, str)}
                assert not shown & CODES, (role, path, node.id, shown & CODES)
    assert grids > 5


def test_no_page_says_an_english_word(rendered):
    for (role, path), tree in rendered.items():
        words = [text(tree)]
        for node in walk(tree):
            if isinstance(node, dag.AgGrid):
                words += [c["headerName"] for c in node.columnDefs]
                words += [str(c.get("headerTooltip", "")) for c in node.columnDefs]
            if getattr(node, "options", None) and isinstance(node.options, list):
                words += [str(o.get("label", "")) for o in node.options if isinstance(o, dict)]
        found = ENGLISH.findall(" ".join(words).lower())
        assert not found, (role, path, found)


def test_the_team_grid_names_functions_and_the_organisation_names_teams(rendered):
    team = find(rendered[("teammanager", "/team")], "team-medewerkers")
    assert {r["functie"] for r in team.rowData} <= set(w.FUNCTIE_LABELS.values())
    teams = find(rendered[("manager", "/organisatie")], "organisatie-organisatie_teams")
    assert {r["team_naam"] for r in teams.rowData} <= {"Team Stad", "Team Zuid", "Casus Regie Team"}
    assert {r["team_soort"] for r in teams.rowData} <= set(w.TEAM_SOORT_LABELS.values())


def test_the_audit_log_names_roles(app):
    from dashboard.pages import audit

    df = pl.DataFrame({"rol": ["praktijkbegeleider", "beheerder", None]})
    grid = w.data_grid("g", df, audit.COLUMNS, "leeg")
    assert [r["rol"] for r in grid.rowData] == ["Praktijkbegeleider", "Functioneel beheerder", None]


def test_every_countdown_column_is_a_number_in_one_unit():
    countdowns = [
        c for c in rows.DEADLINE_COLUMNS if c["field"] in ("werkdagen_tot", "dagen_verlopen")
    ]
    assert [c["headerName"] for c in countdowns] == ["Werkdagen tot de termijn", "Dagen verlopen"]
    assert all(c["type"] == "numericColumn" for c in countdowns)
    assert not [c for c in rows.DEADLINE_COLUMNS if c["field"] == "aftellen"]


def test_a_workers_own_page_is_mijn_caseload(app, as_viewer):
    as_viewer("jeugdzorgwerker", "1001")
    assert caseload_title(Viewer("jeugdzorgwerker", "1001"), {}) == "Mijn caseload"
    page = _page("/mijn-caseload")["layout"]()
    assert find(page, "mijn-caseload-titel").children == "Mijn caseload"


def test_a_workers_page_opened_by_another_carries_the_workers_name(app, as_viewer):
    as_viewer("praktijkbegeleider", "2001")
    pb = Viewer("praktijkbegeleider", "2001")
    assert caseload_title(pb, {"medewerker": "1002"}) == "Caseload van Youssef El Amrani"
    page = _page("/mijn-caseload")["layout"](medewerker="1001")
    assert find(page, "mijn-caseload-titel").children == "Caseload van Sanne Koster"
    # Picking another worker in the slicer renames the page with the body.
    from dashboard.pages import mijn_caseload

    *_, title = mijn_caseload.STATE.from_controls(pb, ["2025-11-01", "1002", None], {})
    assert title == "Caseload van Youssef El Amrani"
