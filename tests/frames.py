"""Snapshots for query tests, built from the shared sample export without a database."""

from datetime import date
from pathlib import Path

import polars as pl

from queries.snapshot import SCHEMA, Snapshot

SAMPLE_EXPORT = Path(__file__).resolve().parent / "sample-export"


def _typed(df: pl.DataFrame, schema: dict) -> pl.DataFrame:
    exprs = []
    for col, dtype in schema.items():
        c = pl.col(col)
        if dtype == pl.Boolean:
            exprs.append(
                c.replace_strict({"ja": True, "nee": False}, default=None, return_dtype=pl.Boolean)
            )
        elif dtype == pl.Date:
            exprs.append(c.str.to_date())
        else:
            exprs.append(c.cast(dtype))
    return df.select(exprs)


def sample_snapshot(export_date: date = date(2025, 11, 1)) -> Snapshot:
    """The shared sample export as a Snapshot, typed like a loaded database."""
    frames = {
        name: _typed(pl.read_csv(SAMPLE_EXPORT / f"{name}.csv", infer_schema=False), schema)
        for name, schema in SCHEMA.items()
    }
    return Snapshot.from_frames(export_date, **frames)
