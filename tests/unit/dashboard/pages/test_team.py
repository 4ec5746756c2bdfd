"""Team: the workers a viewer may see side by side, each a link deeper."""

import polars as pl
import pytest

from dashboard import data
from queries.caseload import caseload
from queries.figuren import REGISTER, waarde
from queries.figuur import Filters
from queries.persoonsnormen import persoonstermijnen
from queries.scope import Viewer
from queries.tijdigheid import timeliness
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
    # M2025-0102's risicotaxatie (due 23 Jul) and voogdij contact (due 2 Oct) have passed.
    assert sanne["verlopen_termijnen"] == 2
    only_drenthe, _ = team.team_table(PB, {"regio": "Drenthe"})
    assert only_drenthe["medewerker_id"].to_list() == ["1002"]


def test_team_drills_into_the_worklist_for_roles_without_caseload_talks(team, as_viewer):
    viewer = Viewer("gedragswetenschapper", "1001")
    as_viewer(viewer.role, viewer.medewerker_id)
    df, _ = team.team_table(viewer, {})
    assert all(link.startswith("/mijn-caseload?") for link in df["naam_href"])


def test_team_timeliness_is_attributed_to_the_holder_on_the_deadline_day(team, as_viewer):
    as_viewer("praktijkbegeleider", "2001")
    df, columns = team.team_table(PB, {"peildatum": "2025-11-01"})
    rows = {r["medewerker_id"]: r for r in df.iter_rows(named=True)}
    # Sanne (1001) holds M2025-0101 and, since 1 Oct, M2025-0102; the CRT's Petra (1003) held
    # M2025-0102 when its first contact (due 18 Jun, made 2 Jul) and its plan were due.
    sanne, petra = rows["1001"], rows["1003"]
    assert (sanne["eerste_contact_tijdig_pct_houder"], sanne["plan_tijdig_pct_houder"]) == (
        100.0,
        100.0,
    )
    assert (petra["eerste_contact_tijdig_pct_houder"], petra["plan_tijdig_pct_houder"]) == (
        0.0,
        0.0,
    )
    # By the current holder Sanne would carry M2025-0102's late first contact as well.
    current = timeliness(snap(), PB, EXPORT_DATE, data.config(), by="medewerker_id")
    assert (
        current.filter(pl.col("medewerker_id") == "1001")["eerste_contact_tijdig_pct"].item()
        == 50.0
    )
    for key in (
        "eerste_contact_tijdig_pct_houder",
        "plan_tijdig_pct_houder",
        "rt_termijn_tijdig_pct_houder",
        "verlopen_termijnen",
    ):
        expected = waarde(
            key, snap(), PB, EXPORT_DATE, data.config(), Filters(medewerker_id="1001")
        )
        assert sanne[key] == expected
    # The grid's fields are the figures' keys, and the headers say which figure they are.
    by_field = {c["field"]: c for c in columns}
    attributed = [f for f in by_field if f.endswith("_houder")]
    assert attributed and all(f in REGISTER for f in attributed)
    for field in attributed:
        assert "toegerekend op de termijndag, 12 maanden" in by_field[field]["headerTooltip"]
    assert by_field["risicotaxatie_actueel_pct"]["headerName"] == "RT actueel (inspectie)"
    assert "binnen 5 werkdagen" in by_field["binnenkort_termijnen"]["headerTooltip"]


def test_team_shows_who_saw_their_jeugdigen(team, as_viewer):
    as_viewer("praktijkbegeleider", "2001")
    page = team.layout()
    # Sanne holds M2025-0101 and M2025-0102, Jan M2025-0103: none seen since 20 September.
    df, columns = team.zicht_table(PB, {})
    got = {
        r["medewerker_id"]: (r["actieve_maatregelen"], r["jeugdige_gezien_6w"], r["gezien_6w_pct"])
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


def test_team_lists_who_is_due_a_caseloadgesprek_with_the_days_since_the_last(team, as_viewer):
    as_viewer("praktijkbegeleider", "2001")
    params = {"peildatum": "2025-11-01"}
    due, _ = team.gesprek_nodig_table(PB, params)
    norm = persoonstermijnen(snap(), PB, EXPORT_DATE, data.config())
    late = norm.filter((pl.col("norm") == "caseloadgesprek") & (pl.col("status") == "verlopen"))
    assert sorted(due["medewerker_id"]) == sorted(late["medewerker_id"]) != []
    talks = snap()["caseloadgesprekken"].group_by("medewerker_id").agg(pl.col("datum").max())
    last = dict(talks.rows())
    df, columns = team.team_table(PB, params)
    for row in df.iter_rows(named=True):
        talk = last.get(row["medewerker_id"])
        expected = None if talk is None else (EXPORT_DATE - talk).days
        assert row["dagen_sinds_gesprek"] == expected
    assert "dagen_sinds_gesprek" in [c["field"] for c in columns]
    first = due.row(0, named=True)
    mid = first["medewerker_id"]
    assert first["naam_href"] == f"/caseloadgesprek?medewerker={mid}&peildatum=2025-11-01"
