"""The latest loaded export as polars frames, read once per load and shared by every query.

A load stores its tables as the queries read them, and the deadline engine's day-independent
frames, in `voorbereide_data` (queries.voorbereiding); a worker reads those, each frame on first
use. A load without them (made before they existed, or for other norms) is read from its
tables.
"""

import hashlib
import io
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, TypeVar, cast

import polars as pl
import sqlalchemy as sa

from queries import shared_memo
from queries.config import Config, config_hash
from store.schema import CONTACT_MET, CONTACT_VORMEN, DATA_TABLES, voorbereide_data

D, S, F, B = pl.Date, pl.String, pl.Float64, pl.Boolean

# The polars type of each column type the tables use.
_POLARS = ((sa.Boolean, B), (sa.Date, D), (sa.Float, F), (sa.String, S))


def _polars_type(column: sa.Column) -> pl.DataType | type[pl.DataType]:
    return next(p for sql, p in _POLARS if isinstance(column.type, sql))


# Every contract table's columns, typed, as store.schema declares them (not the loader's `id`).
SCHEMA: dict[str, dict[str, pl.DataType | type[pl.DataType]]] = {
    table.name: {c.name: _polars_type(c) for c in table.columns if c.name != "id"}
    for table in DATA_TABLES
}
# Contacts are the largest table (10M rows nationally): no query asks who made one, so that
# column is not read, and vorm and met are enums, a byte a row instead of their text.
SCHEMA["contacten"] = {
    "contact_id": S,
    "maatregel_id": S,
    "datum": D,
    "vorm": pl.Enum(CONTACT_VORMEN),
    "met": pl.Enum(CONTACT_MET),
    "jeugdige_alleen_gezien": B,
}

JB_SOORTEN = ("OTS", "VOTS", "voogdij", "voorlopige_voogdij")
VOOGDIJ_SOORTEN = ("voogdij", "voorlopige_voogdij")
# The shape of what a load prepares (queries.voorbereiding): a load prepared in another shape
# is read from its tables.
FORMAAT = 3
# How many memo entries with user-chosen keys one load keeps (a trend of 13 months for a few
# dozen peildata and trend starts).
RECENT_KEYS = 512
# How many peildata keep their whole-scope frames (holders, deadlines, measure figures): the
# sections of a page share one day's, and a user moves between a few days. Days kept by
# keep_days (the warm-up's: the export date and what its pages compare it with) come on top.
RECENT_DAYS = 2


T = TypeVar("T")


class NoDataError(RuntimeError):
    """No successful load exists yet in the database."""


