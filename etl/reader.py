"""Reading a source export (a folder of CSV files or one .xlsx workbook) as text tables.

Every cell is read as text, exactly as written: parsing and validation are the loader's job.
A file wider than MAX_COLUMNS or with a line longer than MAX_LINE_BYTES is refused before it
is parsed: no export of the contract comes near either, and parsing one costs minutes and
gigabytes (a million columns in 7.9 MB took 73 s and 6.3 GB).
"""

import codecs
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

LINE = "_regel"
MAX_COLUMNS = 100
MAX_LINE_BYTES = 64 * 1024
# Bytes scanned at once for line ends: bounds the scan's own memory.
SCAN_BYTES = 1 << 24


class SourceError(Exception):
    """A problem with a whole file or the source itself: nothing may be loaded."""


@dataclass
class RawTable:
    """One contract file as read: text columns named by the lower-cased header, plus LINE."""

    name: str
    label: str
    frame: pl.DataFrame


def read_source(source: Path, names: Iterable[str]) -> dict[str, RawTable]:
    """Read every named file from a folder of CSVs or a workbook (or a folder holding one)."""
    names = list(names)
    source = Path(source)
    if not source.exists():
        raise SourceError(f"De bron {source} bestaat niet.")
    if source.is_file():
        if source.suffix.lower() != ".xlsx":
            raise SourceError(
                f"De bron {source} is geen map met CSV-bestanden en geen .xlsx-werkmap."
            )
        return _read_workbook(source, names)
    entries = {p.name.lower(): p for p in source.iterdir() if p.is_file()}
    if not any(name.endswith(".csv") for name in entries):
        workbooks = [p for name, p in entries.items() if name.endswith(".xlsx")]
        if len(workbooks) == 1:
            return _read_workbook(workbooks[0], names)
    missing = [f"{name}.csv" for name in names if f"{name}.csv" not in entries]
    if missing:
        raise SourceError(
            f"In {source} ontbreken bestanden: {', '.join(missing)}. "
            "Een export bevat alle twaalf bestanden van het datacontract."
        )
    tables = {}
    for name in names:
        path = entries[f"{name}.csv"]
        tables[name] = RawTable(name, path.name, read_csv(path))
    return tables


def read_csv(path: Path) -> pl.DataFrame:
    """A CSV file in UTF-8 (with or without BOM) or Windows-1252, delimiter ',' or ';'."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path.name} is niet te lezen: {exc.strerror}.") from exc
    if not data.strip(b"\xef\xbb\xbf \t\r\n"):
        raise SourceError(f"{path.name} is leeg: er staat zelfs geen kopregel in.")
    if b"\x00" in data:
        raise SourceError(
            f"{path.name} is niet te lezen: de tekencodering is geen UTF-8 of Windows-1252 "
            "(misschien UTF-16). Sla het bestand op als CSV UTF-8."
        )
    _check_size(data, path.name)
    separator = _detect_separator(data)
    columns = _header(data).count(separator.encode()) + 1
    if columns > MAX_COLUMNS:
        raise SourceError(_too_wide(path.name, columns))
    if not _is_utf8(data):
        try:
            data = data.decode("cp1252").encode("utf-8")
        except UnicodeDecodeError as exc:
            raise SourceError(
                f"{path.name} is niet te lezen: de tekencodering is geen UTF-8 of "
                "Windows-1252. Sla het bestand op als CSV UTF-8."
            ) from exc
    try:
        grid = _parse_csv(data, separator)
    except pl.exceptions.PolarsError as exc:
        field = re.search(r"Field `(.{0,60})", str(exc), re.S)
        where = f" (bij: {field.group(1).splitlines()[0]!r})" if field else ""
        raise SourceError(
            f"{path.name} is geen geldig CSV-bestand: een aanhalingsteken staat midden in een "
            f"veld of sluit een veld niet af{where}."
        ) from exc
    return _with_header(grid, path.name)


def _is_utf8(data: bytes) -> bool:
    """Check in slices, so a large export is not copied whole into a str."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    step = 1 << 24
    try:
        for start in range(0, len(data), step):
            decoder.decode(data[start : start + step])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _check_size(data: bytes, label: str) -> None:
    """Refuse a line longer than MAX_LINE_BYTES, naming the first one; numpy finds the line
    ends, in slices, so a large export is scanned fast and never copied whole."""
    view = np.frombuffer(data, dtype=np.uint8)
    start, line = 0, 1
    for offset in range(0, len(data), SCAN_BYTES):
        ends = np.flatnonzero(view[offset : offset + SCAN_BYTES] == ord("\n")) + offset
        if not ends.size:
            continue
        lengths = ends - np.concatenate(([start], ends[:-1] + 1))
        over = np.flatnonzero(lengths > MAX_LINE_BYTES)
        if over.size:
            raise SourceError(_too_long(label, line + int(over[0]), int(lengths[over[0]])))
        start, line = int(ends[-1]) + 1, line + int(ends.size)
    if len(data) - start > MAX_LINE_BYTES:
        raise SourceError(_too_long(label, line, len(data) - start))


