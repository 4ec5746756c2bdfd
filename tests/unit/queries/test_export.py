import io
from datetime import date

import openpyxl
import polars as pl

from queries.export import csv_bytes, neutralised, xlsx_bytes

DANGEROUS = ["=1+1", "+31 6 1234", "-2+3", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")']


def frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "maatregel_id": ["M1", "M2", "M3", "M4", "M5", "M6", "M7"],
            "notitie": DANGEROUS,
            "werkdagen_tot": [-3, 2, 0, 5, None, 1, 7],
            "gewicht": [1.5, 1.0, 0.25, 2.0, 1.0, None, 3.0],
            "deadline": [date(2026, 4, 28)] * 6 + [None],
            "actief": [True, False, True, True, True, True, False],
        }
    )


def _neutralised(texts: list[str | None]) -> list[str | None]:
    return pl.select(neutralised(pl.Series(texts, dtype=pl.String))).to_series().to_list()


def test_neutralised_prefixes_formula_starts():
    assert _neutralised(DANGEROUS) == ["'" + text for text in DANGEROUS]


def test_neutralised_leaves_plain_text():
    plain = ["Sanne Koster", "M2025-0101", "", None, "1-2", "x=1"]
    assert _neutralised(plain) == plain


def test_csv_reads_back_with_every_row_and_no_formula():
    data = csv_bytes(frame())
    assert data.startswith(b"\xef\xbb\xbf")
    back = pl.read_csv(io.BytesIO(data), separator=";", decimal_comma=True, infer_schema=False)
    assert back.height == 7
    assert back.columns == frame().columns
    assert all(v.startswith("'") for v in back["notitie"])
    assert back["werkdagen_tot"].to_list()[0] == "-3"
    assert back["gewicht"].to_list()[0] == "1,5"
    assert back["deadline"].to_list()[0] == "2026-04-28"


def test_csv_fractions_keep_their_figure_s_decimals_or_at_most_two():
    df = pl.DataFrame({"fte": [4.3 + 8.62], "pct": [87.4567], "aantal": [3]})
    assert 4.3 + 8.62 == 12.919999999999998
    text = csv_bytes(df).decode("utf-8-sig")
    assert text.splitlines()[1] == "12,92;87,46;3"
    assert csv_bytes(df, {"pct": 1}).decode("utf-8-sig").splitlines()[1] == "12,92;87,5;3"


def test_xlsx_cells_are_typed_and_never_formulas():
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame(), sheet_name="Termijnen")))
    ws = book["Termijnen"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == tuple(frame().columns)
    assert len(rows) == 8
    for row in ws.iter_rows(min_row=2):
        assert row[1].data_type == "s"
    # openpyxl leaves the carriage return in its escaped XML form.
    assert [r[1].replace("_x000D_", "\r") for r in rows[1:]] == DANGEROUS
    assert rows[1][2] == -3
    assert rows[1][3] == 1.5
    assert rows[1][4].date() == date(2026, 4, 28)
    assert rows[1][5] is True
    assert rows[7][4] is None


def test_xlsx_with_several_sheets_and_awkward_names():
    sheets = {"Eerste contact: tijdig?": frame(), "a" * 40: frame().head(2), "A" * 40: frame()}
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(sheets)))
    assert len(book.sheetnames) == 3
    assert all(len(n) <= 31 for n in book.sheetnames)
    assert book.worksheets[1].max_row == 3


def test_empty_frame_gives_header_only():
    empty = frame().clear()
    assert pl.read_csv(io.BytesIO(csv_bytes(empty)), separator=";").height == 0
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(empty))).active
    assert ws.max_row == 1


def test_enum_and_list_columns_become_text():
    df = pl.DataFrame(
        {"norm": pl.Series(["=x", "plan"], dtype=pl.Enum(["=x", "plan"])), "ids": [["a"], []]}
    )
    back = pl.read_csv(io.BytesIO(csv_bytes(df)), separator=";")
    assert back["norm"].to_list() == ["'=x", "plan"]
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(df))).active
    assert ws["A2"].value == "=x" and ws["A2"].data_type == "s"
