"""Helpers to build small source exports for the ETL tests, starting from the shared sample."""

import datetime as dt
import shutil
from pathlib import Path

from sqlalchemy import select

from store.engine import make_engine
from store.schema import DATA_TABLES, metadata

SAMPLE = Path(__file__).resolve().parents[2] / "sample-export"
# The sample's newest date is 2025-10-20.
SAMPLE_EXPORT_DATE = dt.date(2025, 11, 1)
SAMPLE_COUNTS = {
    "teams": 3,
    "jeugdigen": 3,
    "medewerkers": 4,
    "formatie": 3,
    "verzuim": 2,
    "caseloadgesprekken": 2,
    "maatregelen": 3,
    "toewijzingen": 4,
    "contacten": 4,
    "plannen": 3,
    "risicotaxaties": 2,
    "hulp": 2,
}


def copy_sample(tmp_path: Path, name: str = "export") -> Path:
    """A writable copy of the sample export."""
    target = tmp_path / name
    shutil.copytree(SAMPLE, target)
    for path in target.iterdir():
        path.chmod(0o644)
    target.chmod(0o755)
    return target


def append(source: Path, file: str, *lines: str) -> None:
    """Append data lines (comma-separated) to one CSV of an export."""
    path = source / f"{file}.csv"
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text + "".join(f"{line}\n" for line in lines), encoding="utf-8")


def replace_line(source: Path, file: str, old: str, new: str) -> None:
    path = source / f"{file}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def table_rows(url: str) -> dict[str, list[tuple]]:
    """Every data table's rows, sorted, to compare snapshots."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {t.name: sorted(conn.execute(select(t)).all(), key=repr) for t in DATA_TABLES}
    finally:
        engine.dispose()


def query(url: str, sql_table: str, *columns: str) -> list[tuple]:
    table = metadata.tables[sql_table]
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            cols = [table.c[c] for c in columns] if columns else [table]
            return conn.execute(select(*cols).order_by(*table.primary_key.columns)).all()
    finally:
        engine.dispose()
