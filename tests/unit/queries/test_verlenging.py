"""Verlenging voorbereiden: einde_gepland within 8 weeks of the peildatum, per holder."""

from datetime import timedelta

import polars as pl

from queries.config import Config
from queries.figuren import waarde
from queries.figuur import Filters
from queries.scope import MANAGER, Viewer
from queries.verlenging import verlenging_voorbereiden
from tests.unit.queries.wereld import D, measures, toewijzingen, wereld

CONFIG = Config()


def snap():
    ends = {
        "M1": D,  # ends on D: still flagged
        "M2": D + timedelta(weeks=8),  # the last day of the window
        "M3": D + timedelta(weeks=8, days=1),  # just outside
        "M4": D + timedelta(days=3),  # ended early, before D
        "M5": D + timedelta(days=10),  # another worker's
    }
    m = measures(
        *((k, "OTS", "2025-01-01", "2026-03-01" if k == "M4" else None, "J") for k in ends)
    ).with_columns(einde_gepland=pl.col("maatregel_id").replace_strict(ends))
    held = toewijzingen(*((k, "w2" if k == "M5" else "w1", "A") for k in ends))
    return wereld(m, held)


def test_within_eight_weeks():
    got = verlenging_voorbereiden(snap(), MANAGER, D, CONFIG)
    assert got["maatregel_id"].to_list() == ["M1", "M5", "M2"]
    assert got["dagen_tot_einde"].to_list() == [0, 10, 56]
    assert waarde("verlenging_voorbereiden", snap(), MANAGER, D, CONFIG) == 3


def test_per_worker():
    w1 = Viewer("jeugdzorgwerker", "w1")
    assert waarde("verlenging_voorbereiden", snap(), w1, D, CONFIG) == 2
    assert waarde("verlenging_voorbereiden", snap(), MANAGER, D, CONFIG,
                  Filters(medewerker_id="w2")) == 1  # fmt: skip
