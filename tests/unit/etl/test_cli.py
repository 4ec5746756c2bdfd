"""`python -m etl`: load, migrate and demo, their Dutch output and exit codes."""

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa

import etl.demo
import queries.snapshot as snapshots
from etl.__main__ import main
from etl.migrations import head_revision
from queries.snapshot import FORMAAT, load_snapshot, write_frame
from store.schema import voorbereide_data
from tests.unit.etl.fixtures import SAMPLE, append, copy_sample, query, table_rows

REPO = Path(__file__).resolve().parents[3]


def _run(*args, cwd, env=None):
    env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "etl", *args], cwd=cwd, env=env, capture_output=True, text=True
    )


def test_load_prints_a_summary_and_exits_0(sqlite_url, tmp_path):
    done = _run(
        "load", str(SAMPLE), "--db", sqlite_url, "--export-date", "2025-11-01", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert re.search(r"^  contacten +4 rijen$", done.stdout, re.M)
    assert done.stdout.rstrip().endswith("Geslaagd (run 1): Alle 35 rijen geladen.")
    assert done.stderr == ""


def test_load_with_rejections_lists_every_row_and_exits_2(sqlite_url, tmp_path, capsys):
    source = copy_sample(tmp_path)
    append(source, "contacten", "K9,M2025-0101,1001,2025-09-05,fax,ouder,", "K10,M404,1001,,,,")
    code = main(["load", str(source), "--db", sqlite_url, "--export-date", "2025-11-01"])
    out = capsys.readouterr().out
    assert code == 2
    assert (
        "Afgewezen rijen (2):\n"
        "  contacten.csv regel 6, kolom vorm, waarde 'fax': onbekende code (toegestaan: "
        "face-to-face, telefonisch, video, app, mail, brief)\n"
        "  contacten.csv regel 7, kolom datum, waarde leeg: verplichte waarde ontbreekt\n"
    ) in out
    assert out.rstrip().endswith(
        "Gedeeltelijk geladen (run 1): 35 rijen geladen; 2 rijen afgewezen."
    )


def test_load_lists_values_left_out_apart_from_rejected_rows(sqlite_url, tmp_path, capsys):
    source = copy_sample(tmp_path)
    append(source, "medewerkers", "3001,Bo,jeugdbeschermer,GRN-A,1,2021-01-01,,,1099,,,")
    code = main(["load", str(source), "--db", sqlite_url, "--export-date", "2025-11-01"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Afgewezen rijen" not in out
    assert (
        "Weggelaten waarden (rij wel geladen) (1):\n"
        "  medewerkers.csv regel 6, kolom begeleider_id, waarde '1099': onbekende "
        "praktijkbegeleider: 1099 komt niet voor in medewerkers.csv; de medewerker is geladen "
        "zonder praktijkbegeleider\n"
    ) in out
    assert out.rstrip().endswith("Geslaagd (run 1): Alle 36 rijen geladen; 1 waarde weggelaten.")


def test_load_of_a_broken_export_exits_1(sqlite_url, tmp_path, capsys):
    source = copy_sample(tmp_path)
    (source / "teams.csv").write_text("")
    assert main(["load", str(source), "--db", sqlite_url, "--export-date", "2025-11-01"]) == 1
    assert capsys.readouterr().out.startswith(
        "Mislukt, er is niets veranderd (run 1): teams.csv is leeg"
    )


def test_voorbereiden_prepares_a_load_from_before_it_once(sqlite_url, capsys):
    assert main(["load", str(SAMPLE), "--db", sqlite_url, "--export-date", "2025-11-01"]) == 0
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(voorbereide_data.delete())
    capsys.readouterr()
    assert main(["voorbereiden", "--db", sqlite_url]) == 0
    assert re.fullmatch(
        r"Lading 1 is voorbereid voor het dashboard in [\d.]+ s \([\d.]+ MB\)\.\n",
        capsys.readouterr().out,
    )
    assert "termijnen/keten" in load_snapshot(engine).voorbereid
    assert main(["voorbereiden", "--db", sqlite_url]) == 0
    assert capsys.readouterr().out.startswith("De nieuwste lading is al voorbereid")


@pytest.mark.parametrize("command", ["voorbereiden", "migrate"])
def test_code_with_a_new_shape_prepares_the_latest_load_again(sqlite_url, command, capsys):
    assert main(["load", str(SAMPLE), "--db", sqlite_url, "--export-date", "2025-11-01"]) == 0
    engine = sa.create_engine(sqlite_url)
    old = {"formaat": [FORMAAT - 1], "config": ["x"], "contacten_voor": ["x"]}
    meta = voorbereide_data.c.naam == "meta"
    with engine.begin() as conn:
        conn.execute(
            voorbereide_data.update().where(meta).values(data=write_frame(pl.DataFrame(old)))
        )
    assert load_snapshot(engine).voorbereid == {}, "an older shape is read from the tables"
    capsys.readouterr()
    assert main([command, "--db", sqlite_url]) == 0
    assert "Lading 1 is voorbereid voor het dashboard" in capsys.readouterr().out
    with engine.connect() as conn:
        names = [n for (n,) in conn.execute(sa.select(voorbereide_data.c.naam))]
    assert len(names) == len(set(names)) and "meta" in names
    snapshots._cache.clear()  # a process that started after the update
    assert "termijnen/keten" in load_snapshot(engine).voorbereid


def test_export_date_defaults_to_today(sqlite_url, capsys):
    assert main(["load", str(SAMPLE), "--db", sqlite_url]) == 0
    assert query(sqlite_url, "etl_runs", "export_date") == [(dt.date.today(),)]


def test_database_comes_from_the_environment_without_db(sqlite_url, tmp_path, monkeypatch):
    monkeypatch.setenv("CASELOAD_DB_URL", sqlite_url)
    assert main(["load", str(SAMPLE), "--export-date", "2025-11-01"]) == 0
    assert len(table_rows(sqlite_url)["teams"]) == 3


@pytest.mark.parametrize("args", [["load"], ["load", "x", "--export-date", "1-11-2025"], []])
def test_wrong_command_line_exits_1(args, capsys):
    with pytest.raises(SystemExit) as stop:
        main(args)
    assert stop.value.code == 1
    assert "fout" in capsys.readouterr().err


def test_migrate_works_from_any_directory(db_url, tmp_path):
    done = _run("migrate", "--db", db_url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"is bijgewerkt tot schemaversie {head_revision()}" in done.stdout
    assert query(db_url, "etl_runs") == []
    again = _run("migrate", "--db", db_url, cwd=tmp_path)
    assert again.returncode == 0, again.stderr


def test_migrate_hides_the_password(pg_url, capsys):
    url = pg_url.replace("postgres@", "postgres:geheim@")
    assert main(["migrate", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "geheim" not in out and "***" in out


def test_migrate_of_an_unreachable_database_exits_1(capsys):
    assert main(["migrate", "--db", "postgresql://nobody@127.0.0.1:1/nergens"]) == 1
    assert "niet bereikbaar" in capsys.readouterr().err


def test_demo_generates_into_out_and_loads_it_with_its_export_date(
    sqlite_url, tmp_path, monkeypatch, capsys
):
    calls = []

    def generate(scale, seed, out):
        # Stands in for the generator (tested on its own): the wiring is what is tested here.
        calls.append((scale, seed, out))
        for path in SAMPLE.glob("*.csv"):
            shutil.copy(path, out / path.name)
        return dt.date(2025, 11, 1)

    monkeypatch.setattr(etl.demo, "generate", generate)
    out = tmp_path / "demo"
    assert main(["demo", "--db", sqlite_url, "--seed", "7", "--out", str(out)]) == 0
    assert calls == [("jbn", 7, out)]
    assert (out / "contacten.csv").exists()
    assert query(sqlite_url, "etl_runs", "export_date", "status") == [
        (dt.date(2025, 11, 1), "geslaagd")
    ]
    assert "Geslaagd (run 1)" in capsys.readouterr().out


def test_demo_without_out_leaves_no_export_behind(sqlite_url, monkeypatch, tmp_path):
    folders = []

    def generate(scale, seed, out):
        folders.append(out)
        for path in SAMPLE.glob("*.csv"):
            shutil.copy(path, out / path.name)
        return dt.date(2025, 11, 1)

    monkeypatch.setattr(etl.demo, "generate", generate)
    assert main(["demo", "--db", sqlite_url, "--scale", "national"]) == 0
    assert not folders[0].exists()
