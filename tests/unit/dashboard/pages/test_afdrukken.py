"""The print path: the Caseloadgesprek and the Voortgangsrapportage as A4 PDFs made on the
server, read back with pypdf on the JBN demo: every row of the screen's tables, whole."""

import io

import polars as pl
import pypdf

from dashboard import data, pdf
from dashboard.components.cijfers import fmt_figuur
from dashboard.components.widgets import document_table, export_frame
from dashboard.rapportversies import versions_section
from dashboard.viewer import current_viewer
from queries.figuren import figuur
from queries.rapportage import SUMMARY_KEYS
from queries.termijnen import werklijst
from tests.unit.dashboard.helpers import find, text


def pages(content: bytes) -> list[str]:
    return [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages]


def words(texts: list[str]) -> str:
    """The text with every line break as a space: a wrapped cell reads as one."""
    return " ".join(" ".join(texts).split())


def busiest_worker() -> str:
    """The worker with the most overdue deadlines on the export date: the longest tables."""
    snap = data.snapshot()
    rows = werklijst(snap, current_viewer(), snap.export_date, data.config())
    overdue = rows.filter(pl.col("status") == "verlopen").group_by("medewerker_id").len()
    return overdue.sort("len", "medewerker_id", descending=[True, False])["medewerker_id"][0]


def test_the_talks_pdf_holds_every_row_of_every_table_untruncated(jbn):
    from dashboard.pages import caseloadgesprek as gesprek

    worker = busiest_worker()
    params = {"medewerker": worker, "weken": "2"}
    content, rows = gesprek.document(current_viewer(), params)
    texts = pages(content)
    text = words(texts)
    total = 0
    for build, _table, title, empty, _intro in gesprek.gesprek_sections(params):
        df, columns = build(current_viewer(), params)
        total += df.height
        assert title in text
        if df.height == 0:
            assert empty in text
            continue
        table = document_table(df, columns)
        assert table.rijen and len(table.rijen) == export_frame(df, columns).height
        for row in table.rijen:
            for cell in row:
                assert pdf.schoon(cell) in text, (title, cell)
    attention, _ = gesprek.attention_table(current_viewer(), params)
    assert attention.filter(pl.col("status") == "verlopen").height > 0
    # The long texts stand whole: a status, a norm and every overdue day count.
    for termijn in attention["termijn"].unique():
        assert termijn in text
    uitval, _ = gesprek.uitval_rows(current_viewer(), params)
    assert all(m in text for m in uitval["maatregel_id"])
    assert rows == total + uitval.height
    assert "Afspraak Wie Uiterlijk" in text
    for number, page in enumerate(texts, start=1):
        assert f"Pagina {number} van {len(texts)}" in page
    assert f"Peildatum {data.as_of({}):%d-%m-%Y}" in texts[0]


def test_the_reports_pdf_holds_every_row_and_figure(jbn):
    from dashboard.pages import voortgangsrapportage as rapport

    params = {"vanaf": "2025-07-01"}
    doc, report = rapport.report_document(current_viewer(), params)
    content, rows = rapport.document(current_viewer(), params)
    assert rows == sum(frame.height for frame in report.values())
    texts = pages(content)
    text = words(texts)
    tables = [b for b in doc.blokken if isinstance(b, pdf.Tabel)]
    # The Samenvatting, Per regio (a row per figure) and a table per section, every row.
    assert len(tables) == 2 + len(rapport.FIGURE_TITLES)
    assert len(tables[0].rijen) == len(SUMMARY_KEYS)
    assert len(tables[1].rijen) == report["Per regio"].width - 1
    for table, key in zip(tables[2:], rapport.FIGURE_TITLES, strict=True):
        assert len(table.rijen) == report[key].height > 0, key
    for table in tables:
        for row in table.rijen:
            for cell in row:
                assert pdf.schoon(cell) in text, cell
    for key, value in zip(SUMMARY_KEYS, report["Samenvatting"]["Waarde"], strict=True):
        assert f"{figuur(key).naam} " in text and fmt_figuur(key, value) in text
    for month in report["CCP en CRT"]["Maand"]:
        assert month in text
    for title in rapport.FIGURE_TITLES.values():
        assert title in text
    for number, page in enumerate(texts, start=1):
        assert f"Pagina {number} van {len(texts)}" in page
        assert f"Peildatum {data.as_of({}):%d-%m-%Y}" in page


def test_a_vastgestelde_version_prints_its_toelichting_and_the_previous_versions_figures(jbn):
    from dashboard.pages import voortgangsrapportage as rapport
    from queries.gebruikers import Account
    from queries.rapportversies import bestand, versies

    mt = Account("mt", "manager", "1157")
    params = {"vanaf": "2025-07-01"}
    first = rapport.vaststel_rapport(mt, params, {"Samenvatting": "Zoals besproken in het MT."})
    second = rapport.vaststel_rapport(mt, params, {"Verloop": "Twee vertrokken in februari."})
    engine = data.engine()
    assert versies(engine, current_viewer())["id"].to_list() == [second, first]
    one = words(pages(bestand(engine, current_viewer(), first, "pdf")))
    two = words(pages(bestand(engine, current_viewer(), second, "pdf")))
    assert (
        "Toelichting MT: Zoals besproken in het MT." in one and "Vastgesteld in versie" not in one
    )
    assert "Toelichting MT: Twee vertrokken in februari." in two
    assert f"Vastgesteld in versie {first} Verschil met die versie" in two
    assert "vastgesteld door mt" in two
    # The list on the page: each version with its toelichting, the newest compared.
    section = versions_section("voortgang", current_viewer(), rapport.SECTION_TITLES)
    grid = find(section, "voortgang-versies-tabel")
    assert [r["versie"] for r in grid.rowData] == [str(second), str(first)]
    assert (
        "9. Verloop per functiegroep: Twee vertrokken in februari."
        in grid.rowData[0]["toelichting"]
    )
    compared = find(section, "voortgang-vergelijking")
    assert len(compared.rowData) == len(SUMMARY_KEYS)
    assert {r["Verschil"] for r in compared.rowData} <= {"0", "0 pt", "0,0 pt", "0,0 dagen", "–"}
    assert f"naast vastgestelde versie {first} ervoor" in text(section)
