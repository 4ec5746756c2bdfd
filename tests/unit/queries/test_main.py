import csv
import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from etl.loader import load_source
from queries.config import Config
from queries.scope import MANAGER
from queries.termijnen import termijnen
from tests.frames import SAMPLE_EXPORT, sample_snapshot

ROOT = Path(__file__).resolve().parents[3]
EXPORT_DATE = date(2025, 11, 1)


def load_sample(url: str) -> str:
    result = load_source(SAMPLE_EXPORT, url, export_date=EXPORT_DATE, progress=False)
    assert result.exit_code == 0
    return url


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> str:
    return load_sample(f"sqlite:///{tmp_path_factory.mktemp('cli') / 'sample.sqlite'}")


def cli(*args: str, ok: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, "-m", "queries", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    if ok:
        assert proc.returncode == 0, proc.stderr
    return proc


def expected_csv(as_of: date) -> str:
    dl = termijnen(sample_snapshot(EXPORT_DATE), MANAGER, as_of, Config())
    return dl.select("maatregel_id", "norm", "deadline", "status", "voldaan_op").write_csv()


def test_deadlines_csv(sample_db):
    out = cli("deadlines", "--as-of", "2025-11-01", "--db", sample_db).stdout
    lines = out.splitlines()
    assert lines[0] == "maatregel_id,norm,deadline,status,voldaan_op"
    assert len(lines) == 16
    assert "M2025-0102,eerste_contact,2025-06-18,te_laat,2025-07-02" in lines
    assert "M2025-0101,hulp_gestart,2025-12-01,open," in lines
    assert out == expected_csv(date(2025, 11, 1))


def test_deadlines_give_the_lij_its_six_month_term(sample_db):
    lines = cli("deadlines", "--as-of", "2025-11-01", "--db", sample_db).stdout.splitlines()
    # M2025-0103 (JR): LIJ on 22 Aug 2025 + 6 months = Sun 22 Feb 2026 -> Mon 23 Feb; the ARIJ
    # of M2025-0101 (OTS) on 10 Sep keeps its 3 months: Wed 10 Dec.
    assert "M2025-0103,risicotaxatie,2026-02-23,open," in lines
    assert "M2025-0101,risicotaxatie,2025-12-10,open," in lines


def test_deadlines_on_postgresql(pg_url):
    out = cli("deadlines", "--as-of", "2025-11-01", "--db", load_sample(pg_url)).stdout
    assert out == expected_csv(date(2025, 11, 1))


def test_deadlines_default_as_of_is_the_export_date_and_json(sample_db):
    out = cli("deadlines", "--db", sample_db, "--format", "json").stdout
    rows = json.loads(out)
    assert list(rows[0]) == ["maatregel_id", "norm", "deadline", "status", "voldaan_op"]
    as_csv = pl.DataFrame(rows).write_csv()
    assert as_csv == expected_csv(EXPORT_DATE)


def test_deadlines_as_user_in_their_scope(sample_db):
    out = cli("deadlines", "--db", sample_db, "--as-user", "1002").stdout
    ids = {row["maatregel_id"] for row in csv.DictReader(io.StringIO(out))}
    assert ids == {"M2025-0103"}
    out = cli("deadlines", "--db", sample_db, "--as-user", "2001").stdout
    ids = {row["maatregel_id"] for row in csv.DictReader(io.StringIO(out))}
    assert ids == {"M2025-0101", "M2025-0102", "M2025-0103"}


def test_staff_deadlines(sample_db):
    out = cli("staff-deadlines", "--as-of", "2025-11-01", "--db", sample_db).stdout
    lines = out.splitlines()
    assert lines[0] == "medewerker_id,norm,deadline,status,voldaan_op"
    assert "1003,skj,2027-01-10,open," in lines
    assert "2001,vog,2025-04-01,verlopen," in lines
    assert len(lines) == 12
    mine = cli("staff-deadlines", "--db", sample_db, "--as-user", "1001").stdout
    assert {r["medewerker_id"] for r in csv.DictReader(io.StringIO(mine))} == {"1001"}


def test_kpis_json(sample_db):
    out = cli(
        "kpis", "--as-of", "2025-10-31", "--since", "2025-08-01", "--start-month", "2025-09",
        "--db", sample_db, "--format", "json",
    ).stdout  # fmt: skip
    got = json.loads(out)
    assert got["actieve_maatregelen"] == 3
    assert got["plan_tijdig_pct"] == 66.7
    assert got["plan_tijdig_pct_cohort"] == 100.0
    assert got["eerste_contact_tijdig_pct"] == 100.0
    assert got["gem_dagen_eerste_contact"] == 3.0
    # October, in calendar days: 8 absent fte-days of 114.39 (see test_kpis).
    assert got["verzuim_pct"] == 7.0
    assert (got["eerste_contact_maand"], got["eerste_contact_lopend"]) == ("2025-09", False)
    crt = json.loads(cli("kpis", "--as-of", "2025-09-30", "--db", sample_db).stdout)
    # Without --since the cohort starts on norms.toml's cohort_vanaf, 1 July 2025.
    assert (crt["crt"], crt["vaste_jzw"], crt["plan_tijdig_pct_cohort"]) == (1, 2, 100.0)
    # Without --start-month: the latest start month not lopend, September (M0101, contact
    # on 5 September, within its deadline of 9 September).
    assert (crt["eerste_contact_maand"], crt["eerste_contact_lopend"]) == ("2025-09", False)
    early = json.loads(cli("kpis", "--as-of", "2025-09-04", "--db", sample_db).stdout)
    # On 4 September M0101's deadline is still open: August heads the figures.
    assert (early["eerste_contact_maand"], early["eerste_contact_lopend"]) == ("2025-08", False)
    asked = cli("kpis", "--as-of", "2025-09-04", "--start-month", "2025-09", "--db", sample_db)
    got = json.loads(asked.stdout)
    assert (got["eerste_contact_maand"], got["eerste_contact_lopend"]) == ("2025-09", True)


def test_proposals_csv_and_json(sample_db):
    out = cli("proposals", "--as-of", "2025-09-30", "--db", sample_db).stdout
    # On 30 September M2025-0102 is in the CRT; 1001 (0.89 fte, norm 10.68) holds one measure:
    # room 9.68, 8.68 after, shown at the figure's one decimal.
    assert out.splitlines() == [
        "maatregel_id,van_medewerker_id,naar_medewerker_id,naar_team_id,reden,ruimte_na",
        'M2025-0102,1003,1001,GRN-A,"meeste ruimte in regio Groningen (9,7)",8.7',
    ]
    # 1002, the only jeugdreclasseerder, is ill from 15 September: nobody can stand in for
    # M2025-0103, listed with an empty receiver and the reason.
    waarnemer = cli(
        "proposals", "--as-of", "2025-09-30", "--kind", "uitval", "--db", sample_db,
        "--format", "json",
    ).stdout  # fmt: skip
    assert json.loads(waarnemer) == [
        {
            "maatregel_id": "M2025-0103",
            "van_medewerker_id": "1002",
            "naar_medewerker_id": None,
            "naar_team_id": None,
            "reden": "geen beschikbare jeugdreclasseerder in regio Drenthe",
            "ruimte_na": None,
        }
    ]
    # A jeugdzorgwerker plans nothing; an unknown kind is refused.
    mine = cli("proposals", "--as-of", "2025-09-30", "--as-user", "1001", "--db", sample_db)
    assert mine.stdout.splitlines() == [
        "maatregel_id,van_medewerker_id,naar_medewerker_id,naar_team_id,reden,ruimte_na"
    ]
    assert cli("proposals", "--kind", "alles", "--db", sample_db, ok=False).returncode == 2


def test_unknown_user_and_bad_arguments(sample_db):
    proc = cli("kpis", "--db", sample_db, "--as-user", "9999", ok=False)
    assert proc.returncode == 1
    assert "Medewerker '9999' bestaat niet" in proc.stderr
    proc = cli("deadlines", "--db", sample_db, "--as-of", "1-11-2025", ok=False)
    assert proc.returncode == 2
    assert "geen datum" in proc.stderr


def test_empty_database_says_so(tmp_path):
    proc = cli("deadlines", "--db", f"sqlite:///{tmp_path / 'leeg.sqlite'}", ok=False)
    assert proc.returncode == 1
    assert "database" in proc.stderr
    assert "Traceback" not in proc.stderr
