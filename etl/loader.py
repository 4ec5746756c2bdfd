"""Load a GI's export into the database as one full snapshot, keeping every rejected row.

Validation is column-wise in polars; writing is one transaction per load (PostgreSQL COPY,
SQLite executemany) behind a lock, so readers see either the old or the new snapshot.
"""

import datetime as dt
import io
import json
import os
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import psycopg
from polars.expr.whenthen import ChainedThen, Then
from sqlalchemy import Connection, Engine, Row, Table, insert, select
from sqlalchemy.exc import SQLAlchemyError

from etl.contract import FILES, SPECS, Col, FileSpec, Ref
from etl.migrations import lock_for_writing, upgrade
from etl.reader import LINE, RawTable, SourceError, read_source
from queries import voorbereiding
from queries.config import load_config
from store.engine import database_url, make_engine
from store.ladingen import GEDEELTELIJK, GESLAAGD, MISLUKT
from store.schema import DATA_TABLES, afgewezen_rijen, etl_runs, gebruikers, metadata

# What became of a reported row: not loaded, or loaded without the one value it reports.
AFGEWEZEN, WAARDE_WEGGELATEN = "afgewezen", "waarde_weggelaten"
EXIT_CODES = {GESLAAGD: 0, GEDEELTELIJK: 2, MISLUKT: 1}
CHUNK_ROWS = 200_000

# What the reasons call a referenced file's row, in plain Dutch.
_TARGET_NOUN = {
    "teams": "team",
    "medewerkers": "medewerker",
    "maatregelen": "maatregel",
    "jeugdigen": "jeugdige",
}
_REASON, _COLUMN, _VALUE = "_reden", "_kolom", "_waarde"
# A reported value keeps this many characters and its length: one bad 20 MB value was stored,
# printed twice and made Datakwaliteit's answer 60 MB.
MAX_VALUE_CHARS = 200
# The bulk writes use the drivers directly, so their errors come unwrapped.
DATABASE_ERRORS = (SQLAlchemyError, sqlite3.Error, psycopg.Error)


@dataclass(frozen=True)
class Rejection:
    """A reported row: rejected, or (gevolg WAARDE_WEGGELATEN) loaded without `kolom`."""

    bestand: str
    regel: int
    kolom: str | None
    waarde: str | None
    reden: str
    gevolg: str = AFGEWEZEN


@dataclass
class LoadResult:
    run_id: int | None
    status: str
    exit_code: int
    rows_per_file: dict[str, int]
    rejected: list[Rejection]
    message: str
    warnings: list[str] = field(default_factory=list)
    # Rows that were loaded with a dangling optional link left empty.
    notices: list[Rejection] = field(default_factory=list)
    # What preparing the queries' frames (queries.voorbereiding) cost this load.
    voorbereid_seconden: float = 0.0
    voorbereid_bytes: int = 0


@dataclass
class Validated:
    """The rows to load per file (typed, in table column order), everything rejected, and the
    values left out of rows that were loaded."""

    frames: dict[str, pl.DataFrame]
    rejected: list[Rejection]
    warnings: list[str]
    notices: list[Rejection] = field(default_factory=list)


class WipeRefused(Exception):
    """The export holds far fewer rows than the latest load: it would wipe good data."""


def load_source(
    source: Path,
    url: str | None = None,
    export_date: dt.date | None = None,
    progress: bool | None = None,
    *,
    force: bool = False,
    demo: bool = False,
) -> LoadResult:
    """Load the export in `source`; on any file-level problem the data tables stay untouched.

    force: load even when a file shrank to under half of the latest load (a GI that really
    shrank). demo: the export is a generated demo; any other load ends demo mode.
    """
    source = Path(source)
    export_date = export_date or dt.date.today()
    show = _Progress(_wants_progress() if progress is None else progress)
    started = _now()
    url = database_url(url)
    try:
        upgrade(url)
        engine = make_engine(url)
    except DATABASE_ERRORS as exc:
        return _failed(None, f"De database is niet bereikbaar: {first_line(exc)}", [])
    try:
        try:
            tables = read_source(source, SPECS)
            for table in tables.values():
                show.note(f"{table.label}: {thousands(table.frame.height)} rijen gelezen")
            validated = validate(tables, export_date)
        except SourceError as exc:
            return _record_failure(engine, source, export_date, started, str(exc), [])
        try:
            return _write(engine, source, export_date, started, validated, show, force, demo)
        except WipeRefused as exc:
            return _record_failure(
                engine, source, export_date, started, str(exc), validated.warnings
            )
        except DATABASE_ERRORS as exc:
            message = f"Het schrijven naar de database is mislukt: {first_line(exc)}"
            return _record_failure(
                engine, source, export_date, started, message, validated.warnings
            )
    finally:
        engine.dispose()


