"""The latest loaded export as polars frames, read once per load and shared by every query."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar, cast

import polars as pl
import sqlalchemy as sa

from store.schema import DATA_TABLES

D, S, F, B = pl.Date, pl.String, pl.Float64, pl.Boolean

# The polars type of each column type the tables use.
_POLARS = ((sa.Boolean, B), (sa.Date, D), (sa.Float, F), (sa.String, S))


def _polars_type(column: sa.Column) -> type[pl.DataType]:
    return next(p for sql, p in _POLARS if isinstance(column.type, sql))


# Every contract table's columns, typed, as store.schema declares them (not the loader's `id`).
SCHEMA: dict[str, dict[str, type[pl.DataType]]] = {
    table.name: {c.name: _polars_type(c) for c in table.columns if c.name != "id"}
    for table in DATA_TABLES
}

JB_SOORTEN = ("OTS", "VOTS", "voogdij", "voorlopige_voogdij")
# How many memo entries with user-chosen keys one load keeps (a trend of 13 months for a few
# dozen peildata and trend starts).
RECENT_KEYS = 512


T = TypeVar("T")


class NoDataError(RuntimeError):
    """No successful load exists yet in the database."""


@dataclass(frozen=True)
class Snapshot:
    """Every contract table of one load, typed as SCHEMA says, and that load's export date."""

    tables: dict[str, pl.DataFrame]
    export_date: date
    run_id: int = 0
    # Figures derived from this load; they die with it. Not init fields, so
    # dataclasses.replace (a cut-down snapshot) starts with an empty memo. The policy is in
    # the README ("Caches").
    _memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _recent: OrderedDict = field(default_factory=OrderedDict, init=False, repr=False, compare=False)
    _key_locks: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _guard: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )

    def __getitem__(self, name: str) -> pl.DataFrame:
        return self.tables[name]

    def memo(self, key: Hashable, compute: Callable[[], T], *, chosen: bool = False) -> T:
        """compute() once per key for this load; a second caller of the same key waits for
        the first (the warm-up and a first request never both prepare). `chosen`: the key
        holds values a user picks freely (any day, any start): kept among the latest
        RECENT_KEYS such keys only, so the memo cannot grow without bound."""
        store = self._recent if chosen else self._memo
        with self._guard:
            if key in store:
                if chosen:
                    self._recent.move_to_end(key)
                return store[key]
            lock = self._key_locks.setdefault(key, threading.Lock())
        with lock:
            with self._guard:
                if key in store:
                    return store[key]
            value = compute()
            with self._guard:
                store[key] = value
                if chosen and len(store) > RECENT_KEYS:
                    self._recent.popitem(last=False)
                self._key_locks.pop(key, None)
        return value

    def remembers(self, key: Hashable) -> bool:
        """Whether memo(key, ...) would answer without computing."""
        return key in self._memo or key in self._recent

    def forget(self) -> None:
        """Drop every derived figure, as if the load had just been read (for benchmarks)."""
        with self._guard:
            self._memo.clear()
            self._recent.clear()

    @classmethod
    def from_frames(cls, export_date: date, run_id: int = 0, **frames) -> "Snapshot":
        """Build a snapshot from hand-made frames; missing tables are empty, columns typed."""
        tables = {}
        for name, schema in SCHEMA.items():
            given = frames.pop(name, None)
            if given is None:
                tables[name] = pl.DataFrame(schema=schema)
                continue
            df = given if isinstance(given, pl.DataFrame) else pl.DataFrame(given)
            for col, dtype in schema.items():
                if col not in df.columns:
                    df = df.with_columns(pl.lit(None, dtype=dtype).alias(col))
            tables[name] = _typed(df, name)
        if frames:
            raise ValueError(f"unknown tables: {sorted(frames)}")
        return cls(tables=tables, export_date=export_date, run_id=run_id)


