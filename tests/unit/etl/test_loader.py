"""Loading exports: full snapshots, every kind of bad input, locking, and a property test."""

import datetime as dt
import json
import re
import tempfile
import threading
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl import loader
from etl.loader import load_source
from etl.migrations import current_revision, head_revision
from queries.besluiten import beslis, read_besluiten
from queries.gebruikers import Account
from queries.snapshot import load_snapshot
from store.engine import make_engine
from tests.unit.etl.fixtures import (
    SAMPLE,
    SAMPLE_COUNTS,
    SAMPLE_EXPORT_DATE,
    append,
    copy_sample,
    query,
    replace_line,
    table_rows,
)


def _load(source: Path, url: str, export_date: dt.date = SAMPLE_EXPORT_DATE, **kw):
    return load_source(source, url, export_date=export_date, progress=False, **kw)


def _runs(url):
    return query(url, "etl_runs", "id", "status", "rows_per_file", "rows_rejected", "message")


# --- good input ------------------------------------------------------------------------------


def test_sample_export_loads_every_row(db_url):
    result = _load(SAMPLE, db_url)
    assert (result.status, result.exit_code, result.rejected) == ("geslaagd", 0, [])
    assert result.rows_per_file == SAMPLE_COUNTS
    assert {name: len(rows) for name, rows in table_rows(db_url).items()} == SAMPLE_COUNTS
    [(run_id, status, per_file, rejected, message)] = _runs(db_url)
    assert (run_id, status, json.loads(per_file), rejected) == (
        result.run_id,
        "geslaagd",
        SAMPLE_COUNTS,
        0,
    )
    assert message == "Alle 35 rijen geladen."


def test_sample_values_are_typed(db_url):
    _load(SAMPLE, db_url)
    assert query(db_url, "medewerkers", "medewerker_id", "fte", "in_dienst", "diploma_in_dossier")[
        0
    ] == ("1001", 0.89, dt.date(2021, 9, 1), True)
    assert query(db_url, "verzuim", "id", "ziek_tot", "percentage") == [
        (2, dt.date(2025, 10, 3), 100.0),
        (3, None, 50.0),
    ]
    assert query(db_url, "formatie", "team_id", "maand")[0] == ("CRT", "2025-10")


def test_loading_the_same_export_twice_changes_nothing(db_url):
    _load(SAMPLE, db_url)
    first = table_rows(db_url)
    assert _load(SAMPLE, db_url).exit_code == 0
    assert table_rows(db_url) == first
    assert [r[1] for r in _runs(db_url)] == ["geslaagd", "geslaagd"]


def test_a_later_export_replaces_the_whole_snapshot(db_url, tmp_path):
    _load(SAMPLE, db_url)
    source = copy_sample(tmp_path)
    path = source / "contacten.csv"
    path.write_text("".join(ln for ln in path.open() if not ln.startswith("K4,")))
    append(source, "teams", "GRN-B,Team Noord,Groningen,regulier")
    assert _load(source, db_url).exit_code == 0
    rows = table_rows(db_url)
    assert [r[0] for r in rows["contacten"]] == ["K1", "K2", "K3"]
    assert len(rows["teams"]) == 4


def test_a_load_never_changes_the_decisions_taken_in_the_app(db_url, tmp_path):
    _load(SAMPLE, db_url)
    engine = make_engine(db_url)
    mt = Account("mt", "manager")
    try:
        snap = load_snapshot(engine)
        for naar, team, besluit in (
            ("1003", "CRT", "afgewezen"),
            ("1002", "DRE-A", "geaccepteerd"),
        ):
            voorstel = {"maatregel_id": "M2025-0101", "van_medewerker_id": "1001",
                        "naar_medewerker_id": naar, "naar_team_id": team}  # fmt: skip
            beslis(engine, snap, mt, voorstel, besluit, soort="afbouw", as_of=SAMPLE_EXPORT_DATE)
        decided = read_besluiten(engine)
        # The same export again, then a changed one: both replace every data table.
        assert _load(SAMPLE, db_url).exit_code == 0
        source = copy_sample(tmp_path)
        append(source, "teams", "GRN-B,Team Noord,Groningen,regulier")
        assert _load(source, db_url).exit_code == 0
        assert read_besluiten(engine).equals(decided)
    finally:
        engine.dispose()
    assert decided["besluit"].to_list() == ["afgewezen", "geaccepteerd"]