def validate(tables: dict[str, RawTable], export_date: dt.date) -> Validated:
    """Check every row against the contract; files in dependency order so rejections cascade."""
    frames: dict[str, pl.DataFrame] = {}
    index: dict[str, tuple[str, pl.DataFrame]] = {}
    rejected: list[Rejection] = []
    notices: list[Rejection] = []
    warnings: list[str] = []
    for spec in FILES:
        raw = tables[spec.name]
        frame = _checked_columns(raw, spec, warnings)
        frame = _own_checks(frame, spec, export_date)
        for ref in spec.refs:
            if not ref.drop_link:
                frame = _reference(frame, ref.column, ref.target, index[ref.target])
        if spec.overlap:
            frame = _overlaps(frame, spec.overlap)
        bad = frame.filter(pl.col(_REASON).is_not_null()).sort(LINE)
        rejected.extend(
            Rejection(raw.label, regel, kolom, waarde, reden)
            for regel, kolom, waarde, reden in bad.select(
                LINE, _COLUMN, clipped(pl.col(_VALUE)), _REASON
            ).iter_rows()
        )
        if len(spec.key) == 1:
            index[spec.name] = (raw.label, _accepted_keys(frame, spec))
        # Links are dropped only once every rejection of this file is known, since a link
        # to a row of the same file may dangle because that row was rejected.
        for ref in (r for r in spec.refs if r.drop_link):
            frame, dropped = _drop_link(frame, spec, ref, index[ref.target], raw.label)
            notices.extend(dropped)
        frames[spec.name] = _output(frame.filter(pl.col(_REASON).is_null()), spec)
    return Validated(frames, rejected, warnings, notices)


def _parsed(name: str) -> str:
    return f"_v_{name}"