_LATEST_RUN = sa.text(
    "SELECT id, export_date FROM etl_runs WHERE status IN ('geslaagd', 'gedeeltelijk') "
    "ORDER BY id DESC LIMIT 1"
)
_cache: dict[str, Snapshot] = {}
_lock = threading.Lock()


def _typed(df: pl.DataFrame, name: str) -> pl.DataFrame:
    schema = SCHEMA[name]
    if df.height == 0:
        return pl.DataFrame(schema=schema)
    # SQLite hands dates back as ISO text; polars 2 no longer casts text to dates. One chunk
    # per column, once per load, spares every later join the scattered Arrow batches.
    return df.select(
        pl.col(c).str.to_date() if t == D and df.schema[c] == S else pl.col(c).cast(t)
        for c, t in schema.items()
    ).rechunk()


def _select(name: str) -> str:
    return f"SELECT {', '.join(SCHEMA[name])} FROM {name}"


def load_reader(engine: sa.Engine) -> None:
    """Import the engine's snapshot reader now, on the calling thread. The PostgreSQL reader pulls
    in pyarrow.dataset, and with it pandas where installed; plotly peeks at a half-imported
    pandas from a request thread and fails, so no request may overlap that first import."""
    if engine.dialect.name == "postgresql":
        import adbc_driver_postgresql.dbapi  # noqa: F401


def _read_postgresql(
    engine: sa.Engine,
) -> tuple[tuple[Any, ...] | None, dict[str, pl.DataFrame]]:
    # ADBC streams Arrow straight from PostgreSQL: the national demo (11M rows) reads in ~10 s.
    # Not for SQLite: a second SQLite library in one process breaks the other's file locks.
    from adbc_driver_postgresql import dbapi

    uri = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with dbapi.connect(uri, autocommit=False) as conn, conn.cursor() as cur:
        cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cur.execute(_LATEST_RUN.text)
        run = cur.fetchone()
        tables = {}
        for name in SCHEMA:
            cur.execute(_select(name))
            # from_arrow cannot overload on pyarrow, which has no type hints; a Table always
            # becomes a DataFrame.
            frame = cast(pl.DataFrame, pl.from_arrow(cur.fetch_arrow_table()))
            tables[name] = _typed(frame, name)
        conn.rollback()
    return run, tables


def _read_sqlite(engine: sa.Engine) -> tuple[sa.Row[Any] | None, dict[str, pl.DataFrame]]:
    with engine.connect() as conn:
        conn.execute(sa.text("BEGIN"))
        run = conn.execute(_LATEST_RUN).first()
        tables = {
            name: _typed(pl.read_database(_select(name), conn, infer_schema_length=None), name)
            for name in SCHEMA
        }
    return run, tables


def _as_date(value: object) -> date:
    # SQLite hands the export date back as ISO text.
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def latest_run(engine: sa.Engine) -> tuple[int, date]:
    """Id and export date of the latest successful load."""
    with engine.connect() as conn:
        row = conn.execute(_LATEST_RUN).first()
    if row is None:
        raise NoDataError("Er is nog geen export geladen.")
    return int(row[0]), _as_date(row[1])


def load_snapshot(engine: sa.Engine) -> Snapshot:
    """The latest load's tables; re-read only when a newer load has landed."""
    key = str(engine.url)
    run_id, _ = latest_run(engine)
    cached = _cache.get(key)
    if cached is not None and cached.run_id == run_id:
        return cached
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached.run_id == run_id:
            return cached
        # One repeatable read, so a load landing halfway cannot mix two exports.
        if engine.dialect.name == "postgresql":
            run, tables = _read_postgresql(engine)
        else:
            run, tables = _read_sqlite(engine)
        # latest_run found a load just now, and loads are never deleted.
        assert run is not None
        run_id = int(run[0])
        snap = Snapshot(tables=tables, export_date=_as_date(run[1]), run_id=run_id)
        _cache[key] = snap
        return snap
