"""Every Excel export, printed by LibreOffice: one page wide, a short sheet on one page, the
header row on every page, the heading on every page, each number in its figure's format."""

from datetime import date

import polars as pl

from queries.export import ONE_PAGE_ROWS, Heading, xlsx_bytes
from queries.figuren import figuur
from tests.print.conftest import printed_number

HEADING = Heading("Zorg & veiligheid", "Hele organisatie, regio Drenthe", date(2026, 3, 4))
COLUMNS = 6


def wide(rows: int) -> pl.DataFrame:
    """rows rows of long text, far wider than a page at full size: the first cell of row i
    is R<i>, the last E<i>."""
    frame = {
        f"Kolom met een lange naam {c:02d}": [
            f"tekst van rij {i} in kolom {c:02d} ...." for i in range(rows)
        ]
        for c in range(COLUMNS)
    }
    # One word each: a header wraps between words, and the page text then interleaves them.
    frame["Eerstekolom"] = [f"R{i:04d}" for i in range(rows)]
    frame["Laatstekolom"] = [f"E{i:04d}" for i in range(rows)]
    return pl.DataFrame(frame).select("Eerstekolom", pl.exclude("Eerstekolom"))


def test_a_long_wide_sheet_prints_one_page_wide_with_its_header_on_every_page(printed):
    rows = 300
    df = wide(rows)
    pages = printed(xlsx_bytes(df, "Lang", HEADING))
    assert len(pages) > 1
    for n, text in enumerate(pages, start=1):
        assert "Eerstekolom" in text and "Laatstekolom" in text
        assert "Zorg & veiligheid" in text and "regio Drenthe" in text
        assert "Peildatum 04-03-2026" in text and f"Pagina {n} van {len(pages)}" in text
    for i in range(rows):
        holding = [n for n, text in enumerate(pages) if f"R{i:04d}" in text]
        assert len(holding) == 1, f"rij {i} staat op pagina's {holding}"
        assert f"E{i:04d}" in pages[holding[0]], f"rij {i} is over pagina's verdeeld"


def test_a_sheet_of_up_to_forty_rows_prints_on_one_page(printed):
    df = wide(ONE_PAGE_ROWS)
    pages = printed(xlsx_bytes(df, "Kort", HEADING))
    assert len(pages) == 1
    assert all(f"R{i:04d}" in pages[0] and f"E{i:04d}" in pages[0] for i in range(df.height))


def test_numbers_print_in_one_format_per_column(printed):
    pct = figuur("eerste_contact_tijdig_pct")
    days = figuur("gem_dagen_eerste_contact")
    assert pct.eenheid == "pct" and pct.decimalen >= 1
    df = pl.DataFrame(
        {
            "Maand": ["januari", "februari", "maart"],
            "Binnen 5 werkdagen (%)": [68.3, 73.0, 100.0],
            days.key: [7.0, 12.25, 3.5],
            "Gewicht": [1.0, 2.5, 3.0],
            "Aantal": [1200, 3, 40],
        }
    )
    book = xlsx_bytes(
        df,
        "Getallen",
        HEADING,
        figures={"Binnen 5 werkdagen (%)": pct.key},
        decimals={"Gewicht": 1},
    )
    (text,) = printed(book)
    for value in df["Binnen 5 werkdagen (%)"]:
        assert printed_number(pct.rond(value), pct.decimalen, "%").search(text), value
    for value in df[days.key]:
        assert printed_number(days.rond(value), days.decimalen).search(text), value
    for value in df["Gewicht"]:
        assert printed_number(value, 1).search(text), value
    assert printed_number(1200, 0).search(text)