def clipped(value: pl.Expr) -> pl.Expr:
    """The text, or its first MAX_VALUE_CHARS characters and its length: 'abc…(20.971.520
    tekens)'."""
    n = value.str.len_chars()

    def three(e: pl.Expr) -> pl.Expr:
        return e.cast(pl.String).str.zfill(3)

    length = (
        pl.when(n >= 1_000_000)
        .then(pl.format("{}.{}.{}", n // 1_000_000, three(n // 1000 % 1000), three(n % 1000)))
        .when(n >= 1000)
        .then(pl.format("{}.{}", n // 1000, three(n % 1000)))
        .otherwise(n.cast(pl.String))
    )
    short = pl.format("{}…({} tekens)", value.str.slice(0, MAX_VALUE_CHARS), length)
    return pl.when(n > MAX_VALUE_CHARS).then(short).otherwise(value)


def _checked_columns(raw: RawTable, spec: FileSpec, warnings: list[str]) -> pl.DataFrame:
    """Stop on a missing required column; warn about extra or absent optional ones."""
    present = set(raw.frame.columns) - {LINE}
    missing = [c for c in spec.required_columns if c not in present]
    if missing:
        names = ", ".join(f"'{c}'" for c in missing)
        raise SourceError(
            f"{raw.label} mist de verplichte kolom{'men' if len(missing) > 1 else ''} {names}."
        )
    extra = sorted(present - set(spec.column_names))
    if extra:
        names = ", ".join(f"'{c}'" for c in extra)
        warnings.append(f"{raw.label}: onbekende kolom(men) {names} genegeerd.")
    absent = [c for c in spec.column_names if c not in present]
    if absent:
        names = ", ".join(f"'{c}'" for c in absent)
        warnings.append(f"{raw.label}: kolom(men) {names} ontbreken; behandeld als leeg.")
    return raw.frame.select(
        LINE,
        *[
            (pl.col(c).str.strip_chars() if c in present else pl.lit(None, pl.String)).alias(c)
            for c in spec.column_names
        ],
    ).with_columns(
        pl.when(pl.col(c).str.len_chars() > 0).then(pl.col(c)).alias(c) for c in spec.column_names
    )


def _fmt(number: float) -> str:
    return f"{number:g}".replace(".", ",")


def _parse(col: Col) -> tuple[pl.Expr, str]:
    """The parsed value of a column (null when unparseable) and the reason when it is."""
    r = pl.col(col.name)
    if col.kind == "date":
        return _date(r), "geen geldige datum (verwacht JJJJ-MM-DD of DD-MM-JJJJ)"
    if col.kind == "bool":
        value = r.str.to_lowercase().replace_strict(
            {"ja": True, "true": True, "1": True, "nee": False, "false": False, "0": False},
            default=None,
            return_dtype=pl.Boolean,
        )
        return value, "geen geldige ja/nee-waarde (verwacht ja, nee, true, false, 1 of 0)"
    if col.kind == "float":
        number = pl.when(r.str.contains(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")).then(
            r.str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)
        )
        return number, "geen geldig getal"
    if col.kind == "code":
        value = r.str.to_lowercase().replace_strict(
            {code.lower(): code for code in col.codes}, default=None, return_dtype=pl.String
        )
        return value, f"onbekende code (toegestaan: {', '.join(col.codes)})"
    if col.kind == "month":
        # Excel likes to turn 2025-10 into a date; its month is what was meant.
        month = (
            pl.when(r.str.contains(r"^\d{4}-(0[1-9]|1[0-2])$"))
            .then(r)
            .otherwise(_date(r).dt.strftime("%Y-%m"))
        )
        return month, "geen geldige maand (verwacht JJJJ-MM)"
    return r, ""


def _date(r: pl.Expr) -> pl.Expr:
    return (
        pl.when(r.str.contains(r"^\d{4}-\d{2}-\d{2}$"))
        .then(r.str.to_date("%Y-%m-%d", strict=False))
        # Dutch Excel writes 5-9-2025 for DD-MM-YYYY; accept it, since that is what was meant.
        .when(r.str.contains(r"^\d{1,2}-\d{1,2}-\d{4}$"))
        .then(r.str.to_date("%d-%m-%Y", strict=False))
    )


def _range_reason(col: Col) -> str:
    # Asked only of a column with a minimum.
    assert col.minimum is not None
    if col.maximum is None:
        return f"moet minimaal {_fmt(col.minimum)} zijn"
    low = "groter dan" if col.minimum_exclusive else "minimaal"
    return f"moet {low} {_fmt(col.minimum)} en hoogstens {_fmt(col.maximum)} zijn"


def _own_checks(frame: pl.DataFrame, spec: FileSpec, export_date: dt.date) -> pl.DataFrame:
    """Everything a row can be rejected for without looking at other files."""
    parsed, unparseable = [], {}
    for col in spec.columns:
        value, unparseable[col.name] = _parse(col)
        if col.default is not None:
            value = pl.when(pl.col(col.name).is_null()).then(pl.lit(col.default)).otherwise(value)
        parsed.append(value.alias(_parsed(col.name)))
    frame = frame.with_columns(parsed)

    checks: list[tuple[pl.Expr, str, pl.Expr, pl.Expr]] = []
    for col in spec.columns:
        raw, value = pl.col(col.name), pl.col(_parsed(col.name))
        if col.required:
            checks.append((raw.is_null(), col.name, raw, pl.lit("verplichte waarde ontbreekt")))
        if col.kind != "text":
            reason = pl.lit(unparseable[col.name])
            checks.append((raw.is_not_null() & value.is_null(), col.name, raw, reason))
        if col.minimum is not None:
            too_low = value <= col.minimum if col.minimum_exclusive else value < col.minimum
            too_high = value > col.maximum if col.maximum is not None else pl.lit(False)
            checks.append((too_low | too_high, col.name, raw, pl.lit(_range_reason(col))))
    for earlier, later in spec.date_order:
        checks.append(
            (
                pl.col(_parsed(later)) < pl.col(_parsed(earlier)),
                later,
                pl.col(later),
                pl.format(f"{later} ligt vóór {earlier} ({{}})", pl.col(_parsed(earlier))),
            )
        )
    month = export_date.strftime("%Y-%m")
    for col in spec.columns:
        value = pl.col(_parsed(col.name))
        if col.kind == "date" and not col.future_allowed:
            future = value > export_date
        elif col.kind == "month":
            future = value > month
        else:
            continue
        checks.append(
            (
                future,
                col.name,
                pl.col(col.name),
                pl.lit(f"ligt na de exportdatum ({export_date.isoformat()})"),
            )
        )
    if spec.key:
        keys = [pl.col(_parsed(k)) for k in spec.key]
        complete = pl.all_horizontal(k.is_not_null() for k in keys)
        repeated = ~(keys[0] if len(keys) == 1 else pl.struct(keys)).is_first_distinct()
        checks.append(
            (
                complete & repeated,
                ", ".join(spec.key),
                pl.concat_str(keys, separator=", "),
                pl.format(
                    f"dubbele {', '.join(spec.key)}: komt al voor op regel {{}}", pl.col("_eerste")
                ),
            )
        )
    return _first_failing(frame, spec, checks)


def _first_failing(
    frame: pl.DataFrame, spec: FileSpec, checks: list[tuple[pl.Expr, str, pl.Expr, pl.Expr]]
) -> pl.DataFrame:
    """Add reason, column and value of the first check each row fails (null when none).

    The conditions run over every row; the texts only over the few rows that fail.
    """
    failing = pl.coalesce(
        [pl.when(cond.fill_null(False)).then(pl.lit(i)) for i, (cond, *_) in enumerate(checks)]
    )
    frame = frame.with_columns(failing.alias("_check"))
    bad = frame.filter(pl.col("_check").is_not_null())
    frame = frame.drop("_check").with_columns(
        pl.lit(None, pl.String).alias(name) for name in (_REASON, _COLUMN, _VALUE)
    )
    if not bad.height:
        return frame
    if spec.key:
        keys = [_parsed(k) for k in spec.key]
        firsts = frame.select(*keys, pl.col(LINE).alias("_eerste")).unique(
            subset=keys, keep="first", maintain_order=True
        )
        bad = bad.join(firsts, on=keys, how="left", nulls_equal=True)
    texts = []
    for name, pick in ((_REASON, 3), (_COLUMN, 1), (_VALUE, 2)):
        expr: Then | ChainedThen = pl.when(pl.lit(False)).then(pl.lit(None, pl.String))
        for i, check in enumerate(checks):
            part = check[pick]
            part = pl.lit(part) if isinstance(part, str) else part
            expr = expr.when(pl.col("_check") == i).then(part.cast(pl.String))
        texts.append(expr.otherwise(pl.lit(None, pl.String)).alias(name))
    return _merge_reasons(frame, bad.select(LINE, *texts))


def _merge_reasons(frame: pl.DataFrame, bad: pl.DataFrame) -> pl.DataFrame:
    """Record reasons for rows that were still accepted (`bad`: LINE and the three texts)."""
    if not bad.height:
        return frame
    new = frame.select(LINE).join(bad, on=LINE, how="left", maintain_order="left")
    return frame.with_columns(
        pl.coalesce(pl.col(name), new.get_column(name)).alias(name)
        for name in (_REASON, _COLUMN, _VALUE)
    )


def _accepted_keys(frame: pl.DataFrame, spec: FileSpec) -> pl.DataFrame:
    """Per identifier of a file: whether a row with it was accepted, and its first line."""
    (key,) = spec.key
    return (
        frame.filter(pl.col(_parsed(key)).is_not_null())
        .group_by(_parsed(key))
        .agg(
            pl.col(_REASON).is_null().any().alias("accepted"),
            pl.col(LINE).min().alias("regel"),
        )
        .rename({_parsed(key): "key"})
    )


def _dangling(
    frame: pl.DataFrame, column: str, noun: str, index: tuple[str, pl.DataFrame]
) -> tuple[pl.DataFrame, pl.Expr]:
    """The accepted rows whose `column` names no accepted row of the target, and the reason."""
    label, keys = index
    found = frame.select(pl.col(_parsed(column)).alias("key")).join(
        keys, on="key", how="left", maintain_order="left"
    )
    dangling = (
        pl.col(_REASON).is_null()
        & pl.col(column).is_not_null()
        & ~found.get_column("accepted").fill_null(False)
    )
    value = clipped(pl.col(column))
    regel = found.get_column("regel").alias("_t_regel")
    # rechunk: polars 2.1 panics formatting strings of a filtered multi-chunk frame.
    bad = frame.with_columns(regel).filter(dangling).rechunk()
    reason = (
        pl.when(pl.col("_t_regel").is_null())
        .then(pl.format(f"onbekende {noun}: {{}} komt niet voor in {label}", value))
        .otherwise(
            pl.format(
                f"verwijst naar {noun} {{}}, maar die rij is afgewezen ({label}, regel {{}})",
                value,
                pl.col("_t_regel"),
            )
        )
    )
    return bad, reason


def _reference(
    frame: pl.DataFrame, column: str, target: str, index: tuple[str, pl.DataFrame]
) -> pl.DataFrame:
    """Reject rows whose `column` names no loaded row of `target`."""
    bad, reason = _dangling(frame, column, _TARGET_NOUN[target], index)
    return _merge_reasons(
        frame,
        bad.select(
            LINE, reason.alias(_REASON), pl.lit(column).alias(_COLUMN), pl.col(column).alias(_VALUE)
        ),
    )


def _drop_link(
    frame: pl.DataFrame, spec: FileSpec, ref: Ref, index: tuple[str, pl.DataFrame], label: str
) -> tuple[pl.DataFrame, list[Rejection]]:
    """Empty a dangling optional link in accepted rows, with a notice per row."""
    noun = ref.noun or _TARGET_NOUN[ref.target]
    bad, reason = _dangling(frame, ref.column, noun, index)
    if not bad.height:
        return frame, []
    consequence = f"; de {_TARGET_NOUN[spec.name]} is geladen zonder {noun}"
    notices = [
        Rejection(label, regel, ref.column, waarde, reden, WAARDE_WEGGELATEN)
        for regel, waarde, reden in bad.sort(LINE)
        .select(
            LINE,
            clipped(pl.col(ref.column)),
            pl.concat_str(reason, pl.lit(consequence)).alias(_REASON),
        )
        .iter_rows()
    ]
    dropped = pl.col(LINE).is_in(bad.get_column(LINE).implode())
    parsed = _parsed(ref.column)
    return frame.with_columns(pl.when(~dropped).then(pl.col(parsed)).alias(parsed)), notices


def _overlaps(frame: pl.DataFrame, overlap: tuple[str, str, str]) -> pl.DataFrame:
    """Reject a period that overlaps an earlier-starting accepted one of the same group."""
    group, start, end = (_parsed(c) for c in overlap)
    far = dt.date.max
    periods = (
        frame.filter(
            pl.col(_REASON).is_null() & (pl.col(end).is_null() | (pl.col(end) > pl.col(start)))
        )
        .select(LINE, group, start, pl.col(end).fill_null(far).alias("_end"))
        .sort(group, start, LINE)
        .with_columns(pl.col("_end").cum_max().shift(1).over(group).alias("_before"))
    )
    suspect_groups = periods.filter(pl.col(start) < pl.col("_before")).get_column(group).unique()
    if suspect_groups.is_empty():
        return frame
    rows = periods.filter(pl.col(group).is_in(suspect_groups.implode()))
    reasons: dict[int, str] = {}
    # Set by a group's first row, before any later row of the group is compared with them.
    latest_end: dt.date
    latest_start: dt.date
    current_group, latest_line = None, None
    for line, grp, begin, finish, _ in rows.iter_rows():
        if grp != current_group:
            current_group, latest_end, latest_line, latest_start = grp, finish, line, begin
            continue
        if begin < latest_end:
            until = "heden" if latest_end == far else latest_end.isoformat()
            reasons[line] = (
                f"overlapt met de toewijzing op regel {latest_line} "
                f"({latest_start.isoformat()} tot {until}) van dezelfde maatregel"
            )
        else:
            # Accepted periods do not overlap, so the newest accepted one ends last.
            latest_end, latest_line, latest_start = finish, line, begin
    bad = pl.DataFrame(
        {LINE: list(reasons), _REASON: list(reasons.values())},
        schema={LINE: pl.Int64, _REASON: pl.String},
    ).join(
        frame.select(LINE, pl.lit(overlap[1]).alias(_COLUMN), pl.col(overlap[1]).alias(_VALUE)),
        on=LINE,
        how="left",
    )
    return _merge_reasons(frame, bad.select(LINE, _REASON, _COLUMN, _VALUE))


def _output(frame: pl.DataFrame, spec: FileSpec) -> pl.DataFrame:
    """Accepted rows with the table's columns, in the table's order."""
    table = metadata.tables[spec.name]
    columns = []
    for name in (c.name for c in table.columns):
        if name == "id":
            columns.append(pl.col(LINE).alias("id"))
        else:
            columns.append(pl.col(_parsed(name)).alias(name))
    return frame.select(columns)


def _write(
    engine: Engine,
    source: Path,
    export_date: dt.date,
    started: dt.datetime,
    validated: Validated,
    show: "_Progress",
    force: bool,
    demo: bool,
) -> LoadResult:
    """Replace every data table, log the run and store what it prepared for the queries, in one
    locked transaction; a real export also disables every demo account in it."""
    rows_per_file = {name: frame.height for name, frame in validated.frames.items()}
    rejected, notices = validated.rejected, validated.notices
    # A row loaded without a dangling optional link is still loaded: exit status 2 means rows
    # are missing, and none are.
    status = GEDEELTELIJK if rejected else GESLAAGD
    message = _summary_message(rows_per_file, rejected, notices, validated.warnings)
    frames = {
        table.name: _insert_order(table, validated.frames[table.name]) for table in DATA_TABLES
    }
    # Before the lock: the day-independent work for every worker, from the rows as written.
    prepare_started = time.perf_counter()
    prepared = voorbereiding.voorbereid(frames, export_date, load_config())
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            # A big page cache keeps index inserts in memory: a large load runs twice as fast.
            conn.exec_driver_sql("PRAGMA cache_size=-262144")
        lock_for_writing(conn)
        if not force:
            # Compared under the lock, so the latest load cannot change in between.
            shrunk = shrinking_files(latest_load(conn), rows_per_file)
            if shrunk:
                conn.rollback()
                raise WipeRefused(_wipe_message(shrunk))
        for table in DATA_TABLES:
            conn.execute(table.delete())
        for table in DATA_TABLES:
            _bulk_insert(conn, table.name, frames[table.name], show)
        run_id = conn.execute(
            insert(etl_runs).returning(etl_runs.c.id),
            {
                "source": str(source.resolve()),
                "export_date": export_date,
                "started": started,
                "finished": _now(),
                "status": status,
                "rows_per_file": json.dumps(rows_per_file),
                "rows_rejected": len(rejected),
                "message": message,
                "demo": demo,
            },
        ).scalar_one()
        show.note("Voorbereiden voor het dashboard ...")
        stored = voorbereiding.bewaar(conn, run_id, prepared)
        prepare_seconds = time.perf_counter() - prepare_started
        if not demo:
            conn.execute(
                gebruikers.update().where(gebruikers.c.demo.is_(True)).values(actief=False)
            )
        if rejected or notices:
            reported = _rejections_frame(run_id, rejected + notices)
            _bulk_insert(conn, afgewezen_rijen.name, reported, show)
        conn.commit()
    show.done()
    return LoadResult(
        run_id,
        status,
        EXIT_CODES[status],
        rows_per_file,
        rejected,
        message,
        validated.warnings,
        notices,
        prepare_seconds,
        stored,
    )


@dataclass(frozen=True)
class Prepared:
    """A load prepared after the fact: its run, the seconds it took and the bytes stored."""

    run_id: int
    seconds: float
    stored: int


def prepare_latest(url: str | None = None) -> Prepared | None:
    """Prepare the queries' frames of the latest load when it has none (a load from before
    migration 0007) or has them in an older shape, under the writers' lock; None when there
    was nothing to do."""
    url = database_url(url)
    upgrade(url)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            lock_for_writing(conn)
            latest = latest_load(conn)
            if latest is None or voorbereiding.heeft(conn, latest.id):
                conn.rollback()
                return None
            started = time.perf_counter()
            # Read apart from conn, which holds the lock: no load can land in between.
            run_id, frames = voorbereiding.van_de_tabellen(engine, load_config())
            stored = voorbereiding.bewaar(conn, run_id, frames)
            conn.commit()
    finally:
        engine.dispose()
    return Prepared(run_id, time.perf_counter() - started, stored)


def _insert_order(table: Table, frame: pl.DataFrame) -> pl.DataFrame:
    """Rows in the order of one index: its inserts append instead of landing at random pages,
    so a large load runs markedly faster (PostgreSQL contacten: 40% less)."""
    if not table.indexes:
        return frame
    return frame.sort(sorted(table.indexes, key=lambda ix: str(ix.name))[0].columns.keys())


def shrinking_files(previous: Row | None, rows_per_file: dict[str, int]) -> list[tuple]:
    """(file, rows now, rows in the latest load) for every file that would lose all its rows
    or more than half of them."""
    if previous is None or not previous.rows_per_file:
        return []
    before = json.loads(previous.rows_per_file)
    return [
        (name, now, before[name])
        for name, now in rows_per_file.items()
        if before.get(name, 0) > 0 and (now == 0 or now * 2 < before[name])
    ]


def _wipe_message(shrunk: list[tuple]) -> str:
    files = "; ".join(
        f"{name}: {thousands(now)} {'rij' if now == 1 else 'rijen'} om te laden, "
        f"de vorige lading had er {thousands(before)}"
        for name, now, before in shrunk
    )
    return (
        f"Deze export zou goede gegevens wissen ({files}). Er is niets veranderd. Klopt de "
        "export toch (de organisatie is echt zo gekrompen), laad hem dan met --force."
    )


def latest_load(conn: Connection) -> Row | None:
    """The etl_runs row of the newest load that changed the data tables."""
    return conn.execute(
        select(etl_runs)
        .where(etl_runs.c.status.in_((GESLAAGD, GEDEELTELIJK)))
        .order_by(etl_runs.c.id.desc())
        .limit(1)
    ).first()


def _bulk_insert(conn: Connection, name: str, frame: pl.DataFrame, show: "_Progress") -> None:
    if conn.dialect.name == "postgresql":
        _copy(conn, name, frame, show)
    else:
        _executemany(conn, name, frame, show)


def _rejections_frame(run_id: int, rejected: list[Rejection]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "run_id": [run_id] * len(rejected),
            "bestand": [r.bestand for r in rejected],
            "regel": [r.regel for r in rejected],
            "kolom": [r.kolom for r in rejected],
            "waarde": [r.waarde for r in rejected],
            "reden": [r.reden for r in rejected],
            "gevolg": [r.gevolg for r in rejected],
        },
        schema={
            "run_id": pl.Int64,
            "bestand": pl.String,
            "regel": pl.Int64,
            "kolom": pl.String,
            "waarde": pl.String,
            "reden": pl.String,
            "gevolg": pl.String,
        },
    )


def _driver_cursor(conn: Connection) -> Any:
    driver = conn.connection.driver_connection
    # None only once the connection is closed or invalidated, never within a load.
    assert driver is not None
    return driver.cursor()


def _copy(conn: Connection, name: str, frame: pl.DataFrame, show: "_Progress") -> None:
    columns = ", ".join(frame.columns)
    cursor = _driver_cursor(conn)
    with cursor.copy(f"COPY {name} ({columns}) FROM STDIN (FORMAT csv)") as copy:
        done = 0
        for chunk in frame.iter_slices(CHUNK_ROWS):
            buffer = io.BytesIO()
            chunk.write_csv(buffer, include_header=False)
            copy.write(buffer.getvalue())
            done += chunk.height
            show.rows(name, done, frame.height)
    if "id" in frame.columns and frame.height:
        # The ids are line numbers; keep the sequence ahead of them for any later plain insert.
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), max(id)) FROM {name}"
        )
    cursor.close()


