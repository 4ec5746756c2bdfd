"""The national demo at a hundredth of its size: a valid export with the country's shapes."""

import csv
import datetime as dt
import hashlib

import pytest
from sqlalchemy import text

from etl.demo import generate
from etl.demo.national import GIS
from etl.loader import load_source
from store.engine import make_engine

EXPORT = dt.date(2026, 3, 4)
SIZE = 0.01
SEED = 5


@pytest.fixture(scope="module")
def export_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("national-export")
    assert generate("national", SEED, out, size=SIZE) == EXPORT
    return out


@pytest.fixture(scope="module")
def db(export_dir, tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('national-db') / 'national.sqlite'}"
    result = load_source(export_dir, url, export_date=EXPORT, progress=False)
    assert result.rejected == []
    assert result.exit_code == 0
    engine = make_engine(url)
    yield engine
    engine.dispose()


def scalar(db, sql: str, **params):
    with db.connect() as conn:
        return conn.execute(text(sql), params).scalar_one()


def test_thirteen_gis_each_with_their_own_regions_and_teams(db):
    prefixes = scalar(
        db, "SELECT COUNT(DISTINCT substr(team_id, 1, instr(team_id, '-') - 1)) FROM teams"
    )
    assert prefixes == len(GIS) == 13
    regions = sum(len(gi[4]) for gi in GIS)
    assert scalar(db, "SELECT COUNT(DISTINCT regio) FROM teams") == regions
    shared = scalar(
        db,
        """SELECT COUNT(*) FROM (
             SELECT regio FROM teams GROUP BY regio
             HAVING COUNT(DISTINCT substr(team_id, 1, instr(team_id, '-') - 1)) > 1)""",
    )
    assert shared == 0


def test_volumes_scale_with_size(db):
    active = scalar(
        db,
        "SELECT COUNT(*) FROM maatregelen WHERE start <= :d AND (einde IS NULL OR einde > :d)",
        d=EXPORT,
    )
    total = scalar(db, "SELECT COUNT(*) FROM maatregelen")
    contacts = scalar(db, "SELECT COUNT(*) FROM contacten")
    assert active == pytest.approx(32_000 * SIZE, rel=0.2)
    assert total == pytest.approx(200_000 * SIZE, rel=0.2)
    assert contacts == pytest.approx(10_000_000 * SIZE, rel=0.25)
    assert scalar(db, "SELECT MIN(start) FROM maatregelen") < "2016-03-04"
    assert scalar(db, "SELECT MIN(einde) FROM maatregelen") >= "2016-03-04"


def test_every_active_measure_has_one_holder_and_caseloads_are_plausible(db):
    holders = scalar(
        db,
        """SELECT COUNT(*) FROM maatregelen m JOIN toewijzingen t ON t.maatregel_id = m.maatregel_id
           AND t.vanaf <= :d AND (t.tot IS NULL OR t.tot > :d)
           WHERE m.start <= :d AND (m.einde IS NULL OR m.einde > :d)""",
        d=EXPORT,
    )
    active = scalar(
        db,
        "SELECT COUNT(*) FROM maatregelen WHERE start <= :d AND (einde IS NULL OR einde > :d)",
        d=EXPORT,
    )
    assert holders == active
    held = scalar(
        db,
        """SELECT COUNT(*) FROM toewijzingen t JOIN teams tm ON tm.team_id = t.team_id
           WHERE tm.soort = 'regulier' AND t.tot IS NULL""",
    )
    fte = scalar(
        db,
        """SELECT SUM(w.fte) FROM medewerkers w JOIN teams tm ON tm.team_id = w.team_id
           WHERE tm.soort = 'regulier' AND w.uit_dienst IS NULL
             AND w.functie IN ('jeugdbeschermer', 'jeugdreclasseerder')""",
    )
    # At a hundredth of the size every team still has at least one whole person per kind, so
    # the ratio sits below the full-size one (about 13 per fte).
    assert 5 <= held / fte <= 16


