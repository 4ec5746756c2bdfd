"""The Voortgangsrapportage's workbook on the JBN demo, printed by LibreOffice: every sheet one
page wide under its heading, a short sheet on one page, each figure in its registered format."""

from datetime import date

import polars as pl
import pytest

from etl.loader import load_source
from queries.config import Config
from queries.export import MAX_TEXT_WIDTH, ONE_PAGE_ROWS
from queries.figuren import figuur
from queries.kalender import add_months
from queries.rapportage import SUMMARY_KEYS, figure_of, progress_report, report_xlsx
from queries.scope import MANAGER
from queries.snapshot import load_snapshot
from store.engine import make_engine
from tests.print.conftest import flat, print_workbook, printed_number

TITLE = "Voortgangsrapportage"


@pytest.fixture(scope="module")
def jbn(tmp_path_factory, jbn_export):
    """The JBN demo loaded into SQLite: (snapshot, export date)."""
    source, export_date = jbn_export
    url = f"sqlite:///{tmp_path_factory.mktemp('rapport') / 'jbn.sqlite'}"
    assert load_source(source, url, export_date, False, demo=True).status == "geslaagd"
    engine = make_engine(url)
    try:
        return load_snapshot(engine), export_date
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def report(jbn, tmp_path_factory) -> tuple[dict[str, pl.DataFrame], list[str], date]:
    """The report's frames, the pages of its workbook as printed, and its peildatum."""
    snap, day = jbn
    since = add_months(day.replace(day=1), -12)
    frames = progress_report(snap, MANAGER, day, Config(), since)
    book = report_xlsx(snap, MANAGER, day, Config(), since)
    return frames, print_workbook(book, tmp_path_factory.mktemp("afdruk")), day


def per_sheet(pages: list[str], sheets: list[str]) -> dict[str, list[str]]:
    """The printed pages of each sheet, known by the sheet's name in the page heading."""
    found: dict[str, list[str]] = {sheet: [] for sheet in sheets}
    for text in pages:
        heading = text.splitlines()[0]
        named = [s for s in sheets if heading.startswith(f"{TITLE}: {s} ")]
        assert named, f"pagina zonder kop van een blad: {heading!r}"
        found[max(named, key=len)].append(text)
    return found


def _formats(frame: pl.DataFrame, sheet: str):
    """(column, row, figure) of each number the sheet shows as a registered figure."""
    for column in frame.columns:
        key = figure_of(column)
        for row, value in enumerate(frame[column]):
            if value is None or isinstance(value, str):
                continue
            if key is not None:
                yield column, value, figuur(key)
            elif sheet == "Samenvatting":
                yield column, value, figuur(SUMMARY_KEYS[row])


def test_each_sheet_prints_one_page_wide_and_a_short_one_on_one_page(report):
    frames, pages, day = report
    sheets = per_sheet(pages, [*frames, "Over dit rapport", "Definities"])
    for n, text in enumerate(pages, start=1):
        assert f"Peildatum {day:%d-%m-%Y}" in text and f"Pagina {n} van {len(pages)}" in text
        assert "De hele organisatie" in text.splitlines()[0]
    for sheet, frame in frames.items():
        assert sheets[sheet], f"{sheet} niet afgedrukt"
        wrapped = any(
            len(str(v)) > MAX_TEXT_WIDTH for c in frame.columns for v in frame[c] if v is not None
        )
        if frame.height <= ONE_PAGE_ROWS and not wrapped:
            assert len(sheets[sheet]) == 1, f"{sheet}: {len(sheets[sheet])} pagina's"
        # The first and the last column's header on every page: one page wide, header repeated.
        for text in sheets[sheet]:
            for header in (frame.columns[0], frame.columns[-1]):
                assert all(word in text for word in header.split()), (sheet, header)
        # No cell cut off: every text prints whole.
        whole = flat("".join(sheets[sheet]))
        for column in frame.columns:
            if frame.schema[column] == pl.String:
                for value in frame[column].drop_nulls():
                    assert flat(value) in whole, (sheet, column, value)


def test_every_figure_prints_in_its_registered_format(report):
    frames, pages, _day = report
    sheets = per_sheet(pages, [*frames, "Over dit rapport", "Definities"])
    whole_pct = 0
    for sheet, frame in frames.items():
        text = "\n".join(sheets[sheet])
        for column, value, f in _formats(frame, sheet):
            shown = f.rond(value)
            suffix = "%" if f.eenheid == "pct" else ""
            assert printed_number(shown, f.decimalen, suffix).search(text), (sheet, column, shown)
            whole_pct += f.eenheid == "pct" and f.decimalen > 0 and shown == int(shown)
    # The case of the issue: a whole percentage printed with its decimal, as 73,0 beside 68,3.
    assert whole_pct > 0