def test_workbook_source_loads_like_the_csv_folder(sqlite_url, tmp_path):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for path in sorted(SAMPLE.glob("*.csv")):
        ws = book.create_sheet(path.stem)
        frame = pl.read_csv(path, infer_schema=False)
        ws.append(frame.columns)
        for row in frame.iter_rows():
            # Excel stores dates as dates and numbers as numbers; mimic that.
            ws.append([_as_excel(v) for v in row])
    book.save(tmp_path / "export.xlsx")
    result = _load(tmp_path / "export.xlsx", sqlite_url)
    assert (result.exit_code, result.rows_per_file) == (0, SAMPLE_COUNTS)
    assert table_rows(sqlite_url)["contacten"] == _csv_rows_of_sample("contacten")


def _as_excel(value):
    if value is None:
        return None
    try:
        return dt.datetime.fromisoformat(value) if len(value) == 10 else float(value)
    except ValueError:
        return value


def _csv_rows_of_sample(name):
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/s.sqlite"
        _load(SAMPLE, url)
        return table_rows(url)[name]


def test_windows_1252_semicolons_upper_case_headers_and_dutch_dates(sqlite_url, tmp_path):
    source = copy_sample(tmp_path)
    path = source / "medewerkers.csv"
    text = path.read_text(encoding="utf-8").replace("Sanne Koster", "Sanne Köster")
    lines = text.splitlines()
    lines[0] = lines[0].upper()
    lines = [line.replace(",", ";") for line in lines]
    lines = [line.replace("2021-09-01", "1-9-2021").replace("0.89", "0,89") for line in lines]
    path.write_bytes(("\n".join(lines) + "\n").encode("cp1252"))
    assert _load(source, sqlite_url).exit_code == 0
    assert query(sqlite_url, "medewerkers", "naam", "fte", "in_dienst")[0] == (
        "Sanne Köster",
        0.89,
        dt.date(2021, 9, 1),
    )


def test_bom_and_crlf_line_ends(sqlite_url, tmp_path):
    source = copy_sample(tmp_path)
    path = source / "teams.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert _load(source, sqlite_url).exit_code == 0
    assert query(sqlite_url, "teams", "team_id", "soort")[0] == ("CRT", "CRT")


def test_identifiers_keep_leading_zeros_and_codes_match_any_case(sqlite_url, tmp_path):
    source = copy_sample(tmp_path)
    append(source, "teams", "007,Team Nul,Drenthe,ccp")
    append(source, "medewerkers", "0042,Anna de Vries,Jeugdbeschermer,007,1,2020-01-01,,,,,,")
    assert _load(source, sqlite_url).exit_code == 0
    assert ("007", "Team Nul", "Drenthe", "CCP") in query(sqlite_url, "teams")
    assert ("0042", "jeugdbeschermer", "007") in query(
        sqlite_url, "medewerkers", "medewerker_id", "functie", "team_id"
    )


def test_cells_that_look_like_formulas_are_stored_as_text(db_url, tmp_path):
    source = copy_sample(tmp_path)
    append(
        source,
        "teams",
        'F1,=HYPERLINK("http://x"),+31 50,regulier',
        "F2,-2+3,@SUM(A1),regulier",
    )
    assert _load(source, db_url).exit_code == 0
    teams = query(db_url, "teams", "team_id", "naam", "regio")
    assert ("F1", '=HYPERLINK("http://x")', "+31 50") in teams
    assert ("F2", "-2+3", "@SUM(A1)") in teams


def test_extra_and_absent_optional_columns_load_with_a_warning(sqlite_url, tmp_path):
    source = copy_sample(tmp_path)
    (source / "jeugdigen.csv").write_text(
        "jeugdige_id,geboortedatum,bsn\nJ000311,2011-04-02,x\nJ000312,2016-09-30,x\n"
        "J000313,2009-01-17,x\n"
    )
    result = _load(source, sqlite_url)
    assert result.exit_code == 0
    assert result.warnings == [
        "jeugdigen.csv: onbekende kolom(men) 'bsn' genegeerd.",
        "jeugdigen.csv: kolom(men) 'gemeente', 'gezin_id' ontbreken; behandeld als leeg.",
    ]
    assert "bsn" in _runs(sqlite_url)[0][4]
    assert query(sqlite_url, "jeugdigen", "gemeente") == [(None,), (None,), (None,)]


def test_empty_percentage_means_fully_absent(sqlite_url, tmp_path):
    source = copy_sample(tmp_path)
    append(source, "verzuim", "1001,2025-01-06,2025-01-10,")
    assert _load(source, sqlite_url).exit_code == 0
    assert (dt.date(2025, 1, 6), 100.0) in query(sqlite_url, "verzuim", "ziek_vanaf", "percentage")


