"""Team: the workers a viewer may see side by side, each a link deeper."""

import polars as pl
import pytest

from dashboard import data
from queries.caseload import caseload
from queries.scope import Viewer
from tests.unit.dashboard.conftest import EXPORT_DATE
from tests.unit.dashboard.helpers import figuur_value

PB = Viewer("praktijkbegeleider", "2001")


@pytest.fixture
def team(app):
    from dashboard.pages import team

    return team


def snap():
    return data.snapshot()


def test_team_lists_visible_workers_with_drill_down_links(team, as_viewer):
    as_viewer("praktijkbegeleider", "2001")
    df, columns = team.team_table(PB, {"peildatum": "2025-11-01"})
    expected = caseload(snap(), PB, EXPORT_DATE, data.config())
    assert sorted(df["medewerker_id"]) == sorted(expected["medewerker_id"])
    sanne = df.filter(pl.col("medewerker_id") == "1001").row(0, named=True)
    assert sanne["naam_href"] == "/caseloadgesprek?medewerker=1001&peildatum=2025-11-01"
    assert sanne["verlopen"] == 2
    only_drenthe, _ = team.team_table(PB, {"regio": "Drenthe"})
    assert only_drenthe["medewerker_id"].to_list() == ["1002"]


def test_team_drills_into_the_worklist_for_roles_without_caseload_talks(team, as_viewer):
    viewer = Viewer("gedragswetenschapper", "1001")
    as_viewer(viewer.role, viewer.medewerker_id)
    df, _ = team.team_table(viewer, {})
    assert all(link.startswith("/mijn-caseload?") for link in df["naam_href"])


def test_team_shows_who_saw_their_jeugdigen(team, as_viewer):
    as_viewer("praktijkbegeleider", "2001")
    page = team.layout()
    # Sanne holds M2025-0101 and M2025-0102, Jan M2025-0103: none seen since 20 September.
    df, columns = team.zicht_table(PB, {})
    got = {
        r["medewerker_id"]: (r["actief"], r["gezien"], r["gezien_6w_pct"])
        for r in df.rows(named=True)
    }
    assert got == {"1001": (2, 0, 0.0), "1002": (1, 0, 0.0)}
    assert "gezien_6w_pct" in [c["field"] for c in columns]
    assert figuur_value(page, "gezien_6w_pct") == "0,0%"
    assert figuur_value(page, "niet_gezien_6w") == "3"
    drenthe = team.layout(team="DRE-A")
    assert figuur_value(drenthe, "niet_gezien_6w") == "1"
    only, _ = team.zicht_table(PB, {"team": "DRE-A"})
    assert only["medewerker_id"].to_list() == ["1002"]
