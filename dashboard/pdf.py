"""A4 documents made on the server (fpdf2, pure Python, imported on the first print): every
page with the title, peildatum, the moment it was made and its page number; headings, text,
tables whose cells wrap and whose columns always fit the page, and ruled lines to write on.
Presentation only: no Dash, no queries; a page turns its frames into Tabel
(components.grid.document_table)."""

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from dashboard.components.formats import fmt_date, fmt_number

if TYPE_CHECKING:
    from fpdf import FPDF

FONT = "Helvetica"
TEXT_PT = 9.5
TABLE_PT = 8.0
# A table too wide for the page in landscape shrinks its text, down to this size.
SMALLEST_PT = 5.5
MARGIN = 12.0
PADDING = 1.0
LINE_GAP = 8.0
# The core fonts write Windows-1252; status icons have no glyph there and the word beside
# them already says it, so they go.
REPLACE = str.maketrans(
    {"✖": "", "▲": "", "●": "", "✔": "", "◆": "", "−": "-", "→": "->", "≤": "<=", "≥": ">="}
)


@dataclass(frozen=True)
class Kop:
    """A heading; niveau 2 is a sub-heading."""

    tekst: str
    niveau: int = 1


@dataclass(frozen=True)
class Tekst:
    """A paragraph; klein for definitions and notes."""

    tekst: str
    klein: bool = False


@dataclass(frozen=True)
class Tabel:
    """Rows of text under headers; rechts: the indexes of columns aligned right (numbers)."""

    kolommen: tuple[str, ...]
    rijen: list[tuple[str, ...]]
    rechts: frozenset[int] = frozenset()
    leeg: str = "Geen gegevens"


@dataclass(frozen=True)
class Lijnen:
    """Ruled lines to write on, under column labels (the afspraken of a talk)."""

    aantal: int
    kolommen: tuple[str, ...] = ()


Blok = Kop | Tekst | Tabel | Lijnen


@dataclass(frozen=True)
class Document:
    titel: str
    peildatum: date
    blokken: list[Blok]
    onderwerp: str = ""
    gemaakt: datetime = field(default_factory=datetime.now)


def schoon(text: object) -> str:
    """Text the core fonts can write: icons dropped, the rest in Windows-1252."""
    cleaned = " ".join(str(text).translate(REPLACE).split())
    return cleaned.encode("cp1252", errors="replace").decode("cp1252")


def cell_text(value: object, decimals: int | None = None, suffix: str = "") -> str:
    """One cell as the screen shows it: Dutch dates and numbers, a dash when unknown."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, date):
        return fmt_date(value)
    if isinstance(value, bool):
        return "Ja" if value else "Nee"
    if isinstance(value, int | float):
        return fmt_number(value, decimals if decimals is not None else 0) + suffix
    return schoon(value)


@cache
def _pdf_class() -> Any:
    """The A4 page with header and footer; fpdf is imported on the first print, not at every
    worker's start (half a second)."""
    from fpdf import FPDF

    class _Pdf(FPDF):
        def __init__(self, doc: Document, orientation: str) -> None:
            super().__init__(orientation=orientation, unit="mm", format="A4")
            self.doc = doc
            self.core_fonts_encoding = "windows-1252"
            self.set_margins(MARGIN, MARGIN + 6, MARGIN)
            self.set_auto_page_break(True, margin=MARGIN + 4)
            self.set_title(schoon(doc.titel))
            self.set_creator("Caseload- en termijnendashboard")

        def header(self) -> None:
            self.set_y(MARGIN - 2)
            self.set_font(FONT, "B", 8)
            self.cell(self.epw / 2, 4, schoon(self.doc.titel))
            self.set_font(FONT, "", 8)
            self.cell(self.epw / 2, 4, f"Peildatum {fmt_date(self.doc.peildatum)}", align="R")
            self.line(MARGIN, MARGIN + 3, self.w - MARGIN, MARGIN + 3)
            self.set_y(MARGIN + 6)

        def footer(self) -> None:
            self.set_y(-MARGIN)
            self.set_font(FONT, "", 7.5)
            gemaakt, peildatum = fmt_date(self.doc.gemaakt), fmt_date(self.doc.peildatum)
            made = f"Gemaakt op {gemaakt} · peildatum {peildatum}"
            self.cell(self.epw / 2, 4, schoon(made))
            self.cell(self.epw / 2, 4, f"Pagina {self.page_no()} van {{nb}}", align="R")

    return _Pdf


