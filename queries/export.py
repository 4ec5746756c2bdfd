"""CSV and Excel files from a query's frame, safe to open in a spreadsheet; Excel workbooks
ready to print.

A cell that starts with = + - @ (or a tab or carriage return) would run as a formula in Excel
or LibreOffice; in CSV such text gets a leading apostrophe, in Excel it is written as a string.
"""

import io
import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import polars as pl
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from queries.figuren import REGISTER
from queries.figuur import Figuur, afgerond

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_SHEET_NAME = 31
MAX_DECIMALS = 2
# Print layout, in Excel's character widths: a text column wider than this wraps; a header
# wraps at its longest word so a long Dutch header does not widen its column.
MAX_TEXT_WIDTH = 50
MIN_WIDTH = 8
# Points per line of Excel's default font (Calibri 11).
LINE_HEIGHT = 15
# Excel refuses a page header over 255 characters: each text in it is cut to this.
MAX_HEADER_TEXT = 80
A4 = 9
# A sheet of up to this many lines prints on one page, shrunk if need be; a longer one on as
# many pages as it needs at the scale that makes it one page wide.
ONE_PAGE_ROWS = 40


def neutralised(text: pl.Expr) -> pl.Expr:
    """The text as a spreadsheet will show it, never as a formula: a leading formula
    character gets an apostrophe before it."""
    starts = "".join(re.escape(c) for c in FORMULA_STARTS)
    return text.str.replace(f"^([{starts}])", "'$1")


def _plain(df: pl.DataFrame) -> pl.DataFrame:
    """Nested, enum and categorical columns become text, so every cell has a simple type."""
    exprs = []
    for name, dtype in df.schema.items():
        col = pl.col(name)
        if isinstance(dtype, pl.List | pl.Array):
            exprs.append(col.cast(pl.List(pl.String)).list.join(", "))
        elif isinstance(dtype, pl.Struct):
            exprs.append(col.struct.json_encode())
        elif isinstance(dtype, pl.Enum | pl.Categorical):
            exprs.append(col.cast(pl.String))
    return df.with_columns(exprs)


def csv_bytes(df: pl.DataFrame, decimals: dict[str, int] | None = None) -> bytes:
    """Semicolon-separated UTF-8 with BOM and decimal comma, as Dutch Excel opens it.

    A fraction is written with the decimals its figure shows (`decimals` per column), else at
    most MAX_DECIMALS: a sum of floats must not reach the file as 12,919999999999998.
    """
    decimals = decimals or {}
    df = _plain(df).with_columns(neutralised(pl.col(pl.String)))
    df = df.with_columns(
        afgerond(pl.col(name), decimals.get(name, MAX_DECIMALS))
        for name, dtype in df.schema.items()
        if dtype.is_float()
    )
    text = df.write_csv(
        separator=";", decimal_comma=True, date_format="%Y-%m-%d", datetime_format="%Y-%m-%d %H:%M"
    )
    return b"\xef\xbb\xbf" + text.encode("utf-8")


def _sheet_name(name: str, taken: set[str]) -> str:
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:MAX_SHEET_NAME] or "Blad"
    candidate, n = clean, 1
    while candidate.lower() in taken:
        n += 1
        suffix = f" ({n})"
        candidate = clean[: MAX_SHEET_NAME - len(suffix)] + suffix
    taken.add(candidate.lower())
    return candidate


@dataclass(frozen=True)
class Heading:
    """What every printed page of a workbook says: its title, the scope and the peildatum."""

    title: str
    scope: str
    peildatum: date


def _header_text(text: str) -> str:
    """User text safe in an Excel header or footer: & starts a code there, so it is doubled."""
    return text[:MAX_HEADER_TEXT].replace("&", "&&")


def number_format(unit: str, decimals: int) -> str:
    """The Excel format of a figure: its decimals, and a % sign after a percentage (the
    values are percentages already, so the format must not multiply them by 100)."""
    digits = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return digits + ('"%"' if unit == "pct" else "")


def _column_figure(name: str, figures: Mapping[str, str]) -> Figuur | None:
    key = figures.get(name, name)
    return REGISTER.get(key)


def _print_setup(
    ws: Worksheet, lines: int, heading: Heading | None, sheet: str, several: bool
) -> None:
    """Landscape A4, one page wide (and tall up to ONE_PAGE_ROWS lines), the header row on every
    page, title, scope, peildatum and page numbers in the page header and footer."""
    ws.set_landscape()
    ws.set_paper(A4)
    ws.set_margins(left=0.4, right=0.4, top=0.75, bottom=0.75)
    ws.fit_to_pages(1, 1 if lines <= ONE_PAGE_ROWS else 0)
    ws.repeat_rows(0)
    if heading is None:
        return
    title = f"{heading.title}: {sheet}" if several else heading.title
    ws.set_header(f'&L&"-,Bold"{_header_text(title)}&R{_header_text(heading.scope)}')
    ws.set_footer(f"&LPeildatum {heading.peildatum:%d-%m-%Y}&RPagina &P van &N")


def _width(value) -> int:
    if isinstance(value, float):
        return len(f"{value:,.2f}")
    return len(str(value))