def test_measures_are_held_and_seen_by_people_in_service(db):
    outside_toewijzing = scalar(
        db,
        """SELECT COUNT(*) FROM toewijzingen t JOIN medewerkers w
             ON w.medewerker_id = t.medewerker_id
           WHERE t.vanaf < w.in_dienst OR w.team_id <> t.team_id
              OR (w.uit_dienst IS NOT NULL AND (t.tot IS NULL OR t.tot > w.uit_dienst))""",
    )
    outside_contact = scalar(
        db,
        """SELECT COUNT(*) FROM contacten c JOIN medewerkers w ON w.medewerker_id = c.medewerker_id
           WHERE c.datum < w.in_dienst OR c.datum > w.uit_dienst""",
    )
    assert outside_toewijzing == outside_contact == 0


def test_crt_holds_jeugdbescherming_only(db):
    jr_in_crt = scalar(
        db,
        """SELECT COUNT(*) FROM toewijzingen t JOIN teams tm ON tm.team_id = t.team_id
           JOIN maatregelen m ON m.maatregel_id = t.maatregel_id
           WHERE tm.soort = 'CRT' AND m.soort = 'JR'""",
    )
    in_crt = scalar(
        db,
        """SELECT COUNT(*) FROM toewijzingen t JOIN teams tm ON tm.team_id = t.team_id
           WHERE tm.soort = 'CRT' AND t.rol = 'contactpersoon'""",
    )
    assert jr_in_crt == 0
    assert in_crt > 0


def test_events_have_realistic_shapes(db):
    mix = dict(
        (soort, n)
        for soort, n in _rows(db, "SELECT soort, COUNT(*) FROM maatregelen GROUP BY soort")
    )
    total = sum(mix.values())
    assert 0.45 <= mix["OTS"] / total <= 0.65
    assert 0.12 <= mix["JR"] / total <= 0.28
    first_plans = scalar(db, "SELECT COUNT(*) FROM plannen WHERE soort = 'eerste'")
    assert first_plans > 0.8 * total
    wrong_instrument = scalar(
        db,
        """SELECT COUNT(*) FROM risicotaxaties r JOIN maatregelen m
             ON m.maatregel_id = r.maatregel_id WHERE (m.soort = 'JR') <> (r.instrument = 'LIJ')""",
    )
    assert wrong_instrument == 0
    face_to_face = scalar(
        db, "SELECT AVG(CASE WHEN vorm = 'face-to-face' THEN 1.0 ELSE 0 END) FROM contacten"
    )
    assert 0.3 < face_to_face < 0.6
    assert scalar(db, "SELECT COUNT(*) FROM hulp WHERE gestart IS NULL") > 0
    assert scalar(db, "SELECT COUNT(*) FROM verzuim WHERE percentage < 100") > 0
    assert scalar(db, "SELECT COUNT(*) FROM caseloadgesprekken") > 0
    assert scalar(db, "SELECT MAX(maand) FROM formatie") == "2026-03"


def _rows(db, sql: str):
    with db.connect() as conn:
        return conn.execute(text(sql)).all()


def test_no_names_of_children_or_parents(export_dir):
    with (export_dir / "jeugdigen.csv").open(encoding="utf-8") as f:
        assert next(csv.reader(f)) == ["jeugdige_id", "geboortedatum", "gemeente", "gezin_id"]


def _digest(folder) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.csv"))
    }


def test_same_seed_same_bytes_other_seed_other_data(export_dir, tmp_path):
    generate("national", SEED, tmp_path / "again", size=SIZE)
    generate("national", SEED + 1, tmp_path / "other", size=SIZE)
    assert _digest(tmp_path / "again") == _digest(export_dir)
    assert _digest(tmp_path / "other")["contacten.csv"] != _digest(export_dir)["contacten.csv"]


def test_unknown_scale_is_refused(tmp_path):
    with pytest.raises(ValueError, match="onbekende schaal"):
        generate("provinciaal", 1, tmp_path)
