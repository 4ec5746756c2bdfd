"""The load log, the rejected rows of a load and the values it left out of loaded rows: for the
functioneel beheerder only."""

import json
from datetime import datetime

import polars as pl
import sqlalchemy as sa

from queries.figuur import Figuur
from queries.scope import Viewer
from store.ladingen import real_load_exists
from store.schema import afgewezen_rijen as _rejected
from store.schema import etl_runs as _runs


def demo_allowed(engine: sa.Engine) -> bool:
    """Demo mode, demo accounts and "Bekijk als" exist only while every load was a demo load."""
    with engine.connect() as conn:
        return not conn.execute(sa.select(real_load_exists())).scalar()


# afgewezen_rijen.gevolg: the row was not loaded, or was loaded without the value in `kolom`.
AFGEWEZEN, WAARDE_WEGGELATEN = "afgewezen", "waarde_weggelaten"

HISTORY_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "run_id": pl.Int64,
    "bron": pl.String,
    "exportdatum": pl.Date,
    "gestart": pl.Datetime("us"),
    "klaar": pl.Datetime("us"),
    "status": pl.String,
    "rijen_geladen": pl.Int64,
    "rijen_afgewezen": pl.Int64,
    "waarden_weggelaten": pl.Int64,
    "melding": pl.String,
    "duur_s": pl.Int64,
}
REJECTED_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "run_id": pl.Int64,
    "bestand": pl.String,
    "regel": pl.Int64,
    "kolom": pl.String,
    "waarde": pl.String,
    "reden": pl.String,
    "gevolg": pl.String,
}


def _allowed(viewer: Viewer) -> bool:
    return viewer.role == "beheerder"


def _rows_loaded(rows_per_file: str | None) -> int | None:
    """Total of the per-file row counts the loader logged as JSON ({file: n})."""
    if not rows_per_file:
        return None
    try:
        counts = json.loads(rows_per_file)
    except ValueError:
        return None
    if not isinstance(counts, dict):
        return None
    return sum(int(v) for v in counts.values() if isinstance(v, int | float))


def _seconds(started: datetime | None, finished: datetime | None) -> int | None:
    """Whole seconds a load took; None while it runs."""
    if started is None or finished is None:
        return None
    return int((finished - started).total_seconds())


def load_history(engine: sa.Engine, viewer: Viewer, limit: int = 100) -> pl.DataFrame:
    """The latest loads, newest first; empty for anyone but a beheerder."""
    if not _allowed(viewer):
        return pl.DataFrame(schema=HISTORY_SCHEMA)
    dropped = (
        sa.select(_rejected.c.run_id, sa.func.count().label("n"))
        .where(_rejected.c.gevolg == WAARDE_WEGGELATEN)
        .group_by(_rejected.c.run_id)
        .subquery()
    )
    query = (
        sa.select(_runs, sa.func.coalesce(dropped.c.n, 0).label("waarden_weggelaten"))
        .outerjoin(dropped, dropped.c.run_id == _runs.c.id)
        .order_by(_runs.c.id.desc())
        .limit(limit)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return pl.DataFrame(
        [
            {
                "run_id": r["id"],
                "bron": r["source"],
                "exportdatum": r["export_date"],
                "gestart": r["started"],
                "klaar": r["finished"],
                "status": r["status"],
                "rijen_geladen": _rows_loaded(r["rows_per_file"]),
                "rijen_afgewezen": r["rows_rejected"],
                "waarden_weggelaten": r["waarden_weggelaten"],
                "melding": r["message"],
                "duur_s": _seconds(r["started"], r["finished"]),
            }
            for r in rows
        ],
        schema=HISTORY_SCHEMA,
    )


def _run(conn: sa.Connection, run_id: int | None) -> int | None:
    """The given load, or the latest."""
    if run_id is None:
        run_id = conn.execute(sa.select(sa.func.max(_runs.c.id))).scalar()
    return run_id


def rejected_rows(
    engine: sa.Engine,
    viewer: Viewer,
    run_id: int | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> pl.DataFrame:
    """Rows the given load (default: the latest) refused, and values it left out of rows it
    loaded (`gevolg`), with file, line and reason; rejected rows first. offset and limit page
    through them (a load can report millions)."""
    if not _allowed(viewer):
        return pl.DataFrame(schema=REJECTED_SCHEMA)
    with engine.connect() as conn:
        run_id = _run(conn, run_id)
        if run_id is None:
            return pl.DataFrame(schema=REJECTED_SCHEMA)
        query = (
            sa.select(
                _rejected.c.run_id,
                _rejected.c.bestand,
                _rejected.c.regel,
                _rejected.c.kolom,
                _rejected.c.waarde,
                _rejected.c.reden,
                _rejected.c.gevolg,
            )
            .where(_rejected.c.run_id == run_id)
            .order_by(
                _rejected.c.gevolg != AFGEWEZEN,
                _rejected.c.bestand,
                _rejected.c.regel,
                _rejected.c.id,
            )
            .offset(max(offset, 0))
            .limit(limit)
        )
        rows = conn.execute(query).mappings().all()
    return pl.DataFrame([dict(r) for r in rows], schema=REJECTED_SCHEMA)


SUMMARY_SCHEMA = {
    "gevolg": pl.String,
    "bestand": pl.String,
    "reden": pl.String,
    "rijen_per_reden": pl.Int64,
}


def rejected_summary(engine: sa.Engine, viewer: Viewer, run_id: int | None = None) -> pl.DataFrame:
    """Per gevolg, file and reason how many rows the load (default: the latest) reported,
    counted by the database; empty for anyone but a beheerder."""
    if not _allowed(viewer):
        return pl.DataFrame(schema=SUMMARY_SCHEMA)
    r = _rejected.c
    with engine.connect() as conn:
        run_id = _run(conn, run_id)
        if run_id is None:
            return pl.DataFrame(schema=SUMMARY_SCHEMA)
        query = (
            sa.select(r.gevolg, r.bestand, r.reden, sa.func.count().label("rijen_per_reden"))
            .where(r.run_id == run_id)
            .group_by(r.gevolg, r.bestand, r.reden)
        )
        rows = conn.execute(query).mappings().all()
    return pl.DataFrame([dict(row) for row in rows], schema=SUMMARY_SCHEMA)


_PER_RONDE = "Per laadronde, zoals de lading het heeft vastgelegd"
FIGUREN = (
    Figuur("rijen_geladen", "Rijen geladen", "stroom", "aantal", 0,
           f"{_PER_RONDE}: de rijen van alle bestanden van de export die zijn geladen."),
    Figuur("rijen_afgewezen", "Rijen afgewezen", "stroom", "aantal", 0,
           f"{_PER_RONDE}: de rijen van de export die niet zijn geladen omdat ze het "
           "datacontract schenden.", hoger_beter=False),
    Figuur("waarden_weggelaten", "Waarden weggelaten", "stroom", "aantal", 0,
           f"{_PER_RONDE}: de losse waarden die zijn weggelaten terwijl hun rij wel is "
           "geladen.", hoger_beter=False),
    Figuur("duur_s", "Duur van de laadronde (seconden)", "stroom", "aantal", 0,
           f"{_PER_RONDE}: de hele seconden van de start tot het einde van de lading; leeg "
           "zolang zij loopt."),
    Figuur("rijen_per_reden", "Gemelde rijen per reden", "stroom", "aantal", 0,
           "Per laadronde, gevolg, bestand en reden: de rijen die de lading heeft gemeld "
           "(afgewezen of met een weggelaten waarde).", hoger_beter=False),
)  # fmt: skip
