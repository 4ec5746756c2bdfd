"""What a load prepares: stored in its transaction, the latest two kept, no figure moved."""

import dataclasses
from datetime import date
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa

from etl.loader import load_source
from queries import snapshot as snapshots
from queries.config import load_config
from queries.scope import MANAGER, Viewer
from queries.snapshot import load_snapshot
from queries.termijnen import termijnen, werklijst
from queries.voorbereiding import BEWAARD
from store.schema import voorbereide_data
from tests.ops import demo_export
from tests.vingerafdruk import fingerprints

RECORDED = Path(__file__).resolve().parents[2] / "vingerafdrukken"
# The peildata the fingerprints were recorded at, by the code before loads prepared anything.
DAYS = ("2026-03-04", "2025-09-30", "2024-12-15")


def _recorded(name: str) -> dict[tuple[str, str], str]:
    lines = (RECORDED / name).read_text().split("\n")
    return {(f, d): h for f, d, h in (line.split() for line in lines if line)}


def _now(snap) -> dict[tuple[str, str], str]:
    config = load_config()
    return {
        (figure, day): digest
        for day in DAYS
        for figure, digest in fingerprints(snap, date.fromisoformat(day), config).items()
    }


def _stored_runs(url: str) -> list[int]:
    with sa.create_engine(url).connect() as conn:
        query = sa.select(voorbereide_data.c.run_id).distinct().order_by(voorbereide_data.c.run_id)
        return list(conn.execute(query).scalars())


def _load(export, url: str):
    folder, day = export
    result = load_source(folder, url, export_date=day, force=True, demo=True, progress=False)
    assert result.status == "geslaagd", result.message
    return result


@pytest.fixture(autouse=True)
def _fresh_cache():
    snapshots._cache.clear()
    yield
    snapshots._cache.clear()


def test_the_jbn_figures_are_those_before_loads_prepared(jbn_export, db_url):
    _load(jbn_export, db_url)
    snap = load_snapshot(sa.create_engine(db_url))
    assert "termijnen/keten" in snap.voorbereid
    assert _now(snap) == _recorded("jbn.txt")


def test_read_from_the_tables_the_figures_are_the_same(jbn_export, sqlite_url):
    _load(jbn_export, sqlite_url)
    with sa.create_engine(sqlite_url).begin() as conn:
        conn.execute(voorbereide_data.delete())
    snap = load_snapshot(sa.create_engine(sqlite_url))
    assert not snap.voorbereid and snap.contacten_voor is None
    assert _now(snap) == _recorded("jbn.txt")


def test_a_small_country_keeps_its_figures(tmp_path_factory, sqlite_url):
    export = demo_export(tmp_path_factory.getbasetemp() / "exports", "national", 0.02)
    _load(export, sqlite_url)
    assert _now(load_snapshot(sa.create_engine(sqlite_url))) == _recorded("national-0.02.txt")


def test_the_latest_loads_keep_their_prepared_data(jbn_export, sqlite_url):
    loads = [_load(jbn_export, sqlite_url) for _ in range(BEWAARD + 1)]
    assert _stored_runs(sqlite_url) == [r.run_id for r in loads[-BEWAARD:]]
    assert all(r.voorbereid_bytes > 0 for r in loads)


def test_a_refused_load_stores_nothing(jbn_export, sqlite_url, tmp_path):
    _load(jbn_export, sqlite_url)
    before = _stored_runs(sqlite_url)
    small = tmp_path / "klein"
    small.mkdir()
    for path in Path(jbn_export[0]).iterdir():
        if path.suffix == ".csv":
            lines = path.read_text(encoding="utf-8").splitlines()[:3]
            (small / path.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    refused = load_source(small, sqlite_url, export_date=jbn_export[1], progress=False)
    assert refused.status == "mislukt"
    assert _stored_runs(sqlite_url) == before


def test_other_norms_read_every_contact(jbn_export, db_url):
    _load(jbn_export, db_url)
    engine = sa.create_engine(db_url)
    prepared = load_snapshot(engine)
    raw = snapshots.read_tables(engine)
    other = dataclasses.replace(load_config(), eerste_contact_vormen=("telefonisch",))
    assert prepared["contacten"].height < raw["contacten"].height
    day = jbn_export[1]
    ours = termijnen(prepared, MANAGER, day, other)
    assert ours.equals(termijnen(raw, MANAGER, day, other))
    assert not ours.equals(termijnen(raw, MANAGER, day, load_config()))


def test_a_worklist_reads_no_contact(jbn_export, sqlite_url):
    _load(jbn_export, sqlite_url)
    snap = load_snapshot(sa.create_engine(sqlite_url))
    worker = snap["toewijzingen"].filter(pl.col("rol") == "jeugdzorgwerker")["medewerker_id"][0]
    werklijst(snap, Viewer("jeugdzorgwerker", worker), jbn_export[1], load_config())
    assert "contacten" not in snap.tables._frames


def test_a_trend_on_the_export_day_reads_the_prepared_months(jbn_export, sqlite_url, monkeypatch):
    from queries import kpis
    from queries.rapportage import TREND_MONTHS, organisation_trend

    _load(jbn_export, sqlite_url)
    snap = load_snapshot(sa.create_engine(sqlite_url))
    computed = []
    real = kpis._month_stock
    monkeypatch.setattr(kpis, "_month_stock", lambda *a: computed.append(a[2]) or real(*a))
    organisation_trend(snap, MANAGER, jbn_export[1], load_config(), months=TREND_MONTHS)
    assert computed == [jbn_export[1]]
    stored = snap.voorbereid[kpis.MAANDSTANDEN]
    assert stored["peildatum"].n_unique() == kpis.VOORBEREIDE_MAANDEN


def test_a_load_runs_the_deadline_engine_once(jbn_export, sqlite_url, monkeypatch):
    from queries import termijnen as engine

    runs = []
    real = engine._prepare
    monkeypatch.setattr(engine, "_prepare", lambda *a: runs.append(1) or real(*a))
    _load(jbn_export, sqlite_url)
    assert len(runs) == 1
