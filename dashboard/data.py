"""Where the dashboard's data comes from: one engine, the latest snapshot, the norms file."""

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import TypeVar

import flask
import polars as pl
import sqlalchemy as sa

from queries import shared_memo
from queries.besluiten import read_besluiten
from queries.caseload import caseload
from queries.config import Config, load_config
from queries.gesprekken import lees_gesprekken
from queries.rapportage import TREND_MONTHS, organisation_trend
from queries.scope import MANAGER, Viewer, regios
from queries.snapshot import NoDataError, Snapshot, latest_run, load_reader, load_snapshot
from store.engine import DEFAULT_SQLITE, make_engine

log = logging.getLogger("dashboard.data")
T = TypeVar("T")


# A directory the workers of one host share day frames through (gunicorn.conf.py makes one);
# unset, a process computes everything itself.
SHARED_DIR = "CASELOAD_SHARED_DIR"

_state: dict[str, sa.Engine | str | None] = {"url": None, "engine": None}
# The load this process last warmed on that database (None: none yet), and the last one whose
# views warmed after ready are done too; /health says whether each is the latest.
_warmed: dict[str, int | None] = {"run_id": None, "alles": None}


def resolve_url(url: str | None = None) -> str:
    """The given URL, else CASELOAD_DB_URL, else the embedded SQLite file."""
    return url or os.environ.get("CASELOAD_DB_URL") or f"sqlite:///{DEFAULT_SQLITE}"


def configure(url: str | None = None) -> str:
    """Point the dashboard at a database; returns the resolved URL."""
    resolved = resolve_url(url)
    old = _state["engine"]
    if old is not None:
        old.dispose()
    _state["url"] = resolved
    _state["engine"] = make_engine(resolved)
    _warmed.update(run_id=None, alles=None)
    shared_memo.use(os.environ.get(SHARED_DIR) or None)
    return resolved


def engine() -> sa.Engine:
    if _state["engine"] is None:
        configure()
    return _state["engine"]


def snapshot() -> Snapshot:
    """The latest successful load (cached per load in queries.snapshot). Asked for by every
    section of a page: the database is asked which load is latest once per request, and a
    load landing halfway through a page cannot mix two exports on it."""
    return per_request(("snapshot",), lambda: load_snapshot(engine()))


@lru_cache(maxsize=1)
def config() -> Config:
    return load_config()


# MT's default view (the export date, no filters) of the pages that asked for it, rendered
# by the warm-up: the day's figures are then ready for the first visitor.
_views: dict[str, list[Callable[[], object]]] = {"before_ready": [], "after_ready": []}


def warm_view(render: Callable[[], object], before_ready: bool = False) -> None:
    """Have the warm-up call render() on each new load: before /health says gereed, or after."""
    _views["before_ready" if before_ready else "after_ready"].append(render)


def warm() -> Snapshot:
    """Read the latest load and render the views warmed before ready (with the deadline engine
    and the organisation's monthly figures they need), so the first visitor after a start or
    a new load does not wait for them."""
    snap = snapshot()
    for render in _views["before_ready"]:
        render()
    snap.keep_days()
    return snap


def warm_after_ready(snap: Snapshot) -> None:
    """The monthly figures of each region (the report, a region's view) and the views warmed
    after ready, on snap, warm()'s; a request meanwhile waits for the same figures rather than
    computing them twice (Snapshot.memo)."""
    for regio in regios(snap):
        organisation_trend(
            snap, MANAGER, snap.export_date, config(), months=TREND_MONTHS, regio=regio
        )
    for render in _views["after_ready"]:
        render()
    snap.keep_days()


def warmed_run() -> int | None:
    return _warmed["run_id"]


def fully_warmed_run() -> int | None:
    return _warmed["alles"]


def keep_warm(every: float = 2.0, stop: threading.Event | None = None) -> threading.Thread:
    """warm() now and every `every` seconds in a daemon thread, until stop is set; only a new
    load costs work, and asking for it is one small query, so a worker sees a load soon."""
    stop = stop or threading.Event()
    load_reader(engine())

    def loop() -> None:
        while not stop.is_set():
            # Nothing loaded yet, or the database is away: the next round tries again.
            with contextlib.suppress(NoDataError, sa.exc.SQLAlchemyError):
                _warm_new_load()
            stop.wait(every)

    thread = threading.Thread(target=loop, name="warm", daemon=True)
    thread.start()
    return thread


