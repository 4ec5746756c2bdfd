"""The report-as-sent controls on the Voortgangsrapportage, before and after a vaststelling
(the whole round on the JBN demo is in pages/test_afdrukken.py)."""

import datetime as dt
import json
import shutil

from dashboard import data
from dashboard.rapportversies import (
    notes_text,
    vaststel_section,
    version_id,
    versions_section,
)
from queries.gebruikers import Account
from queries.rapportversies import SECTIES, Rapport, vaststellen
from queries.scope import MANAGER, Viewer
from tests.unit.dashboard.helpers import find, text

TITLES = {key: f"Sectie {key}" for key in SECTIES}


def test_a_chosen_version_is_a_number_or_nothing():
    assert version_id(3) == 3 and version_id("12") == 12
    assert version_id(None) is None and version_id("1; DROP TABLE") is None
    assert version_id([1]) is None


def test_the_toelichting_reads_per_section_under_its_title():
    raw = json.dumps({"Samenvatting": "Kort.", "Verloop": "Twee weg."})
    assert notes_text(raw, TITLES) == "Sectie Samenvatting: Kort. · Sectie Verloop: Twee weg."
    assert notes_text("{}", TITLES) == "–"


def test_a_textarea_per_section_each_with_its_label():
    section = vaststel_section("voortgang", TITLES)
    for i, key in enumerate(SECTIES):
        assert find(section, f"voortgang-toelichting-{i}") is not None
        assert f"Sectie {key}" in text(section)
    assert "geen namen van kinderen of ouders" in text(section)


def test_the_list_is_empty_until_mt_vaststelt_and_then_holds_the_version(sample_url, tmp_path):
    # A copy: the version written here must not show up in the other tests' sample.
    copy = tmp_path / "sample.sqlite"
    shutil.copy(sample_url.removeprefix("sqlite:///"), copy)
    data.configure(f"sqlite:///{copy}")
    before = versions_section("voortgang", MANAGER, TITLES)
    assert "Nog geen versie vastgesteld" in text(before)
    assert find(before, "voortgang-versie-pdf").disabled
    report = Rapport(dt.date(2025, 10, 31), {}, {"actieve_maatregelen": 3.0}, b"%PDF", b"x", 1)
    versie = vaststellen(data.engine(), Account("mt", "manager", None), report,
                         {"Verloop": "Stabiel."})  # fmt: skip
    after = versions_section("voortgang", MANAGER, TITLES)
    rows = find(after, "voortgang-versies-tabel").rowData
    assert [(r["versie"], r["vastgesteld_door"], r["toelichting"]) for r in rows][0] == (
        str(versie),
        "mt",
        "Sectie Verloop: Stabiel.",
    )
    assert not find(after, "voortgang-versie-pdf").disabled
    assert find(after, "voortgang-versie").value == versie
    # Another role sees no version, whatever the page asks.
    assert "Nog geen versie vastgesteld" in text(
        versions_section("voortgang", Viewer("teammanager", "2001"), TITLES)
    )