def _widths(pdf: "FPDF", tabel: Tabel, room: float) -> list[float] | None:
    """Column widths at the current font that fit room with no word broken (headers in
    bold), each column as near its longest cell as room allows (headers wrap first); None
    when even the longest words do not fit."""
    pad = 2 * PADDING + 1
    style, size = pdf.font_style, pdf.font_size_pt

    def longest_word(texts) -> float:
        return max(pdf.get_string_width(word) for t in texts for word in schoon(t).split() or [""])

    pdf.set_font(FONT, "B", size)
    headers = [longest_word([h]) for h in tabel.kolommen]
    pdf.set_font(FONT, style, size)
    least, natural = [], []
    for i, header in enumerate(headers):
        cells = [row[i] for row in tabel.rijen]
        least.append(max(header, longest_word(cells) if cells else 0) + pad)
        whole = max((pdf.get_string_width(schoon(c)) for c in cells), default=0) + pad
        natural.append(max(whole, least[-1]))
    if sum(least) > room:
        return None
    if sum(natural) <= room:
        return [n * room / sum(natural) for n in natural]
    spare = (room - sum(least)) / (sum(natural) - sum(least))
    return [m + (n - m) * spare for m, n in zip(least, natural, strict=True)]


def _fits_portrait(tabel: Tabel) -> bool:
    from fpdf import FPDF

    probe = FPDF(orientation="P", format="A4")
    probe.core_fonts_encoding = "windows-1252"
    probe.set_font(FONT, "", TABLE_PT)
    return _widths(probe, tabel, probe.w - 2 * MARGIN) is not None


def _table(pdf: "FPDF", tabel: Tabel) -> None:
    from fpdf import FontFace

    if not tabel.rijen:
        pdf.set_font(FONT, "I", TEXT_PT)
        pdf.multi_cell(0, 5, schoon(tabel.leeg), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        return
    size = TABLE_PT
    pdf.set_font(FONT, "", size)
    widths = _widths(pdf, tabel, pdf.epw)
    while widths is None and size > SMALLEST_PT:
        size -= 0.5
        pdf.set_font(FONT, "", size)
        widths = _widths(pdf, tabel, pdf.epw)
    align = tuple("RIGHT" if i in tabel.rechts else "LEFT" for i in range(len(tabel.kolommen)))
    with pdf.table(
        col_widths=widths or None,
        width=pdf.epw,
        align="LEFT",
        text_align=align,
        line_height=size * 0.45,
        padding=PADDING,
        headings_style=FontFace(emphasis="BOLD", fill_color=(225, 225, 225)),
        borders_layout="HORIZONTAL_LINES",
        repeat_headings=1,
    ) as table:
        table.row([schoon(h) for h in tabel.kolommen])
        for row in tabel.rijen:
            table.row([schoon(c) for c in row])
    pdf.ln(3)


def _lines(pdf: "FPDF", lijnen: Lijnen) -> None:
    needed = (lijnen.aantal + 1) * LINE_GAP
    if pdf.get_y() + needed > pdf.page_break_trigger:
        pdf.add_page()
    pdf.set_font(FONT, "B", TABLE_PT)
    parts = len(lijnen.kolommen) or 1
    # The first label (what was agreed) gets half the width, the others share the rest.
    widths = [pdf.epw] if parts == 1 else [pdf.epw / 2] + [pdf.epw / 2 / (parts - 1)] * (parts - 1)
    for label, width in zip(lijnen.kolommen, widths, strict=False):
        pdf.cell(width, 5, schoon(label))
    pdf.ln(5)
    for _ in range(lijnen.aantal):
        y = pdf.get_y() + LINE_GAP
        pdf.set_draw_color(150, 150, 150)
        pdf.line(MARGIN, y, pdf.w - MARGIN, y)
        pdf.set_y(y)
    pdf.set_draw_color(0, 0, 0)
    pdf.ln(4)


def render(doc: Document) -> bytes:
    """The document as PDF bytes: portrait, or landscape when a table does not fit it."""
    tables = [b for b in doc.blokken if isinstance(b, Tabel) and b.rijen]
    orientation = "P" if all(_fits_portrait(t) for t in tables) else "L"
    pdf = _pdf_class()(doc, orientation)
    pdf.add_page()
    pdf.set_font(FONT, "B", 15)
    pdf.multi_cell(0, 7, schoon(doc.titel), new_x="LMARGIN", new_y="NEXT")
    if doc.onderwerp:
        pdf.set_font(FONT, "", TEXT_PT)
        pdf.multi_cell(0, 5, schoon(doc.onderwerp), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for i, blok in enumerate(doc.blokken):
        if isinstance(blok, Kop):
            # A heading never stands alone at the foot of a page, nor apart from its lines.
            after = [b for b in doc.blokken[i + 1 : i + 3] if isinstance(b, Lijnen)]
            needed = 25 + sum((b.aantal + 1) * LINE_GAP for b in after[:1])
            if pdf.get_y() > pdf.page_break_trigger - needed:
                pdf.add_page()
            pdf.set_font(FONT, "B", 12 if blok.niveau == 1 else 10)
            pdf.multi_cell(0, 6, schoon(blok.tekst), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif isinstance(blok, Tekst):
            pdf.set_font(FONT, "", 7.5 if blok.klein else TEXT_PT)
            pdf.multi_cell(0, 4 if blok.klein else 4.6, schoon(blok.tekst),
                           new_x="LMARGIN", new_y="NEXT")  # fmt: skip
            pdf.ln(2)
        elif isinstance(blok, Tabel):
            _table(pdf, blok)
        else:
            _lines(pdf, blok)
    return bytes(pdf.output())