class _Book:
    """An xlsxwriter workbook with the formats every sheet shares, one per number format."""

    def __init__(self, buffer: io.BytesIO) -> None:
        self.book = xlsxwriter.Workbook(
            buffer, {"in_memory": True, "strings_to_formulas": False, "nan_inf_to_errors": True}
        )
        top = {"valign": "top"}
        self.header = self.book.add_format(
            {"bold": True, "bg_color": "#E8EEF4", "border": 1, "text_wrap": True, **top}
        )
        self.plain = self.book.add_format(top)
        self.wrapped = self.book.add_format({"text_wrap": True, **top})
        self.date = self.book.add_format({"num_format": "dd-mm-yyyy", **top})
        self.datetime = self.book.add_format({"num_format": "dd-mm-yyyy hh:mm", **top})
        self.numbers: dict[str, Format] = {}

    def number(self, unit: str, decimals: int) -> Format:
        code = number_format(unit, decimals)
        if code not in self.numbers:
            self.numbers[code] = self.book.add_format({"num_format": code, "valign": "top"})
        return self.numbers[code]

    def column(
        self, df: pl.DataFrame, column: str, fig: Figuur | None, decimals: Mapping[str, int]
    ) -> tuple[pl.Series, Format]:
        """The column's values at the decimals shown, and its one number format."""
        dtype = df.schema[column]
        if fig is not None and dtype.is_numeric():
            return df.select(fig.expr(column)).to_series(), self.number(fig.eenheid, fig.decimalen)
        if dtype.is_float():
            places = decimals.get(column, MAX_DECIMALS)
            return df.select(afgerond(pl.col(column), places)).to_series(), self.number(
                "aantal", places
            )
        return df.get_column(column), self.number("aantal", 0)

    def cell(self, ws: Worksheet, row: int, col: int, value, number: Format) -> None:
        if isinstance(value, bool):
            ws.write_boolean(row, col, value, self.plain)
        elif isinstance(value, int | float):
            ws.write_number(row, col, value, number)
        elif isinstance(value, datetime):
            ws.write_datetime(row, col, value, self.datetime)
        elif isinstance(value, date):
            ws.write_datetime(row, col, value, self.date)
        else:
            text = str(value)
            long = len(text) > MAX_TEXT_WIDTH
            ws.write_string(row, col, text, self.wrapped if long else self.plain)


def xlsx_bytes(
    sheets: pl.DataFrame | dict[str, pl.DataFrame],
    sheet_name: str = "Gegevens",
    heading: Heading | None = None,
    figures: Mapping[str, str] | None = None,
    decimals: Mapping[str, int] | None = None,
    row_figures: Mapping[str, Sequence[str]] | None = None,
) -> bytes:
    """An Excel workbook with one sheet per frame: typed cells, text never a formula, ready to
    print (landscape, one page wide, header row repeated, heading on every page).

    A number column takes one format: that of its registered figure (a column named by its
    key, or by `figures`: header -> key), else its `decimals`, else whole numbers or
    MAX_DECIMALS. `row_figures` (sheet -> key per row) formats the number columns of a sheet
    whose rows each hold another figure, such as a summary. Cells hold the value shown.
    """
    if isinstance(sheets, pl.DataFrame):
        sheets = {sheet_name: sheets}
    buffer = io.BytesIO()
    book = _Book(buffer)
    taken: set[str] = set()
    for name, df in sheets.items():
        title = _sheet_name(name, taken)
        ws = book.book.add_worksheet(title)
        per_row = [REGISTER[k] for k in (row_figures or {}).get(name, ())]
        lines = _write_sheet(book, ws, _plain(df), figures or {}, decimals or {}, per_row)
        _print_setup(ws, lines, heading, title, len(sheets) > 1)
    book.book.close()
    return buffer.getvalue()


def _write_sheet(
    book: _Book,
    ws: Worksheet,
    df: pl.DataFrame,
    figures: Mapping[str, str],
    decimals: Mapping[str, int],
    per_row: list[Figuur],
) -> int:
    """The frame under a bold header row, each column as wide as it needs up to
    MAX_TEXT_WIDTH (longer text wraps), with a filter and the header frozen; the number of
    lines its data rows take, a wrapped row counting its lines."""
    lines = [1] * (df.height + 1)
    for col, column in enumerate(df.columns):
        ws.write_string(0, col, column, book.header)
        fig = _column_figure(column, figures)
        by_row = fig is None and bool(per_row) and df.schema[column].is_numeric()
        values, number = book.column(df, column, None if by_row else fig, decimals)
        width = max([MIN_WIDTH, *(len(word) for word in column.split())])
        for row, value in enumerate(values, start=1):
            if value is None:
                continue
            if by_row and row <= len(per_row):
                own = per_row[row - 1]
                value, number = own.rond(value), book.number(own.eenheid, own.decimalen)
            book.cell(ws, row, col, value, number)
            width = max(width, min(_width(value), MAX_TEXT_WIDTH))
            if isinstance(value, str) and len(value) > MAX_TEXT_WIDTH:
                lines[row] = max(lines[row], len(textwrap.wrap(value, MAX_TEXT_WIDTH)))
        # Bold header text runs wider than the column's character count.
        lines[0] = max(lines[0], len(textwrap.wrap(column, width - 1)))
        ws.set_column(col, col, width + 2)
    # A spreadsheet does not always grow a row to its wrapped text when it opens the file.
    for row, n in enumerate(lines):
        if n > 1:
            ws.set_row(row, LINE_HEIGHT * n)
    ws.freeze_panes(1, 0)
    if df.width:
        ws.autofilter(0, 0, max(df.height, 1), df.width - 1)
    return sum(lines[1:])
