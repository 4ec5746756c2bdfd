"""What a load prepares once for every worker on every host, in its own transaction: the tables
as the queries read them (the contacts cut to those a norm can use), the deadline engine's
day-independent frames and the trends' month stocks, as Arrow IPC in `voorbereide_data`, keyed
by the load."""

from collections.abc import Mapping
from datetime import date

import polars as pl
import sqlalchemy as sa

from queries import kpis, termijnen
from queries.bruikbare_contacten import bruikbaar, norm_sleutel
from queries.config import Config, config_hash
from queries.snapshot import (
    FORMAAT,
    Snapshot,
    read_frame,
    read_tables,
    typed_tables,
    write_frame,
)
from store.ladingen import GEDEELTELIJK, GESLAAGD
from store.schema import etl_runs, voorbereide_data

# Loads whose prepared data is kept: the latest, and the one before for requests still on it.
BEWAARD = 2


def voorbereid(
    frames: Mapping[str, pl.DataFrame], export_date: date, config: Config
) -> dict[str, pl.DataFrame]:
    """The named frames a load stores, from the load's own frames (every contract table)."""
    tables = typed_tables(frames)
    snap = Snapshot(tables=tables, export_date=export_date)
    out = termijnen.prepare_frames(snap, config) | kpis.prepare_frames(snap, config)
    tables["contacten"] = bruikbaar(tables["contacten"], tables["maatregelen"], config)
    out |= {f"tabel/{name}": frame for name, frame in tables.items()}
    out["meta"] = pl.DataFrame(
        {
            "formaat": [FORMAAT],
            "config": [config_hash(config)],
            "contacten_voor": [norm_sleutel(config)],
        }
    )
    return out


def bewaar(conn: sa.Connection, run_id: int, frames: Mapping[str, pl.DataFrame]) -> int:
    """Store frames as run_id's (instead of any it had) in the caller's transaction and drop
    those of loads older than the latest BEWAARD; returns the bytes stored."""
    conn.execute(voorbereide_data.delete().where(voorbereide_data.c.run_id == run_id))
    stored = 0
    for naam, data in als_bytes(frames).items():
        conn.execute(voorbereide_data.insert(), {"run_id": run_id, "naam": naam, "data": data})
        stored += len(data)
    kept = (
        sa.select(etl_runs.c.id)
        .where(etl_runs.c.status.in_((GESLAAGD, GEDEELTELIJK)))
        .order_by(etl_runs.c.id.desc())
        .limit(BEWAARD)
    )
    newest = [*conn.execute(kept).scalars()]
    conn.execute(voorbereide_data.delete().where(voorbereide_data.c.run_id.not_in(newest)))
    return stored


def als_bytes(frames: Mapping[str, pl.DataFrame]) -> dict[str, bytes]:
    """Each frame as voorbereide_data stores it."""
    return {naam: write_frame(frame) for naam, frame in frames.items()}


def heeft(conn: sa.Connection, run_id: int) -> bool:
    """Whether the load run_id has prepared frames in this code's FORMAAT: a load before
    migration 0007 has none, one prepared by older code may have them in another shape."""
    meta = sa.select(voorbereide_data.c.data).where(
        voorbereide_data.c.run_id == run_id, voorbereide_data.c.naam == "meta"
    )
    data = conn.execute(meta).scalar_one_or_none()
    return data is not None and read_frame(data)["formaat"].item() == FORMAAT


def van_de_tabellen(engine: sa.Engine, config: Config) -> tuple[int, dict[str, pl.DataFrame]]:
    """The latest load's frames to store, read from its tables."""
    snap = read_tables(engine)
    return snap.run_id, voorbereid(snap.tables, snap.export_date, config)
