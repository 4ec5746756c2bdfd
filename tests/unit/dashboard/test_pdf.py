"""The A4 document renderer, read back with a real text extractor (pypdf)."""

import io
from datetime import date, datetime

import pypdf

from dashboard import pdf

DAY = date(2025, 11, 1)
MADE = datetime(2025, 11, 3, 9, 15)
LONG = "Een zeer lange toelichting die nooit in één regel van een smalle kolom past " * 3


def read(content: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(content))


def words(content: bytes) -> str:
    """The document's text with every line break as a space, as a reader reads a cell."""
    return " ".join(" ".join(p.extract_text() for p in read(content).pages).split())


def document(*blocks: pdf.Blok) -> bytes:
    return pdf.render(pdf.Document("Proefdocument", DAY, list(blocks), "Onderwerp", MADE))


def test_every_row_and_every_long_cell_is_in_the_pdf_whole():
    rows = [(f"M2025-{i:04d}", "✖ Verlopen", LONG if i % 7 == 0 else "kort", f"{i}") for i in
            range(120)]  # fmt: skip
    content = document(pdf.Kop("Termijnen"), pdf.Tabel(("Maatregel", "Status", "Tekst", "N"), rows))
    text = words(content)
    for number, *_rest in rows:
        assert number in text
    assert text.count(" ".join(LONG.split())) == len([r for r in rows if r[2] == LONG])
    # The icon has no glyph in the core fonts: the word stands alone.
    assert "Verlopen" in text and "✖" not in text and "?" not in text


def test_every_page_has_its_number_the_peildatum_and_the_moment_made():
    rows = [(f"M{i}", "x") for i in range(150)]
    reader = read(document(pdf.Tabel(("Maatregel", "Iets"), rows)))
    total = len(reader.pages)
    assert total >= 3
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"Pagina {number} van {total}" in text
        assert "Peildatum 01-11-2025" in text and "Gemaakt op 03-11-2025" in text
        # The headers repeat on every page a table runs over.
        assert "Maatregel" in text


def test_a_table_too_wide_for_portrait_turns_the_document_to_landscape():
    narrow = pdf.Tabel(("A", "B"), [("1", "2")])
    wide = pdf.Tabel(tuple(f"Kolom{i}-met-een-lange-naam" for i in range(9)), [tuple("x" * 9)])
    portrait = read(document(narrow)).pages[0].mediabox
    landscape = read(document(narrow, wide)).pages[0].mediabox
    assert portrait.width < portrait.height
    assert landscape.width > landscape.height
    assert all(f"Kolom{i}-met-een-lange-naam" in words(document(wide)) for i in range(9))


def test_an_empty_table_says_so_and_ruled_lines_have_their_labels():
    text = words(
        document(pdf.Tabel(("A",), [], leeg="Geen termijnen"), pdf.Lijnen(5, ("Afspraak", "Wie")))
    )
    assert "Geen termijnen" in text and "Afspraak Wie" in text