class LazyFrames(Mapping[str, pl.DataFrame]):
    """Named frames, each read by read(name) on first use and kept: a worker reads only what
    its pages ask for."""

    def __init__(self, names: tuple[str, ...], read: Callable[[str], pl.DataFrame]) -> None:
        self._names, self._read = names, read
        self._frames: dict[str, pl.DataFrame] = {}
        # One lock per name: a long read of one frame keeps no one from the others.
        self._locks = {name: threading.Lock() for name in names}

    def __getitem__(self, name: str) -> pl.DataFrame:
        with self._locks[name]:
            if name not in self._frames:
                self._frames[name] = self._read(name)
        return self._frames[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


@dataclass(frozen=True)
class Snapshot:
    """Every contract table of one load, typed as SCHEMA says, and that load's export date."""

    tables: Mapping[str, pl.DataFrame]
    export_date: date
    run_id: int = 0
    # The load's prepared frames (queries.voorbereiding), empty when read from the tables,
    # and the norms file they were made with (config_hash).
    voorbereid: Mapping[str, pl.DataFrame] = field(default_factory=dict, compare=False)
    voorbereid_met: str | None = None
    # The norm settings contacten was cut for (bruikbare_contacten.norm_sleutel); None: all.
    contacten_voor: str | None = None
    # Reads every contact of this load, for norms the cut was not made for.
    _alle_contacten: Callable[[], pl.DataFrame] | None = field(default=None, compare=False)
    # Which load, read from which database with which norms, in queries.shared_memo; None for
    # a snapshot that is not a whole load as stored (a cut-down one, hand-made frames).
    shared_scope: str | None = field(default=None, compare=False)
    # Figures derived from this load; they die with it. Not init fields, so
    # dataclasses.replace (a cut-down snapshot) starts with an empty memo. The policy is in
    # the README ("Caches").
    _memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _recent: OrderedDict = field(default_factory=OrderedDict, init=False, repr=False, compare=False)
    _days: OrderedDict = field(default_factory=OrderedDict, init=False, repr=False, compare=False)
    _kept_days: set = field(default_factory=set, init=False, repr=False, compare=False)
    _key_locks: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _guard: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )

    def __getitem__(self, name: str) -> pl.DataFrame:
        return self.tables[name]

    def with_tables(self, **frames: pl.DataFrame) -> "Snapshot":
        """This load with some tables cut down; its prepared frames no longer fit it."""
        tables, names = self.tables, tuple(self.tables)
        cut = LazyFrames(names, lambda name: frames[name] if name in frames else tables[name])
        return replace(self, tables=cut, voorbereid={}, shared_scope=None)

    def voorbereid_voor(self, config: Config) -> Mapping[str, pl.DataFrame]:
        """The prepared frames when they were made with config's norms, else none."""
        return self.voorbereid if self.voorbereid_met == config_hash(config) else {}

    def alle_contacten(self) -> pl.DataFrame:
        """Every contact of the load, also those the cut left out."""
        if self._alle_contacten is None:
            return self["contacten"]
        return self.memo(("alle_contacten",), self._alle_contacten)

    def memo(
        self,
        key: Hashable,
        compute: Callable[[], T],
        *,
        chosen: bool = False,
        day: date | None = None,
        shared: bool = False,
    ) -> T:
        """compute() once per key for this load; a second caller of the same key waits for
        the first (the warm-up and a first request never both prepare). `chosen`: the key
        holds values a user picks freely (any day, any start): kept among the latest
        RECENT_KEYS such keys only, so the memo cannot grow without bound. `day`: a large
        frame for one peildatum, kept while its day is among the latest RECENT_DAYS asked.
        `shared`: a frame the host's other workers may compute or read (queries.shared_memo):
        an organisation-wide one; a single worker's or team's scope is cheaper to compute."""
        with self._guard:
            store = self._store(chosen, day)
            if key in store:
                if store is self._recent:
                    self._recent.move_to_end(key)
                return store[key]
            lock = self._key_locks.setdefault((day, key), threading.Lock())
        with lock:
            with self._guard:
                store = self._store(chosen, day)
                if key in store:
                    return store[key]
            value = self._compute(key, compute, day) if shared else compute()
            with self._guard:
                store = self._store(chosen, day)
                store[key] = value
                if store is self._recent and len(store) > RECENT_KEYS:
                    self._recent.popitem(last=False)
                self._key_locks.pop((day, key), None)
        return value

    def _compute(self, key: Hashable, compute: Callable[[], T], day: date | None) -> T:
        memo = shared_memo.active()
        if memo is None or self.shared_scope is None:
            return compute()
        return memo.get(self.shared_scope, (day, key), compute)

    def _store(self, chosen: bool, day: date | None) -> dict:
        """The memo a key lives in, marked as just used (under _guard)."""
        if day is not None:
            store = self._days.setdefault(day, {})
            self._days.move_to_end(day)
            others = [d for d in self._days if d not in self._kept_days]
            if len(others) > RECENT_DAYS:
                del self._days[others[0]]
            return store
        return self._recent if chosen else self._memo

    def keep_days(self) -> None:
        """Keep the days asked for so far while this load lives: the warm-up's, which most
        visitors ask for, so a visit to another peildatum cannot push them out."""
        with self._guard:
            self._kept_days.update(self._days)

    def remembers(self, key: Hashable) -> bool:
        """Whether memo(key, ...) would answer without computing."""
        return (
            key in self._memo
            or key in self._recent
            or any(key in store for store in self._days.values())
        )

    def forget_requests(self) -> None:
        """Drop what requests computed for a day or a chosen value, keeping the load's own
        figures such as the deadline engine: a warmed worker asked for a new day (for
        benchmarks)."""
        with self._guard:
            self._recent.clear()
            self._days.clear()
            self._kept_days.clear()

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
    engine: sa.Engine, names: tuple[str, ...]
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
        for name in names:
            cur.execute(_select(name))
            # from_arrow cannot overload on pyarrow, which has no type hints; a Table always
            # becomes a DataFrame.
            frame = cast(pl.DataFrame, pl.from_arrow(cur.fetch_arrow_table()))
            tables[name] = _typed(frame, name)
        conn.rollback()
    return run, tables


def _read_sqlite(
    engine: sa.Engine, names: tuple[str, ...]
) -> tuple[sa.Row[Any] | None, dict[str, pl.DataFrame]]:
    with engine.connect() as conn:
        conn.execute(sa.text("BEGIN"))
        run = conn.execute(_LATEST_RUN).first()
        tables = {
            name: _typed(pl.read_database(_select(name), conn, infer_schema_length=None), name)
            for name in names
        }
    return run, tables


