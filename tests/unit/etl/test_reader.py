"""Reading CSV folders and workbooks as text, and the file-level problems that stop a load."""

import datetime as dt

import openpyxl
import pytest

from etl.reader import LINE, SourceError, read_csv, read_source
from tests.unit.etl.fixtures import SAMPLE, copy_sample


def _rows(frame):
    return frame.drop(LINE).rows()


def test_utf8_with_bom_and_comma(tmp_path):
    path = tmp_path / "teams.csv"
    path.write_bytes("\ufeffteam_id,naam\nA,Één\n".encode())
    frame = read_csv(path)
    assert frame.columns == [LINE, "team_id", "naam"]
    assert _rows(frame) == [("A", "Één")]


def test_windows_1252_and_semicolon(tmp_path):
    path = tmp_path / "medewerkers.csv"
    path.write_bytes("medewerker_id;naam;fte\n0042;Ömer Çelik;0,8\n".encode("cp1252"))
    assert _rows(read_csv(path)) == [("0042", "Ömer Çelik", "0,8")]


def test_headers_are_matched_case_insensitively(tmp_path):
    path = tmp_path / "teams.csv"
    path.write_text(" Team_ID ,NAAM\nA,B\n")
    assert read_csv(path).columns == [LINE, "team_id", "naam"]


def test_line_numbers_count_the_header_and_skip_blank_lines(tmp_path):
    path = tmp_path / "teams.csv"
    path.write_text("team_id\nA\n\nB\n")
    assert read_csv(path).rows() == [(2, "A"), (4, "B")]


def test_cells_are_text_exactly_as_written(tmp_path):
    path = tmp_path / "teams.csv"
    path.write_text('team_id,naam\n007,"=HYPERLINK(""x"")"\n')
    assert _rows(read_csv(path)) == [("007", '=HYPERLINK("x")')]


def test_header_only_file_has_no_rows(tmp_path):
    path = tmp_path / "verzuim.csv"
    path.write_text("medewerker_id,ziek_vanaf\n")
    assert read_csv(path).height == 0


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n  \n"])
def test_empty_file_is_refused(tmp_path, content):
    path = tmp_path / "teams.csv"
    path.write_bytes(content)
    with pytest.raises(SourceError, match="teams.csv is leeg"):
        read_csv(path)


def test_utf16_is_refused(tmp_path):
    path = tmp_path / "teams.csv"
    path.write_text("team_id,naam\nA,B\n", encoding="utf-16")
    with pytest.raises(SourceError, match="tekencodering"):
        read_csv(path)


def test_bytes_that_are_neither_utf8_nor_windows_1252_are_refused(tmp_path):
    path = tmp_path / "teams.csv"
    path.write_bytes(b"team_id,naam\nA,\x81\x8d\n")
    with pytest.raises(SourceError, match="tekencodering"):
        read_csv(path)


@pytest.mark.parametrize("line", ['1,"niet afgesloten', '"x"y,2'])
def test_broken_quoting_is_refused(tmp_path, line):
    path = tmp_path / "teams.csv"
    path.write_text(f"team_id,naam\n{line}\n2,x\n")
    with pytest.raises(SourceError, match="teams.csv is geen geldig CSV-bestand"):
        read_csv(path)


def test_a_quote_inside_an_unquoted_field_is_kept(tmp_path):
    path = tmp_path / "teams.csv"
    path.write_text('team_id,naam\n1,Team "Stad"\n')
    assert _rows(read_csv(path)) == [("1", 'Team "Stad"')]


def test_duplicate_header_is_refused(tmp_path):
    path = tmp_path / "teams.csv"
    path.write_text("team_id,Naam,naam\nA,B,C\n")
    with pytest.raises(SourceError, match="'naam' staat twee keer"):
        read_csv(path)


def test_missing_file_names_every_missing_one(tmp_path):
    source = copy_sample(tmp_path)
    (source / "hulp.csv").unlink()
    (source / "plannen.csv").unlink()
    with pytest.raises(SourceError, match="ontbreken bestanden: plannen.csv, hulp.csv"):
        read_source(source, ["teams", "plannen", "hulp"])


def test_file_names_are_matched_case_insensitively(tmp_path):
    source = copy_sample(tmp_path)
    (source / "teams.csv").rename(source / "Teams.CSV")
    tables = read_source(source, ["teams"])
    assert tables["teams"].label == "Teams.CSV"
    assert tables["teams"].frame.height == 3


def test_a_folder_named_like_a_file_is_refused(tmp_path):
    path = tmp_path / "teams.csv"
    path.mkdir()
    with pytest.raises(SourceError, match="teams.csv is niet te lezen: Is a directory"):
        read_csv(path)


def test_missing_source_is_refused(tmp_path):
    with pytest.raises(SourceError, match="bestaat niet"):
        read_source(tmp_path / "nergens", ["teams"])


def _workbook(path, sheets):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    book.save(path)


def test_workbook_cells_read_as_text(tmp_path):
    path = tmp_path / "export.xlsx"
    _workbook(
        path,
        {
            "Medewerkers": [
                ["medewerker_id", "fte", "in_dienst", "diploma_in_dossier", "naam"],
                ["0042", 0.8, dt.datetime(2021, 9, 1), True, "=1+1"],
                [1001, 1, dt.date(2020, 1, 2), False, None],
            ]
        },
    )
    table = read_source(path, ["medewerkers"])["medewerkers"]
    assert table.label == "export.xlsx, tabblad Medewerkers"
    assert table.frame.rows() == [
        (2, "0042", "0.8", "2021-09-01", "ja", "=1+1"),
        (3, "1001", "1", "2020-01-02", "nee", None),
    ]


def test_folder_with_one_workbook_is_read_as_that_workbook(tmp_path):
    _workbook(tmp_path / "export.xlsx", {"teams": [["team_id"], ["A"]]})
    assert read_source(tmp_path, ["teams"])["teams"].frame.rows() == [(2, "A")]


def test_workbook_missing_a_sheet_is_refused(tmp_path):
    path = tmp_path / "export.xlsx"
    _workbook(path, {"teams": [["team_id"], ["A"]]})
    with pytest.raises(SourceError, match="ontbreken tabbladen: hulp"):
        read_source(path, ["teams", "hulp"])


def test_empty_sheet_is_refused(tmp_path):
    path = tmp_path / "export.xlsx"
    _workbook(path, {"teams": []})
    with pytest.raises(SourceError, match="leeg"):
        read_source(path, ["teams"])


def test_sample_export_reads_every_file():
    tables = read_source(SAMPLE, ["teams", "contacten"])
    assert tables["contacten"].frame.height == 4