def _warm_new_load() -> None:
    """Warm the latest load if this process has not: only a new load costs work. The snapshot
    is a local here, so the previous load is not kept alive while the next one warms."""
    started = time.perf_counter()
    latest, _day = latest_run(engine())
    if latest == _warmed["run_id"]:
        return
    snap = warm()
    shared = shared_memo.active()
    log.info(
        "Load %s voorbereid in %.1f s (gedeelde dagcijfers, zelf berekend en gelezen: %s)",
        snap.run_id,
        time.perf_counter() - started,
        dict(shared.counts) if shared else "niet gedeeld",
    )
    _warmed["run_id"] = snap.run_id
    warm_after_ready(snap)
    _warmed["alles"] = snap.run_id


def parse_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


# Typed years before this are half-typed (0202); the date slicers offer nothing earlier.
EARLIEST_DATE = date(2000, 1, 1)


def usable_date(text: str | None) -> bool:
    """A slicer date worth recomputing for (a half-typed year such as 0202 is not)."""
    day = parse_date(text)
    return day is not None and day >= EARLIEST_DATE


def peildatum_usable(params: dict) -> bool:
    """The URL state's peildatum is worth recomputing the page for."""
    return usable_date(params["peildatum"])


def cohort_start(params: dict, config: Config, day: date) -> date | None:
    """The start of the cohort "gestart vanaf" from the URL key cohort, else norms.toml's;
    never after the peildatum."""
    chosen = parse_date(params.get("cohort"))
    if chosen is None or chosen < EARLIEST_DATE:
        chosen = config.cohort_vanaf
    return None if chosen is None else min(chosen, day)


def as_of(params: dict, snap: Snapshot | None = None) -> date:
    """The peildatum from the URL, never after the export date; default the export date."""
    snap = snap or snapshot()
    chosen = parse_date(params.get("peildatum"))
    if chosen is None or chosen > snap.export_date:
        return snap.export_date
    return chosen


def per_request(key: tuple, compute: Callable[[], T]) -> T:
    """compute() once per key within this request: a page's sections and its slicers each
    ask for the same frames. Outside a request every call computes."""
    if not flask.has_request_context():
        return compute()
    store = flask.g.setdefault("per_request", {})
    if key not in store:
        store[key] = compute()
    return store[key]


def besluiten() -> pl.DataFrame:
    """The app's decisions, read once per request; a decision taken in it forgets them."""
    return per_request(("besluiten",), lambda: read_besluiten(engine()))


def forget_besluiten() -> None:
    """After a decision is written: the rest of the request reads them, and everything kept
    under a key that starts with "besluiten", anew."""
    if flask.has_request_context():
        store = flask.g.get("per_request", {})
        for key in [k for k in store if k[0] == "besluiten"]:
            del store[key]


def gesprekken() -> pl.DataFrame:
    """The talks recorded in the app (no text), read once per request; recording one forgets
    them. The snapshot is per load, these change between loads."""
    return per_request(("gesprekken",), lambda: lees_gesprekken(engine()))


def forget_gesprekken() -> None:
    """After a talk is recorded: the rest of the request reads them anew."""
    if flask.has_request_context():
        flask.g.get("per_request", {}).pop(("gesprekken",), None)


def staff_caseload(snap: Snapshot, viewer: Viewer, day: date) -> pl.DataFrame:
    """queries.caseload for the viewer, by name: once per request."""
    return per_request(
        ("caseload", snap.run_id, viewer, day),
        lambda: caseload(snap, viewer, day, config()).sort("naam", "medewerker_id"),
    )


def worker_options(snap: Snapshot, viewer: Viewer, day: date) -> list[dict]:
    """The jeugdzorgwerkers in service whom the viewer may see, as dropdown options by name."""
    staff = staff_caseload(snap, viewer, day)
    return [
        {"label": f"{naam} ({team})", "value": mid}
        for mid, naam, team in staff.select("medewerker_id", "naam", "team_naam").iter_rows()
    ]


def resolve_worker(snap: Snapshot, viewer: Viewer, day: date, params: dict) -> str | None:
    """Whose caseload a page shows: a jeugdzorgwerker always their own; others one they may
    see (the URL's medewerker, else the first by name who holds measures); once per request."""
    key = ("worker", snap.run_id, viewer, day, params.get("medewerker"))
    return per_request(key, lambda: _resolve_worker(snap, viewer, day, params))


def _resolve_worker(snap: Snapshot, viewer: Viewer, day: date, params: dict) -> str | None:
    if viewer.role == "jeugdzorgwerker":
        return viewer.medewerker_id
    staff = staff_caseload(snap, viewer, day)
    wanted = params.get("medewerker")
    if wanted in staff["medewerker_id"]:
        return wanted
    busy = staff.filter(pl.col("actief") > 0)
    for pick in (busy, staff):
        if pick.height:
            return pick["medewerker_id"][0]
    return None
