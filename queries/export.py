"""CSV and Excel files from a query's frame, safe to open in a spreadsheet.

A cell that starts with = + - @ (or a tab or carriage return) would run as a formula in Excel
or LibreOffice; in CSV such text gets a leading apostrophe, in Excel it is written as a string.
"""

import io
import re
from datetime import date, datetime

import polars as pl
import xlsxwriter

from queries.figuur import afgerond

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_SHEET_NAME = 31
MAX_DECIMALS = 2


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


def xlsx_bytes(
    sheets: pl.DataFrame | dict[str, pl.DataFrame], sheet_name: str = "Gegevens"
) -> bytes:
    """An Excel workbook with one sheet per frame: typed cells, text never a formula."""
    if isinstance(sheets, pl.DataFrame):
        sheets = {sheet_name: sheets}
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "nan_inf_to_errors": True}
    )
    header = book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1})
    date_fmt = book.add_format({"num_format": "dd-mm-yyyy"})
    datetime_fmt = book.add_format({"num_format": "dd-mm-yyyy hh:mm"})
    taken: set[str] = set()
    for name, df in sheets.items():
        df = _plain(df)
        ws = book.add_worksheet(_sheet_name(name, taken))
        widths = [len(c) for c in df.columns]
        for col, title in enumerate(df.columns):
            ws.write_string(0, col, title, header)
        for row, values in enumerate(df.iter_rows(), start=1):
            for col, value in enumerate(values):
                if value is None:
                    continue
                if isinstance(value, bool):
                    ws.write_boolean(row, col, value)
                elif isinstance(value, int | float):
                    ws.write_number(row, col, value)
                elif isinstance(value, datetime):
                    ws.write_datetime(row, col, value, datetime_fmt)
                elif isinstance(value, date):
                    ws.write_datetime(row, col, value, date_fmt)
                else:
                    text = str(value)
                    ws.write_string(row, col, text)
                    widths[col] = max(widths[col], min(len(text), 60))
        for col, width in enumerate(widths):
            ws.set_column(col, col, max(width, 10) + 2)
        ws.freeze_panes(1, 0)
        if df.width:
            ws.autofilter(0, 0, max(df.height, 1), df.width - 1)
    book.close()
    return buffer.getvalue()