def _too_long(label: str, line: int, size: int) -> str:
    return (
        f"{label} is niet te lezen: regel {_dots(line)} is {_dots(size)} bytes lang, meer dan "
        f"de {MAX_LINE_BYTES // 1024} KiB die een regel mag hebben. Er is niets geladen."
    )


def _too_wide(label: str, columns: int) -> str:
    return (
        f"{label} is niet te lezen: de kopregel heeft {_dots(columns)} kolommen, meer dan de "
        f"{MAX_COLUMNS} die een bestand mag hebben. Er is niets geladen."
    )


def _dots(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _header(data: bytes) -> bytes:
    return data[: data.find(b"\n")] if b"\n" in data else data


def _detect_separator(data: bytes) -> str:
    header = _header(data)
    return ";" if header.count(b";") > header.count(b",") else ","


def _parse_csv(data: bytes, separator: str) -> pl.DataFrame:
    return pl.read_csv(
        io.BytesIO(data),
        separator=separator,
        has_header=False,
        infer_schema=False,
        truncate_ragged_lines=True,
    )


def _with_header(grid: pl.DataFrame, label: str) -> pl.DataFrame:
    """Turn the first row into column names and number the rows as a person sees them."""
    if grid.height == 0:
        raise SourceError(f"{label} is leeg: er staat zelfs geen kopregel in.")
    header = [(cell or "").strip().lower() for cell in grid.row(0)]
    if not any(header):
        raise SourceError(f"{label}: de eerste regel moet de kolomnamen bevatten, maar is leeg.")
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            raise SourceError(f"{label}: de kolom '{name}' staat twee keer in de kopregel.")
        seen.add(name)
    keep = [(old, new) for old, new in zip(grid.columns, header, strict=True) if new]
    body = grid.slice(1).select([pl.col(old).alias(new) for old, new in keep])
    # Line numbers count the header as line 1; blank lines keep their number and are dropped.
    body = body.with_row_index(LINE, offset=2).with_columns(pl.col(LINE).cast(pl.Int64))
    data_columns = [new for _, new in keep]
    return body.filter(pl.any_horizontal(pl.col(c).is_not_null() for c in data_columns))


def _read_workbook(path: Path, names: list[str]) -> dict[str, RawTable]:
    import openpyxl

    try:
        # data_only=False: a formula is stored as the text it is, never as its computed value.
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:
        raise SourceError(f"{path.name} is geen leesbare .xlsx-werkmap ({exc}).") from exc
    try:
        sheets = {ws.title.strip().lower(): ws for ws in book.worksheets}
        missing = [name for name in names if name not in sheets]
        if missing:
            raise SourceError(
                f"In {path.name} ontbreken tabbladen: {', '.join(missing)}. "
                "Een export bevat alle twaalf bestanden van het datacontract, elk als tabblad."
            )
        tables = {}
        for name in names:
            ws = sheets[name]
            label = f"{path.name}, tabblad {ws.title}"
            # One column past the limit is read, to tell a too wide sheet; no more.
            cells = ws.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
            rows = [[_cell_text(v) for v in row] for row in cells]
            if not rows:
                raise SourceError(f"{label} is leeg: er staat zelfs geen kopregel in.")
            if len(rows[0]) > MAX_COLUMNS and rows[0][MAX_COLUMNS] is not None:
                raise SourceError(
                    f"{label} is niet te lezen: de kopregel heeft meer dan {MAX_COLUMNS} "
                    "kolommen. Er is niets geladen."
                )
            width = max(len(r) for r in rows)
            columns = [f"column_{i}" for i in range(width)]
            grid = pl.DataFrame(
                [r + [None] * (width - len(r)) for r in rows],
                schema={c: pl.String for c in columns},
                orient="row",
            )
            tables[name] = RawTable(name, label, _with_header(grid, label))
        return tables
    finally:
        book.close()


def _cell_text(value) -> str | None:
    """A workbook cell as the text a person means by it (dates as YYYY-MM-DD)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, dt.datetime):
        # Every date in the contract is a day; a time of day in the cell is noise.
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
