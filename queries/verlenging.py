"""Verlenging voorbereiden: active measures whose einde_gepland is near, a signal beside the
deadlines (time to prepare a verlenging or the afsluiting)."""

from datetime import date

import polars as pl

from queries.config import Config
from queries.figuur import Figuur, Filters
from queries.houder import ALLE, narrow
from queries.scope import Viewer
from queries.snapshot import Snapshot
from queries.termijnen import signalen


def verlenging_voorbereiden(
    snap: Snapshot, viewer: Viewer, as_of: date, config: Config, filters: Filters = ALLE
) -> pl.DataFrame:
    """termijnen.signalen within the filters: einde_gepland within the signal weeks of as_of."""
    return narrow(signalen(snap, viewer, as_of, config), filters)


def _aantal(snap: Snapshot, viewer: Viewer, as_of: date, config: Config, f: Filters) -> int:
    return verlenging_voorbereiden(snap, viewer, as_of, config, f).height


FIGUREN = (
    Figuur("verlenging_voorbereiden", "Verlenging voorbereiden", "voorraad", "aantal", 0,
           "Actieve maatregelen waarvan het geplande einde binnen 8 weken na de peildatum valt "
           "(de peildatum en de laatste dag meegeteld): tijd om een verlenging of de afsluiting "
           "voor te bereiden. Een signaal, geen termijn.", _aantal),
)  # fmt: skip
