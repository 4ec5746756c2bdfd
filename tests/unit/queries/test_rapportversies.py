"""The report as sent: MT vaststelt a Voortgangsrapportage, the app keeps it frozen through
later loads, a later version stands beside the previous one; no other role may vaststellen."""

import datetime as dt
import json
from datetime import date

import polars as pl
import pytest
import sqlalchemy as sa

from etl.loader import load_source
from queries.audit import audit_log
from queries.config import Config
from queries.figuren import figuur
from queries.gebruikers import Account
from queries.rapportage import SUMMARY_KEYS, progress_report, report_xlsx
from queries.rapportversies import (
    MAX_TOELICHTING,
    Rapport,
    VaststellingGeweigerd,
    bestand,
    frozen_summary,
    geldige_toelichting,
    samenvatting_van,
    vaststellen,
    vergelijk,
    vergelijking,
    versies,
    vorige,
)
from queries.scope import MANAGER, Viewer
from queries.snapshot import load_snapshot
from store.engine import make_engine
from store.schema import rapport_versies
from tests.unit.etl.fixtures import SAMPLE_EXPORT_DATE, copy_sample, replace_line

CONFIG = Config()
PEIL = date(2025, 10, 31)
SINCE = date(2025, 8, 1)
MT = Account("mt", "manager", None)
TM = Account("tm", "teammanager", "2001")
AT = dt.datetime(2025, 11, 3, 9, 0)
PDF = b"%PDF-1.4 rapport zoals verstuurd"
# The sample's voogdij measure, ended before the peildatum in the second export.
OPEN_VOOGDIJ = "M2025-0102,J000312,voogdij,,2025-06-10,2025-06-11,,"
ENDED_VOOGDIJ = "M2025-0102,J000312,voogdij,,2025-06-10,2025-06-11,,2025-10-01"


@pytest.fixture
def loaded(db_url, tmp_path):
    """The sample export loaded; yields (url, engine, folder of a second, changed export)."""
    assert load_source(copy_sample(tmp_path, "eerste"), db_url, SAMPLE_EXPORT_DATE).status == (
        "geslaagd"
    )
    changed = copy_sample(tmp_path, "tweede")
    replace_line(changed, "maatregelen", OPEN_VOOGDIJ, ENDED_VOOGDIJ)
    engine = make_engine(db_url)
    yield db_url, engine, changed
    engine.dispose()


def report_now(engine) -> tuple[Rapport, dict]:
    """The report on PEIL as the latest load has it, ready to vaststellen."""
    snap = load_snapshot(engine)
    report = progress_report(snap, MANAGER, PEIL, CONFIG, SINCE)
    xlsx = report_xlsx(snap, MANAGER, PEIL, CONFIG, SINCE, report=report)
    settings = {"peildatum": PEIL.isoformat(), "vanaf": SINCE.isoformat(), "cohort": None}
    summary = frozen_summary(report["Samenvatting"])
    return Rapport(PEIL, settings, summary, PDF, xlsx, snap.run_id), summary


def test_a_frozen_report_keeps_its_figures_and_files_after_a_load_that_changes_them(loaded):
    url, engine, changed = loaded
    rapport, before = report_now(engine)
    first = vaststellen(engine, MT, rapport, {"Samenvatting": "  Eerste versie.  "}, at=AT)
    assert load_source(changed, url, SAMPLE_EXPORT_DATE + dt.timedelta(days=1)).status == (
        "geslaagd"
    )
    _, after = report_now(engine)
    # The new load really moved figures, or this test would prove nothing.
    moved = [k for k in SUMMARY_KEYS if before[k] != after[k]]
    assert "actieve_maatregelen" in moved
    assert samenvatting_van(engine, MANAGER, first) == before
    assert bestand(engine, MANAGER, first, "pdf") == PDF
    assert bestand(engine, MANAGER, first, "xlsx") == rapport.xlsx
    kept = versies(engine, MANAGER).row(0, named=True)
    assert (kept["id"], kept["peildatum"], kept["vastgesteld_door"]) == (first, PEIL, "mt")
    assert kept["load_id"] == rapport.load_id
    assert json.loads(kept["toelichting"]) == {"Samenvatting": "Eerste versie."}
    assert json.loads(kept["instellingen"])["vanaf"] == SINCE.isoformat()
    frame, previous = vergelijking(engine, MANAGER, first)
    assert previous is None and frame["Waarde"].to_list() == [before[k] for k in SUMMARY_KEYS]
    assert frame["Vorige versie"].null_count() == frame.height


