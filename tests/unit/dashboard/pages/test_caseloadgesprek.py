"""Caseloadgesprek: one worker's load, overdue deadlines, contacts and the previous talk."""

from datetime import date

import polars as pl
import pytest

from dashboard import data
from queries.caseload import maatregelen_van
from queries.gesprekken import vorige_gesprek
from queries.scope import Viewer
from queries.termijnen import werklijst
from tests.unit.dashboard.conftest import EXPORT_DATE
from tests.unit.dashboard.helpers import find, tile_value

PB = Viewer("praktijkbegeleider", "2001")


@pytest.fixture
def gesprek(app):
    from dashboard.pages import caseloadgesprek

    return caseloadgesprek


def snap():
    return data.snapshot()


def test_caseloadgesprek_sections(gesprek, as_viewer):
    as_viewer("praktijkbegeleider", "2001")
    params = {"medewerker": "1001", "weken": "6"}
    page = gesprek.layout(**params)
    assert find(page, "gesprek-medewerker").value == "1001"
    assert tile_value(page, "tegel-vorig-gesprek") == "03-07-2025"
    unseen, _ = gesprek.niet_gezien_table(PB, params)
    mine = maatregelen_van(snap(), PB, EXPORT_DATE, data.config(), "1001")
    days = pl.col("dagen_sinds_gezien")
    assert unseen.height == mine.filter(days.is_null() | (days >= 42)).height > 0
    fewer, _ = gesprek.niet_gezien_table(PB, params | {"weken": "52"})
    assert fewer.height == mine.filter(days.is_null() | (days >= 7 * 52)).height
    # Two contacts since June meet the count, but the three-monthly contact is overdue.
    voogdij, _ = gesprek.voogdij_table(PB, params)
    assert voogdij.select("maatregel_id", "contacten_jaar", "status").rows() == [
        ("M2025-0102", 2, "verlopen")
    ]
    attention, _ = gesprek.attention_table(PB, params)
    assert set(attention["status"]) <= {"verlopen", "open"}


def test_caseloadgesprek_asks_for_the_worklist_once_per_render(gesprek, as_viewer, monkeypatch):
    as_viewer("praktijkbegeleider", "2001")
    calls = []

    def counted(*args, **kwargs):
        calls.append(kwargs)
        return werklijst(*args, **kwargs)

    monkeypatch.setattr(gesprek, "werklijst", counted)
    page = gesprek.layout(medewerker="1001")
    assert find(page, "gesprek-medewerker").value == "1001"
    assert calls == [{"medewerker_id": "1001"}]


def test_previous_caseloadgesprek_is_point_in_time(gesprek):
    talks = snap()["caseloadgesprekken"].filter(pl.col("medewerker_id") == "1002")
    first = talks["datum"].min()
    assert vorige_gesprek(snap(), data.gesprekken(), "1002", first) == first
    assert vorige_gesprek(snap(), data.gesprekken(), "1002", date(2000, 1, 1)) is None