def test_forward_looking_dates_may_lie_after_the_export_date(sqlite_url, tmp_path):
    source = copy_sample(tmp_path)
    append(source, "maatregelen", "M9,J000311,OTS,,2025-10-01,2025-10-02,2027-10-01,")
    # A notice period's last day and an expected return are planned dates in an HR export.
    replace_line(source, "medewerkers", "1.0,2023-02-01,,", "1.0,2023-02-01,2026-01-31,")
    replace_line(source, "verzuim", "1003,2025-10-20,,50", "1003,2025-10-20,2025-12-01,50")
    result = _load(source, sqlite_url)
    assert result.exit_code == 0, result.rejected
    assert query(sqlite_url, "medewerkers", "medewerker_id", "uit_dienst")[1] == (
        "1002",
        dt.date(2026, 1, 31),
    )


def test_adjacent_toewijzingen_do_not_overlap(sqlite_url, tmp_path):
    source = copy_sample(tmp_path)
    replace_line(
        source,
        "toewijzingen",
        "M2025-0103,1002,DRE-A,jeugdzorgwerker,2025-08-15,\n",
        "M2025-0103,1002,DRE-A,jeugdzorgwerker,2025-08-15,2025-09-01\n"
        "M2025-0103,1002,DRE-A,contactpersoon,2025-09-01,2025-09-01\n"
        "M2025-0103,1001,GRN-A,jeugdzorgwerker,2025-09-01,\n",
    )
    result = _load(source, sqlite_url)
    assert (result.exit_code, result.rows_per_file["toewijzingen"]) == (0, 6)


# --- bad rows --------------------------------------------------------------------------------

CONTACT = "K9,M2025-0101,1001,{datum},{vorm},jeugdige,{alleen}"


def _contact(datum="2025-09-05", vorm="face-to-face", alleen="nee"):
    return CONTACT.format(datum=datum, vorm=vorm, alleen=alleen)


