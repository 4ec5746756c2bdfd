import io
from datetime import date

import openpyxl
import polars as pl

from queries.export import (
    ONE_PAGE_ROWS,
    Heading,
    csv_bytes,
    neutralised,
    number_format,
    xlsx_bytes,
)
from queries.figuren import figuur

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


def test_every_sheet_is_set_to_print_landscape_one_page_wide_with_its_header():
    heading = Heading("Zorg & veiligheid", "Hele organisatie, regio A&B", date(2026, 3, 4))
    book = openpyxl.load_workbook(
        io.BytesIO(
            xlsx_bytes(
                {"Kort": frame(), "Lang": pl.concat([frame()] * (ONE_PAGE_ROWS // 7 + 1))},
                heading=heading,
            )
        )
    )
    # Up to ONE_PAGE_ROWS rows: one page tall; more: as many pages as needed (0).
    for ws, tall in zip(book.worksheets, ((None, 1), (0,)), strict=True):
        assert ws.page_setup.orientation == "landscape"
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        # Excel leaves a 1 out of the file: fitToWidth absent is one page wide.
        assert ws.page_setup.fitToWidth in (None, 1)
        assert ws.page_setup.fitToHeight in tall
        assert ws.print_title_rows == "$1:$1"
        # An & in user text would start a header code: it is doubled.
        assert ws.oddHeader.left.text == f"Zorg && veiligheid: {ws.title}"
        assert ws.oddHeader.right.text == "Hele organisatie, regio A&&B"
        assert ws.oddFooter.left.text == "Peildatum 04-03-2026"
        assert ws.oddFooter.right.text == "Pagina &P van &N"


def test_a_number_column_has_one_format_from_its_figure_unit_and_decimals():
    pct, days = figuur("eerste_contact_tijdig_pct"), figuur("gem_dagen_eerste_contact")
    df = pl.DataFrame(
        {
            "Binnen 5 werkdagen (%)": [68.34, 73.0],
            days.key: [7.0, 12.26],
            "Gewicht": [1.0, 2.456],
            "Aantal": [1200, 3],
        }
    )
    book = xlsx_bytes(df, figures={"Binnen 5 werkdagen (%)": pct.key}, decimals={"Gewicht": 1})
    ws = openpyxl.load_workbook(io.BytesIO(book)).active
    expected = {
        "A": (number_format("pct", pct.decimalen), [pct.rond(v) for v in df[df.columns[0]]]),
        "B": (number_format("dagen", days.decimalen), [days.rond(v) for v in df[days.key]]),
        "C": ("#,##0.0", [1.0, 2.5]),
        "D": ("#,##0", [1200, 3]),
    }
    for col, (code, values) in expected.items():
        cells = ws[col][1:]
        assert {c.number_format for c in cells} == {code}, col
        assert [c.value for c in cells] == values, col
    assert number_format("pct", 1) == '#,##0.0"%"'


def test_a_summary_formats_each_row_by_its_own_figure():
    keys = ["eerste_contact_tijdig_pct", "actieve_maatregelen"]
    df = pl.DataFrame({"Cijfer": ["a", "b"], "Waarde": [68.34, 921.0]})
    book = xlsx_bytes({"Samenvatting": df}, row_figures={"Samenvatting": keys})
    ws = openpyxl.load_workbook(io.BytesIO(book)).active
    for cell, key in zip(ws["B"][1:], keys, strict=True):
        f = figuur(key)
        assert cell.number_format == number_format(f.eenheid, f.decimalen)
        assert cell.value == f.rond(df["Waarde"][keys.index(key)])