def _executemany(conn: Connection, name: str, frame: pl.DataFrame, show: "_Progress") -> None:
    # Stored as SQLAlchemy stores them on SQLite, so the ORM reads them back as dates.
    frame = frame.with_columns(pl.col(pl.Date).dt.strftime("%Y-%m-%d"))
    placeholders = ", ".join("?" for _ in frame.columns)
    sql = f"INSERT INTO {name} ({', '.join(frame.columns)}) VALUES ({placeholders})"
    cursor = _driver_cursor(conn)
    done = 0
    for chunk in frame.iter_slices(CHUNK_ROWS):
        cursor.executemany(sql, chunk.iter_rows())
        done += chunk.height
        show.rows(name, done, frame.height)
    cursor.close()


def _record_failure(
    engine: Engine,
    source: Path,
    export_date: dt.date,
    started: dt.datetime,
    message: str,
    warnings: list[str],
) -> LoadResult:
    """Log a load that changed nothing, in its own transaction, if the database lets us."""
    run_id = None
    try:
        with engine.connect() as conn:
            lock_for_writing(conn)
            run_id = conn.execute(
                insert(etl_runs).returning(etl_runs.c.id),
                {
                    "source": str(source.resolve()),
                    "export_date": export_date,
                    "started": started,
                    "finished": _now(),
                    "status": MISLUKT,
                    "rows_per_file": json.dumps({}),
                    "rows_rejected": 0,
                    "message": message,
                },
            ).scalar_one()
            conn.commit()
    except DATABASE_ERRORS:
        pass
    return _failed(run_id, message, warnings)