BAD_ROWS = {
    "missing required value": (
        "contacten", _contact(datum=""), "datum", None, "verplichte waarde ontbreekt"),
    "unparseable date": (
        "contacten", _contact(datum="2025-13-01"), "datum", "2025-13-01", "geen geldige datum"),
    "impossible day": (
        "contacten", _contact(datum="31-02-2025"), "datum", "31-02-2025", "geen geldige datum"),
    "single-digit ISO date": (
        "contacten", _contact(datum="2025-9-5"), "datum", "2025-9-5", "geen geldige datum"),
    "unparseable boolean": (
        "contacten", _contact(alleen="soms"), "jeugdige_alleen_gezien", "soms", "ja/nee"),
    "unknown code": ("contacten", _contact(vorm="fax"), "vorm", "fax", "onbekende code"),
    "unparseable number": (
        "medewerkers", "3001,Bo,jeugdbeschermer,GRN-A,veel,2021-01-01,,,,,,", "fte", "veel",
        "geen geldig getal"),
    "fte out of range": (
        "medewerkers", "3001,Bo,jeugdbeschermer,GRN-A,2,2021-01-01,,,,,,", "fte", "2",
        "minimaal 0 en hoogstens 1,5"),
    "percentage zero": (
        "verzuim", "1001,2025-01-06,,0", "percentage", "0", "groter dan 0 en hoogstens 100"),
    "percentage above 100": (
        "verzuim", "1001,2025-01-06,,150", "percentage", "150", "hoogstens 100"),
    "negative formatie": ("formatie", "GRN-A,2025-09,-1", "formatie_fte", "-1", "minimaal 0"),
    "bad month": ("formatie", "GRN-A,2025-13,1", "maand", "2025-13", "geen geldige maand"),
    "contact for unknown maatregel": (
        "contacten", "K9,M404,1001,2025-09-05,brief,ouder,", "maatregel_id", "M404",
        "onbekende maatregel: M404 komt niet voor in maatregelen.csv"),
    "toewijzing to unknown team": (
        "toewijzingen", "M2025-0101,1001,XYZ,jeugdzorgwerker,2025-09-01,2025-09-02", "team_id",
        "XYZ", "onbekende team: XYZ komt niet voor in teams.csv"),
    "toewijzing to unknown medewerker": (
        "toewijzingen", "M2025-0101,9999,GRN-A,jeugdzorgwerker,2025-09-01,2025-09-02",
        "medewerker_id", "9999", "onbekende medewerker"),
    "medewerker in unknown team": (
        "medewerkers", "3001,Bo,jeugdbeschermer,NOPE,1,2021-01-01,,,,,,", "team_id", "NOPE",
        "onbekende team"),
    "caseloadgesprek with unknown begeleider": (
        "caseloadgesprekken", "1003,404,2025-10-01", "begeleider_id", "404",
        "onbekende medewerker: 404 komt niet voor in medewerkers.csv"),
    "maatregel for unknown jeugdige": (
        "maatregelen", "M9,J404,OTS,,2025-01-01,2025-01-02,,", "jeugdige_id", "J404",
        "onbekende jeugdige"),
    "duplicate identifier": (
        "contacten", "K1,M2025-0102,1003,2025-07-03,brief,ouder,", "contact_id", "K1",
        "dubbele contact_id: komt al voor op regel 2"),
    "duplicate team and month": (
        "formatie", "GRN-A,2025-10,3", "team_id, maand", "GRN-A, 2025-10",
        "dubbele team_id, maand: komt al voor op regel 2"),
    "tot before vanaf": (
        "toewijzingen", "M2025-0101,1001,GRN-A,jeugdzorgwerker,2025-08-01,2025-07-01", "tot",
        "2025-07-01", "tot ligt vóór vanaf (2025-08-01)"),
    "ziek_tot before ziek_vanaf": (
        "verzuim", "1001,2025-03-10,2025-03-01,", "ziek_tot", "2025-03-01",
        "ziek_tot ligt vóór ziek_vanaf"),
    "einde before start": (
        "maatregelen", "M9,J000311,OTS,,2025-01-01,2025-01-02,,2024-12-31", "einde",
        "2024-12-31", "einde ligt vóór start (2025-01-02)"),
    "uit_dienst before in_dienst": (
        "medewerkers", "3001,Bo,jeugdbeschermer,GRN-A,1,2021-01-01,2020-01-01,,,,,",
        "uit_dienst", "2020-01-01", "uit_dienst ligt vóór in_dienst"),
    "overlapping toewijzing": (
        "toewijzingen", "M2025-0101,1002,DRE-A,contactpersoon,2025-10-01,", "vanaf",
        "2025-10-01", "overlapt met de toewijzing op regel 2 (2025-09-02 tot heden)"),
    "date after the export date": (
        "contacten", _contact(datum="2025-11-02"), "datum", "2025-11-02",
        "ligt na de exportdatum (2025-11-01)"),
    "month after the export date": (
        "formatie", "GRN-A,2025-12,1", "maand", "2025-12", "ligt na de exportdatum"),
    "birth after the export date": (
        "jeugdigen", "J9,02-11-2025,Assen", "geboortedatum", "02-11-2025",
        "ligt na de exportdatum"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_bad_row_is_rejected_and_the_rest_loaded(sqlite_url, tmp_path, case):
    file, line, kolom, waarde, reden = BAD_ROWS[case]
    source = copy_sample(tmp_path)
    append(source, file, line)
    result = _load(source, sqlite_url)
    assert (result.status, result.exit_code) == ("gedeeltelijk", 2)
    [rejection] = result.rejected
    assert (rejection.bestand, rejection.regel, rejection.kolom, rejection.waarde) == (
        f"{file}.csv",
        SAMPLE_COUNTS[file] + 2,
        kolom,
        waarde,
    )
    assert reden in rejection.reden
    assert result.rows_per_file == SAMPLE_COUNTS
    assert {name: len(rows) for name, rows in table_rows(sqlite_url).items()} == SAMPLE_COUNTS


def test_rejections_are_stored_with_the_run(db_url, tmp_path):
    source = copy_sample(tmp_path)
    append(source, "contacten", _contact(vorm="fax"), "K10,M404,1001,2025-09-05,brief,ouder,")
    result = _load(source, db_url)
    assert result.exit_code == 2
    stored = query(db_url, "afgewezen_rijen", "run_id", "bestand", "regel", "kolom", "waarde")
    assert stored == [
        (result.run_id, "contacten.csv", 6, "vorm", "fax"),
        (result.run_id, "contacten.csv", 7, "maatregel_id", "M404"),
    ]
    [(_, status, per_file, rejected, message)] = _runs(db_url)
    assert (status, json.loads(per_file)["contacten"], rejected) == ("gedeeltelijk", 4, 2)
    assert message == "35 rijen geladen; 2 rijen afgewezen."


def test_a_rejected_maatregel_takes_its_rows_with_it(sqlite_url, tmp_path):
    source = copy_sample(tmp_path)
    replace_line(source, "maatregelen", "M2025-0103,J000313,JR,", "M2025-0103,J000313,TBS,")
    result = _load(source, sqlite_url)
    by_file = {(r.bestand, r.regel): r.reden for r in result.rejected}
    cascade = (
        "verwijst naar maatregel M2025-0103, maar die rij is afgewezen (maatregelen.csv, regel 4)"
    )
    assert by_file == {
        ("maatregelen.csv", 4): by_file[("maatregelen.csv", 4)],
        ("toewijzingen.csv", 5): cascade,
        ("contacten.csv", 5): cascade,
        ("plannen.csv", 4): cascade,
        ("risicotaxaties.csv", 3): cascade,
    }
    assert "onbekende code" in by_file[("maatregelen.csv", 4)]
    assert result.rows_per_file["maatregelen"] == 2


def test_a_rejected_praktijkbegeleider_leaves_her_team_loaded_without_the_link(db_url, tmp_path):
    source = copy_sample(tmp_path)
    replace_line(
        source, "medewerkers", "praktijkbegeleider,GRN-A,0.8,", "praktijkbegeleider,GRN-A,8,"
    )
    result = _load(source, db_url)
    # Her own row is rejected, and the caseload talks she held (begeleider_id is required there).
    assert [(r.bestand, r.regel, r.kolom, r.waarde) for r in result.rejected] == [
        ("medewerkers.csv", 5, "fte", "8"),
        ("caseloadgesprekken.csv", 2, "begeleider_id", "2001"),
        ("caseloadgesprekken.csv", 3, "begeleider_id", "2001"),
    ]
    cut = (
        "verwijst naar praktijkbegeleider 2001, maar die rij is afgewezen (medewerkers.csv, "
        "regel 5); de medewerker is geladen zonder praktijkbegeleider"
    )
    assert result.notices == [
        loader.Rejection(
            "medewerkers.csv", regel, "begeleider_id", "2001", cut, "waarde_weggelaten"
        )
        for regel in (2, 3, 4)
    ]
    assert (result.status, result.exit_code) == ("gedeeltelijk", 2)
    assert result.rows_per_file == {
        **SAMPLE_COUNTS, "medewerkers": 3, "caseloadgesprekken": 0
    }  # fmt: skip
    assert query(db_url, "medewerkers", "medewerker_id", "begeleider_id") == [
        ("1001", None),
        ("1002", None),
        ("1003", None),
    ]
    assert len(query(db_url, "toewijzingen")) == SAMPLE_COUNTS["toewijzingen"]
    assert len(query(db_url, "contacten")) == SAMPLE_COUNTS["contacten"]
    stored = query(db_url, "afgewezen_rijen", "bestand", "regel", "kolom", "waarde", "gevolg")
    assert stored == [
        ("medewerkers.csv", 5, "fte", "8", "afgewezen"),
        ("caseloadgesprekken.csv", 2, "begeleider_id", "2001", "afgewezen"),
        ("caseloadgesprekken.csv", 3, "begeleider_id", "2001", "afgewezen"),
        ("medewerkers.csv", 2, "begeleider_id", "2001", "waarde_weggelaten"),
        ("medewerkers.csv", 3, "begeleider_id", "2001", "waarde_weggelaten"),
        ("medewerkers.csv", 4, "begeleider_id", "2001", "waarde_weggelaten"),
    ]
    [(_, status, _, rejected, message)] = _runs(db_url)
    assert (status, rejected) == ("gedeeltelijk", 3)
    assert message == "32 rijen geladen; 3 rijen afgewezen, 3 waarden weggelaten."


def test_an_unknown_begeleider_only_drops_the_link(db_url, tmp_path):
    source = copy_sample(tmp_path)
    append(source, "medewerkers", "3001,Bo,jeugdbeschermer,GRN-A,1,2021-01-01,,,1099,,,")
    append(source, "toewijzingen", "M2025-0101,3001,GRN-A,contactpersoon,2025-08-01,2025-09-01")
    result = _load(source, db_url)
    assert (result.status, result.exit_code, result.rejected) == ("geslaagd", 0, [])
    [notice] = result.notices
    assert (notice.bestand, notice.regel, notice.kolom, notice.waarde, notice.gevolg) == (
        "medewerkers.csv",
        6,
        "begeleider_id",
        "1099",
        "waarde_weggelaten",
    )
    assert notice.reden == (
        "onbekende praktijkbegeleider: 1099 komt niet voor in medewerkers.csv; "
        "de medewerker is geladen zonder praktijkbegeleider"
    )
    assert ("3001", None) in query(db_url, "medewerkers", "medewerker_id", "begeleider_id")
    assert len(query(db_url, "toewijzingen")) == SAMPLE_COUNTS["toewijzingen"] + 1
    [(_, status, _, rejected, message)] = _runs(db_url)
    assert (status, rejected) == ("geslaagd", 0)
    assert message == "Alle 37 rijen geladen; 1 waarde weggelaten."
    assert query(db_url, "afgewezen_rijen", "regel", "gevolg") == [(6, "waarde_weggelaten")]


def test_a_row_rejected_for_its_own_fault_gets_no_notice_for_its_link(sqlite_url, tmp_path):
    source = copy_sample(tmp_path)
    append(source, "medewerkers", "3001,Bo,jeugdbeschermer,GRN-A,veel,2021-01-01,,,1099,,,")
    result = _load(source, sqlite_url)
    assert [(r.regel, r.kolom) for r in result.rejected] == [(6, "fte")]
    assert result.notices == []


def test_only_the_later_duplicate_is_rejected_even_if_the_first_is_bad(sqlite_url, tmp_path):
    source = copy_sample(tmp_path)
    replace_line(source, "contacten", "K1,M2025-0101,1001,2025-09-05", "K1,M2025-0101,1001,x")
    append(source, "contacten", "K1,M2025-0101,1001,2025-09-06,brief,ouder,")
    result = _load(source, sqlite_url)
    assert [(r.regel, r.kolom) for r in result.rejected] == [(2, "datum"), (6, "contact_id")]


# --- whole-file problems ---------------------------------------------------------------------


def _drop_column(source, file, column):
    path = source / f"{file}.csv"
    frame = pl.read_csv(path, infer_schema=False)
    frame.drop(column).write_csv(path)


FILE_PROBLEMS = {
    "missing required column": (
        lambda s: _drop_column(s, "contacten", "datum"),
        "contacten.csv mist de verplichte kolom 'datum'.",
    ),
    "empty file": (
        lambda s: (s / "plannen.csv").write_bytes(b""),
        "plannen.csv is leeg",
    ),
    "unreadable encoding": (
        lambda s: (s / "teams.csv").write_text("team_id,naam\nA,B\n", encoding="utf-16"),
        "teams.csv is niet te lezen",
    ),
    "missing file": (
        lambda s: (s / "verzuim.csv").unlink(),
        "ontbreken bestanden: verzuim.csv",
    ),
}


@pytest.mark.parametrize("problem", list(FILE_PROBLEMS))
def test_file_problem_changes_nothing_and_is_logged(db_url, tmp_path, problem):
    _load(SAMPLE, db_url)
    before = table_rows(db_url)
    break_it, message = FILE_PROBLEMS[problem]
    source = copy_sample(tmp_path)
    break_it(source)
    result = _load(source, db_url)
    assert (result.status, result.exit_code, result.rows_per_file) == ("mislukt", 1, {})
    assert message in result.message
    assert table_rows(db_url) == before
    runs = _runs(db_url)
    assert [r[1] for r in runs] == ["geslaagd", "mislukt"]
    assert runs[-1][0] == result.run_id and message in runs[-1][4]
    assert query(db_url, "afgewezen_rijen") == []


def test_a_database_error_halfway_leaves_the_old_snapshot(db_url, tmp_path):
    _load(SAMPLE, db_url)
    before = table_rows(db_url)
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            # A rule the loader does not know about makes the contacten insert fail, after the
            # teams, medewerkers and maatregelen of the same load were already written.
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(
                    "ALTER TABLE contacten ADD CONSTRAINT geen_k9 CHECK (contact_id <> 'K9')"
                )
            else:
                conn.exec_driver_sql(
                    "CREATE TRIGGER geen_k9 BEFORE INSERT ON contacten "
                    "WHEN NEW.contact_id = 'K9' BEGIN SELECT RAISE(ABORT, 'geen K9'); END"
                )
    finally:
        engine.dispose()
    source = copy_sample(tmp_path)
    append(source, "teams", "GRN-B,Team Noord,Groningen,regulier")
    append(source, "contacten", _contact())
    result = _load(source, db_url)
    assert (result.status, result.exit_code) == ("mislukt", 1)
    assert result.message.startswith("Het schrijven naar de database is mislukt")
    assert table_rows(db_url) == before
    assert [r[1] for r in _runs(db_url)] == ["geslaagd", "mislukt"]


def test_a_file_with_only_a_header_loads_no_rows(sqlite_url, tmp_path):
    source = copy_sample(tmp_path)
    (source / "verzuim.csv").write_text("medewerker_id,ziek_vanaf,ziek_tot,percentage\n")
    result = _load(source, sqlite_url)
    assert (result.exit_code, result.rows_per_file["verzuim"]) == (0, 0)


@pytest.mark.parametrize(
    "url",
    ["postgresql://nobody@127.0.0.1:1/nergens", "sqlite:////nonexistent-dir/x/caseload.sqlite"],
)
def test_unreachable_database_is_a_clean_failure(url):
    result = load_source(SAMPLE, url, export_date=SAMPLE_EXPORT_DATE, progress=False)
    assert (result.status, result.exit_code, result.run_id) == ("mislukt", 1, None)
    # The driver's English is quoted as the database's own words, not mixed into the sentence.
    assert re.fullmatch(
        r'De database is niet bereikbaar: melding van de database: ".+"', result.message
    )


# --- locking, migrations, progress ----------------------------------------------------------


def test_two_loads_at_once_do_not_interleave(db_url, tmp_path, monkeypatch):
    # Both loads reach the database at the same moment, so only the lock can order them.
    barrier = threading.Barrier(2, timeout=60)
    write = loader._write

    def write_together(*args):
        barrier.wait()
        return write(*args)

    monkeypatch.setattr(loader, "_write", write_together)
    sources = {}
    for name, month in (("juli", 7), ("augustus", 8)):
        sources[name] = copy_sample(tmp_path, name)
        append(
            sources[name],
            "contacten",
            *(
                f"C{i},M2025-0102,1003,2025-{month:02d}-{1 + i % 28:02d},brief,ouder,"
                for i in range(30_000)
            ),
        )
    results = {}

    def run(name):
        results[name] = _load(sources[name], db_url)

    threads = [threading.Thread(target=run, args=(name,)) for name in sources]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # A load that ended before its write says why (CI twice saw one load never reach it).
    said = {name: (r.status, r.message) for name, r in results.items()}
    statuses = [said.get(name, ("geen uitkomst", ""))[0] for name in sources]
    assert statuses == ["geslaagd", "geslaagd"], said
    last = max(results, key=lambda name: results[name].run_id)
    months = {r[3].month for r in table_rows(db_url)["contacten"] if r[0].startswith("C")}
    assert months == {7 if last == "juli" else 8}
    assert len(table_rows(db_url)["contacten"]) == 30_004


def test_a_reader_during_a_load_sees_the_old_snapshot(db_url, tmp_path, monkeypatch):
    _load(SAMPLE, db_url)
    source = copy_sample(tmp_path)
    append(source, "teams", "GRN-B,Team Noord,Groningen,regulier")
    seen = {}
    insert = loader._bulk_insert

    def insert_and_look(conn, name, frame, show):
        insert(conn, name, frame, show)
        if name == "contacten":
            # The teams of the new export are written by now, but not committed.
            seen["teams"] = len(table_rows(db_url)["teams"])

    monkeypatch.setattr(loader, "_bulk_insert", insert_and_look)
    assert _load(source, db_url).exit_code == 0
    assert seen == {"teams": 3}
    assert len(table_rows(db_url)["teams"]) == 4


def test_load_migrates_a_fresh_database(db_url):
    assert _load(SAMPLE, db_url).exit_code == 0
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            assert current_revision(conn) == head_revision()
    finally:
        engine.dispose()


def test_progress_goes_to_stderr_only_when_asked(sqlite_url, capsys, monkeypatch):
    load_source(SAMPLE, sqlite_url, export_date=SAMPLE_EXPORT_DATE, progress=True)
    err = capsys.readouterr().err
    assert "contacten.csv: 4 rijen gelezen" in err
    assert "contacten: 4 van 4 rijen geschreven" in err
    monkeypatch.setenv("CI", "true")
    load_source(SAMPLE, sqlite_url, export_date=SAMPLE_EXPORT_DATE)
    assert capsys.readouterr() == ("", "")


# --- property: exactly the valid rows load, exactly the invalid ones are reported -----------

MAATREGEL_IDS = ["M1", "M2", "M3", "M4", "M5"]
maatregel_rows = st.fixed_dictionaries(
    {
        "id": st.sampled_from(MAATREGEL_IDS + [""]),
        "jeugdige": st.sampled_from(["J000311", "J000312", "J404"]),
        "soort": st.sampled_from(["OTS", "jr", "voogdij", "TBS"]),
        "start": st.sampled_from(["2025-01-02", "02-01-2025", "2025-02-30", "", "2026-01-01"]),
        "einde": st.sampled_from(["", "2025-06-01", "2024-01-01"]),
    }
)
contact_rows = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["K1", "K2", "K3", "K4", "K5", "K6"]),
        "maatregel": st.sampled_from(MAATREGEL_IDS + ["M404"]),
        "medewerker": st.sampled_from(["1001", "1002", "7777"]),
        "datum": st.sampled_from(["2025-03-01", "01-03-2025", "2025-3-1", "2025-12-01"]),
        "vorm": st.sampled_from(["face-to-face", "BRIEF", "fax"]),
    }
)