def _read(
    engine: sa.Engine, names: tuple[str, ...]
) -> tuple[tuple[Any, ...] | sa.Row[Any] | None, dict[str, pl.DataFrame]]:
    """The latest run and the named tables, in one repeatable read: a load landing halfway
    cannot mix two exports."""
    if engine.dialect.name == "postgresql":
        return _read_postgresql(engine, names)
    return _read_sqlite(engine, names)


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


def typed_tables(frames: Mapping[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Every contract table of frames (a loader's, with extra columns) as a snapshot holds it."""
    return {name: _typed(frames[name], name) for name in SCHEMA}


def write_frame(frame: pl.DataFrame) -> bytes:
    """A frame as stored in voorbereide_data: Arrow IPC, lz4 (decompresses at memory speed)."""
    buffer = io.BytesIO()
    frame.write_ipc(buffer, compression="lz4")
    return buffer.getvalue()


def read_frame(data: bytes) -> pl.DataFrame:
    """A frame as write_frame stored it."""
    return pl.read_ipc(io.BytesIO(data))


def _read_frame(engine: sa.Engine, run_id: int, naam: str) -> pl.DataFrame:
    query = sa.select(voorbereide_data.c.data).where(
        voorbereide_data.c.run_id == run_id, voorbereide_data.c.naam == naam
    )
    with engine.connect() as conn:
        data = conn.execute(query).scalar_one_or_none()
    if data is None:
        raise NoDataError(
            f"De gegevens van lading {run_id} zijn vervangen door nieuwere; ververs de pagina."
        )
    return read_frame(data)


def _all_contacts(engine: sa.Engine, run_id: int) -> Callable[[], pl.DataFrame]:
    def read() -> pl.DataFrame:
        run, tables = _read(engine, ("contacten",))
        if run is None or int(run[0]) != run_id:
            raise NoDataError("Er is intussen een nieuwere lading; ververs de pagina.")
        return tables["contacten"]

    return read


def _prepared_snapshot(engine: sa.Engine, run_id: int, export_date: date) -> Snapshot | None:
    """The load's prepared frames, each read on first use; None when it has none."""
    query = sa.select(voorbereide_data.c.naam).where(voorbereide_data.c.run_id == run_id)
    with engine.connect() as conn:
        names = tuple(conn.execute(query).scalars())
    if "meta" not in names:
        return None
    meta = _read_frame(engine, run_id, "meta").row(0, named=True)
    if meta["formaat"] != FORMAAT:
        return None
    prefix = "tabel/"
    tables = LazyFrames(tuple(SCHEMA), lambda n: _read_frame(engine, run_id, prefix + n))
    rest = tuple(n for n in names if not n.startswith(prefix))
    return Snapshot(
        tables=tables,
        export_date=export_date,
        run_id=run_id,
        voorbereid=LazyFrames(rest, lambda n: _read_frame(engine, run_id, n)),
        voorbereid_met=meta["config"],
        contacten_voor=meta["contacten_voor"],
        _alle_contacten=_all_contacts(engine, run_id),
        shared_scope=_scope(engine, run_id, meta),
    )


def _scope(engine: sa.Engine, run_id: int, meta: dict) -> str:
    """The load's name in queries.shared_memo: its database, id, norms and contacts cut."""
    where = engine.url.render_as_string(hide_password=True)
    text = repr((where, meta["config"], meta["contacten_voor"]))
    return f"{run_id}-{hashlib.sha256(text.encode()).hexdigest()[:16]}"


def read_tables(engine: sa.Engine) -> Snapshot:
    """The latest load from its tables, every row, whatever it prepared."""
    run, tables = _read(engine, tuple(SCHEMA))
    if run is None:
        raise NoDataError("Er is nog geen export geladen.")
    return Snapshot(tables=tables, export_date=_as_date(run[1]), run_id=int(run[0]))


def load_snapshot(engine: sa.Engine) -> Snapshot:
    """The latest load, from what it prepared (else its tables); re-read only when a newer load
    has landed."""
    key = str(engine.url)
    run_id, export_date = latest_run(engine)
    cached = _cache.get(key)
    if cached is not None and cached.run_id == run_id:
        return cached
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached.run_id == run_id:
            return cached
        snap = _prepared_snapshot(engine, run_id, export_date) or read_tables(engine)
        _cache[key] = snap
        return snap
