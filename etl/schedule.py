"""The ETL service: at start and then every night, migrate and load the export folder if it
holds an export that was not loaded yet.

The export's content hash is kept in etl_runs.source after the folder path, so an unchanged
folder is skipped and a restart of the service does not load the same export twice.
"""

import datetime as dt
import hashlib
import logging
import signal
import time
from pathlib import Path

import sqlalchemy as sa

from etl.loader import (
    DATABASE_ERRORS,
    GEDEELTELIJK,
    GESLAAGD,
    LoadResult,
    first_line,
    latest_load,
    load_source,
)
from etl.migrations import upgrade
from store.engine import database_url, make_engine
from store.schema import etl_runs

log = logging.getLogger("etl.schedule")

EXPORT_SUFFIXES = (".csv", ".xlsx")
HASH_MARK = " sha256:"
# Sleep in short steps so a changed clock (or a suspended host) cannot postpone a run by hours.
MAX_NAP_SECONDS = 60.0


def parse_at(text: str) -> dt.time:
    """'02:00' -> 02:00; raises ValueError with a Dutch message otherwise."""
    try:
        hours, minutes = (int(part) for part in text.split(":"))
        return dt.time(hours, minutes)
    except ValueError as exc:
        raise ValueError(f"geen tijd in de vorm UU:MM: {text!r}") from exc


def next_run(now: dt.datetime, at: dt.time) -> dt.datetime:
    """The first moment at `at` strictly after `now`."""
    today = dt.datetime.combine(now.date(), at)
    return today if today > now else today + dt.timedelta(days=1)


def export_files(source: Path) -> list[Path]:
    """The export in the folder: its CSV files, else its newest workbook; none when empty."""
    files = sorted(p for p in source.iterdir() if p.is_file() and p.suffix in EXPORT_SUFFIXES)
    csvs = [p for p in files if p.suffix == ".csv"]
    if csvs:
        return csvs
    workbooks = [p for p in files if p.suffix == ".xlsx"]
    return [max(workbooks, key=lambda p: p.stat().st_mtime)] if workbooks else []


def fingerprint(files: list[Path]) -> str:
    """One hash over the names and contents of the export's files."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0")
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _loaded_hash(engine: sa.Engine) -> str | None:
    """The content hash of the latest successful load, if the scheduler made it."""
    with engine.connect() as conn:
        run = latest_load(conn)
    if run is None or HASH_MARK not in run.source:
        return None
    return run.source.rsplit(HASH_MARK, 1)[1]


def _mark(engine: sa.Engine, run_id: int, digest: str) -> None:
    with engine.begin() as conn:
        conn.execute(
            etl_runs.update()
            .where(etl_runs.c.id == run_id)
            .values(source=etl_runs.c.source + HASH_MARK + digest)
        )


def run_once(source: Path, url: str | None = None) -> int:
    """Migrate, then load the folder unless its export is the one loaded last.

    Exit code as `python -m etl load`: 0 loaded or unchanged, 2 loaded with rejected rows,
    1 nothing changed because of an error.
    """
    url = database_url(url)
    try:
        revision = upgrade(url)
    except DATABASE_ERRORS as exc:
        log.error("De database is niet bereikbaar: %s", first_line(exc))
        return 1
    log.info("Database bijgewerkt tot schemaversie %s.", revision)
    if not source.is_dir():
        log.error("De exportmap %s bestaat niet.", source)
        return 1
    files = export_files(source)
    if not files:
        log.info("Geen export gevonden in %s; er is niets geladen.", source)
        return 0
    digest = fingerprint(files)
    engine = make_engine(url)
    try:
        if _loaded_hash(engine) == digest:
            log.info("De export in %s is ongewijzigd sinds de vorige lading; overgeslagen.", source)
            return 0
        target = files[0] if files[0].suffix == ".xlsx" else source
        export_date = dt.date.fromtimestamp(max(p.stat().st_mtime for p in files))
        log.info("Export van %s laden uit %s ...", export_date.isoformat(), target)
        result = load_source(target, url, export_date=export_date, progress=False)
        if result.run_id is not None:
            _mark(engine, result.run_id, digest)
    except DATABASE_ERRORS as exc:
        log.error("De database is niet bereikbaar: %s", first_line(exc))
        return 1
    finally:
        engine.dispose()
    _log_result(result)
    return result.exit_code


def _log_result(result: LoadResult) -> None:
    run = f"run {result.run_id}" if result.run_id is not None else "geen run"
    if result.status == GESLAAGD:
        log.info("Geslaagd (%s): %s", run, result.message)
    elif result.status == GEDEELTELIJK:
        log.warning("Gedeeltelijk geladen (%s): %s", run, result.message)
        for r in result.rejected[:20]:
            log.warning("  afgewezen: %s regel %s: %s", r.bestand, r.regel, r.reden)
    else:
        log.error("Mislukt, er is niets veranderd (%s): %s", run, result.message)
    for r in result.notices[:20]:
        log.warning("  waarde weggelaten: %s regel %s: %s", r.bestand, r.regel, r.reden)
    for warning in result.warnings:
        log.warning("Waarschuwing: %s", warning)


def run_forever(source: Path, at: dt.time, url: str | None = None) -> int:
    """Run at start, then every day at `at` (local time); ends cleanly on SIGTERM or SIGINT."""

    def _stop(signum, _frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, _stop)
    log.info("ETL-planner gestart: exportmap %s, elke nacht om %s.", source, at.strftime("%H:%M"))
    try:
        while True:
            run_once(source, url)
            due = next_run(dt.datetime.now(), at)
            log.info("Volgende lading om %s.", due.strftime("%Y-%m-%d %H:%M"))
            while (left := (due - dt.datetime.now()).total_seconds()) > 0:
                time.sleep(min(left, MAX_NAP_SECONDS))
    except (SystemExit, KeyboardInterrupt):
        log.info("ETL-planner gestopt.")
        return 0
