"""What the load log says about the data: which statuses changed it, and whether a real export
(not `python -m etl demo`) was ever loaded. Shared by etl, which refuses demo accounts then, and
queries, which refuses them at login."""

import sqlalchemy as sa

from store.schema import etl_runs

# geslaagd: all rows loaded; gedeeltelijk: some rows rejected; mislukt: nothing changed.
GESLAAGD, GEDEELTELIJK, MISLUKT = "geslaagd", "gedeeltelijk", "mislukt"
LOADED = (GESLAAGD, GEDEELTELIJK)


def real_load_exists() -> sa.Exists:
    """Some load of a real export changed the data tables."""
    return sa.exists().where(etl_runs.c.status.in_(LOADED), etl_runs.c.demo.is_(False))
