"""A fingerprint of the deadline and KPI outputs of one load at a few peildata: the same
before and after a change that must not move any figure (issue 13's prepared data).

    python -m tests.vingerafdruk DB_URL DAY [DAY ...]

prints one `figure day sha256` line per output; tests compare them with the lines the code
before the change printed for the same generated demo.
"""

import hashlib
import json
import sys
from datetime import date

import polars as pl
import sqlalchemy as sa

from queries.afbouw import stock_per_month
from queries.caseload import caseload, caseload_by
from queries.config import Config, load_config
from queries.kpis import kpis
from queries.rapportage import organisation_trend
from queries.scope import MANAGER, Viewer, holders
from queries.snapshot import Snapshot, load_snapshot
from queries.termijnen import termijn_historie, termijnen, werklijst
from queries.tijdigheid import maatregel_cijfers, timeliness
from queries.zicht import zicht

# Sums of floats come out in a varying order, so their last bits vary between runs; rows of
# equal sort keys may come in any order. Neither is a change of figure.
DECIMALS = 9


def _frame(frame: pl.DataFrame) -> str:
    frame = frame.with_columns(pl.col(pl.Float64, pl.Float32).round(DECIMALS))
    canonical = frame.sort(frame.columns, nulls_last=True)
    return hashlib.sha256(canonical.write_csv().encode()).hexdigest()


def _value(value: object) -> object:
    return round(value, DECIMALS) if isinstance(value, float) else value


def _busiest_worker(snap: Snapshot, as_of: date) -> str:
    held = holders(snap, as_of).filter(pl.col("rol") == "jeugdzorgwerker")
    return held.group_by("medewerker_id").len().sort("len", "medewerker_id").row(-1)[0]


def fingerprints(snap: Snapshot, as_of: date, config: Config) -> dict[str, str]:
    """sha256 of each output's CSV (a dict's JSON) as of as_of, for MT and one worker."""
    worker = _busiest_worker(snap, as_of)
    start_month = as_of.replace(day=1)
    since = date(as_of.year - 1, 7, 1)
    outputs = {
        "termijnen": termijnen(snap, MANAGER, as_of, config),
        "termijn_historie": termijn_historie(snap, MANAGER, as_of, config),
        "werklijst": werklijst(snap, Viewer("jeugdzorgwerker", worker), as_of, config),
        "maatregel_cijfers": maatregel_cijfers(snap, MANAGER, as_of, config),
        "timeliness": timeliness(snap, MANAGER, as_of, config, since=since),
        "zicht": zicht(snap, MANAGER, as_of, config),
        "caseload": caseload(snap, MANAGER, as_of, config),
        "caseload_regio": caseload_by(snap, MANAGER, as_of, config, "regio"),
        "stock_24m": stock_per_month(snap, MANAGER, as_of, config, months=24),
        "trend": organisation_trend(snap, MANAGER, as_of, config, months=14),
    }
    prints = {name: _frame(frame) for name, frame in outputs.items()}
    figures = kpis(snap, MANAGER, as_of, config, since, start_month)
    prints["kpis"] = hashlib.sha256(
        json.dumps({k: _value(v) for k, v in figures.items()}, sort_keys=True, default=str).encode()
    ).hexdigest()
    return prints


def main(argv: list[str]) -> None:
    snap = load_snapshot(sa.create_engine(argv[0]))
    config = load_config()
    for day in argv[1:]:
        for name, digest in fingerprints(snap, date.fromisoformat(day), config).items():
            print(name, day, digest)


if __name__ == "__main__":
    main(sys.argv[1:])