def _maatregel_ok(row):
    return (
        row["id"] != ""
        and row["jeugdige"] != "J404"
        and row["soort"] != "TBS"
        and row["start"] in ("2025-01-02", "02-01-2025")
        and row["einde"] != "2024-01-01"
    )


def _contact_ok(row, loaded_maatregelen):
    return (
        row["maatregel"] in loaded_maatregelen
        and row["medewerker"] != "7777"
        and row["datum"] in ("2025-03-01", "01-03-2025")
        and row["vorm"] != "fax"
    )


def _first_of_each_id(rows):
    seen, firsts = set(), []
    for row in rows:
        firsts.append(row["id"] == "" or row["id"] not in seen)
        seen.add(row["id"])
    return firsts


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    maatregelen=st.lists(maatregel_rows, max_size=8),
    contacten=st.lists(contact_rows, max_size=10),
)
def test_exactly_the_valid_rows_load(maatregelen, contacten):
    with tempfile.TemporaryDirectory() as tmp:
        source = copy_sample(Path(tmp))
        for name in ("toewijzingen", "plannen", "risicotaxaties", "hulp"):
            path = source / f"{name}.csv"
            path.write_text(path.read_text().splitlines()[0] + "\n")
        (source / "maatregelen.csv").write_text(
            "maatregel_id,jeugdige_id,soort,subsoort,uitspraak,start,einde_gepland,einde\n"
            + "".join(
                f"{m['id']},{m['jeugdige']},{m['soort']},,2025-01-01,{m['start']},,{m['einde']}\n"
                for m in maatregelen
            )
        )
        (source / "contacten.csv").write_text(
            "contact_id,maatregel_id,medewerker_id,datum,vorm,met,jeugdige_alleen_gezien\n"
            + "".join(
                f"{c['id']},{c['maatregel']},{c['medewerker']},{c['datum']},{c['vorm']},ouder,\n"
                for c in contacten
            )
        )
        url = f"sqlite:///{tmp}/caseload.sqlite"
        result = _load(source, url)

        m_ok = [
            first and _maatregel_ok(m)
            for m, first in zip(maatregelen, _first_of_each_id(maatregelen), strict=True)
        ]
        loaded_m = {m["id"] for m, ok in zip(maatregelen, m_ok, strict=True) if ok}
        c_ok = [
            first and _contact_ok(c, loaded_m)
            for c, first in zip(contacten, _first_of_each_id(contacten), strict=True)
        ]
        expected_rejected = {("maatregelen.csv", i + 2) for i, ok in enumerate(m_ok) if not ok} | {
            ("contacten.csv", i + 2) for i, ok in enumerate(c_ok) if not ok
        }

        assert {(r.bestand, r.regel) for r in result.rejected} == expected_rejected
        assert result.exit_code == (2 if expected_rejected else 0)
        rows = table_rows(url)
        assert sorted(r[0] for r in rows["maatregelen"]) == sorted(loaded_m)
        assert sorted(r[0] for r in rows["contacten"]) == sorted(
            c["id"] for c, ok in zip(contacten, c_ok, strict=True) if ok
        )


def test_an_export_date_before_the_data_rejects_rows_instead_of_crashing(sqlite_url, jbn_export):
    # Regression: the JBN demo loaded as of three days before its own export date made polars
    # panic while writing the cascade reasons.
    source, _ = jbn_export
    result = _load(source, sqlite_url, export_date=dt.date(2026, 3, 1))
    assert result.exit_code == 2
    reasons = {r.reden.split(" (")[0].split(":")[0] for r in result.rejected}
    assert "ligt na de exportdatum" in reasons
    assert any(r.reden.startswith("verwijst naar maatregel") for r in result.rejected)