def test_a_later_version_stands_beside_the_previous_one_with_the_difference(loaded):
    url, engine, changed = loaded
    rapport, before = report_now(engine)
    first = vaststellen(engine, MT, rapport, {}, at=AT)
    load_source(changed, url, SAMPLE_EXPORT_DATE + dt.timedelta(days=1))
    later, after = report_now(engine)
    second = vaststellen(engine, MT, later, {"CCP en CRT": "Na de correctie."}, at=AT)
    assert vorige(engine, None, PEIL) == second and vorige(engine, second, PEIL) == first
    frame, previous = vergelijking(engine, MANAGER, second)
    assert previous == first
    rows = {r["kpi"]: r for r in frame.iter_rows(named=True)}
    for key in SUMMARY_KEYS:
        assert rows[key]["Waarde"] == after[key]
        assert rows[key]["Vorige versie"] == before[key]
        if after[key] is not None and before[key] is not None:
            assert rows[key]["Verschil"] == figuur(key).rond(after[key] - before[key])
    assert (
        rows["actieve_maatregelen"]["Verschil"]
        == after["actieve_maatregelen"] - before["actieve_maatregelen"]
        != 0
    )
    assert versies(engine, MANAGER)["id"].to_list() == [second, first]


def test_no_other_role_may_vaststellen_or_read_and_each_refusal_is_audited(loaded):
    _url, engine, _changed = loaded
    rapport, _ = report_now(engine)
    with pytest.raises(VaststellingGeweigerd, match="niet voor de rol teammanager"):
        vaststellen(engine, TM, rapport, {"Samenvatting": "Mag niet."}, at=AT)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(rapport_versies)).scalar() == 0
    kept = vaststellen(engine, MT, rapport, {}, at=AT)
    team = Viewer("teammanager", "2001")
    assert versies(engine, team).height == 0
    assert bestand(engine, team, kept, "pdf") is None
    assert samenvatting_van(engine, team, kept) == {}
    log = audit_log(engine, Viewer("beheerder"))
    refused = log.filter(pl.col("actie") == "geweigerd")
    rows = refused.select("gebruikersnaam", "onderwerp").rows()
    assert ("tm", f"voortgangsrapportage {PEIL}") in rows
    # The vaststelling, the list, the file and the figures: four refusals, all logged.
    assert refused.filter(pl.col("rol") == "teammanager").height == 4
    done = log.filter(pl.col("actie") == "vastgesteld")
    assert done.select("gebruikersnaam", "onderwerp").rows() == [
        ("mt", f"voortgangsrapportage {PEIL}")
    ]


def test_bad_input_is_refused_in_dutch_before_anything_is_written(loaded):
    _url, engine, _changed = loaded
    rapport, _ = report_now(engine)
    with pytest.raises(ValueError, match="onbekende sectie 'Bijlage'"):
        vaststellen(engine, MT, rapport, {"Bijlage": "x"}, at=AT)
    with pytest.raises(ValueError, match=f"ten hoogste {MAX_TOELICHTING}"):
        vaststellen(engine, MT, rapport, {"Verloop": "x" * (MAX_TOELICHTING + 1)}, at=AT)
    empty = Rapport(PEIL, {}, {}, b"", rapport.xlsx, None)
    with pytest.raises(ValueError, match="als PDF en als Excel"):
        vaststellen(engine, MT, empty, {}, at=AT)
    odd = Rapport(PEIL, {}, {"geen_cijfer": 1.0}, PDF, rapport.xlsx, None)
    with pytest.raises(ValueError, match="onbekende cijfers in de samenvatting: geen_cijfer"):
        vaststellen(engine, MT, odd, {}, at=AT)
    with pytest.raises(ValueError, match="onbekend bestand"):
        bestand(engine, MANAGER, 1, "docx")
    assert versies(engine, MANAGER).height == 0


def test_toelichting_is_trimmed_and_empty_sections_left_out():
    assert geldige_toelichting({"Samenvatting": " a ", "Verloop": "", "CCP en CRT": None}) == {
        "Samenvatting": "a"
    }


def test_vergelijk_rounds_the_difference_by_the_figures_decimals():
    now = {"gem_dagen_eerste_contact": 7.3, "actieve_maatregelen": 921.0}
    before = {"gem_dagen_eerste_contact": 15.1, "actieve_maatregelen": 902.0}
    rows = {r["kpi"]: r for r in vergelijk(now, before).iter_rows(named=True)}
    assert rows["gem_dagen_eerste_contact"]["Verschil"] == figuur("gem_dagen_eerste_contact").rond(
        7.3 - 15.1
    )
    assert rows["actieve_maatregelen"]["Verschil"] == 19
    assert rows["verloop_pct"]["Verschil"] is None
    assert vergelijk(now, None)["Vorige versie"].null_count() == len(SUMMARY_KEYS)