def _failed(run_id: int | None, message: str, warnings: list[str]) -> LoadResult:
    return LoadResult(run_id, MISLUKT, EXIT_CODES[MISLUKT], {}, [], message, warnings)


def _summary_message(
    rows_per_file: dict[str, int],
    rejected: list[Rejection],
    notices: list[Rejection],
    warnings: list[str],
) -> str:
    loaded = sum(rows_per_file.values())
    reported = []
    if rejected:
        reported.append(
            f"{thousands(len(rejected))} {'rij' if len(rejected) == 1 else 'rijen'} afgewezen"
        )
    if notices:
        reported.append(
            f"{thousands(len(notices))} {'waarde' if len(notices) == 1 else 'waarden'} weggelaten"
        )
    loaded_text = f"{thousands(loaded)} rijen geladen"
    if not rejected:
        loaded_text = f"Alle {loaded_text}"
    message = f"{loaded_text}; {', '.join(reported)}." if reported else f"{loaded_text}."
    if warnings:
        message += " Let op: " + " ".join(warnings)
    return message


def thousands(n: int) -> str:
    """A number as Dutch readers write it: 12.345."""
    return f"{n:,}".replace(",", ".")


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def first_line(exc: Exception) -> str:
    """The gist of a driver error for one Dutch log or message line: the driver speaks
    English, so its words are quoted as the database's own, for whoever looks it up."""
    text = str(exc).strip()
    gist = text.splitlines()[0] if text else type(exc).__name__
    return f'melding van de database: "{gist}"'


def _wants_progress() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


class _Progress:
    """Rows written per file, on one rewritten terminal line; silent when not wanted."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def note(self, text: str) -> None:
        if self.enabled:
            print(text, file=sys.stderr, flush=True)

    def rows(self, name: str, done: int, total: int) -> None:
        if self.enabled:
            print(
                f"\r{name}: {thousands(done)} van {thousands(total)} rijen geschreven\033[K",
                end="",
                file=sys.stderr,
                flush=True,
            )

    def done(self) -> None:
        if self.enabled:
            print(file=sys.stderr, flush=True)
