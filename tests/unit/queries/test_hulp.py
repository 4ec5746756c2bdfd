"""Hulp wachttijd, hand-worked: the median over 12 months, waiting beyond 3 months, gemeente."""

from queries.config import Config
from queries.figuren import waarde
from queries.hulp import hulp_wachttijd
from queries.scope import MANAGER, Viewer
from tests.unit.queries.wereld import D, measures, rows, toewijzingen, wereld

CONFIG = Config()
GGZ, PLEEG = "jeugd-ggz", "pleegzorg"


def snap():
    return wereld(
        measures(
            ("M1", "OTS", "2025-01-01", None, "J1"),
            ("M2", "OTS", "2025-01-01", None, "J2"),
            ("M3", "OTS", "2025-01-01", "2026-01-01", "J3"),  # ended before D
        ),
        toewijzingen(("M1", "w1", "A"), ("M2", "c1", "C"), ("M3", "w1", "A")),
        jeugdigen=rows(
            "jeugdige_id geboortedatum gemeente",
            ("J1", "2015-01-01", "Assen"),
            ("J2", "2015-01-01", None),
            ("J3", "2015-01-01", "Emmen"),
        ),
        hulp=rows(
            "hulp_id maatregel_id soort aangevraagd gestart",
            ("H1", "M1", PLEEG, "2025-06-01", "2025-07-01"),  # 30 days
            ("H2", "M1", PLEEG, "2025-01-01", "2025-03-16"),  # started 12 months before D: out
            ("H3", "M2", PLEEG, "2025-10-01", "2025-11-20"),  # 50 days
            ("H4", "M3", GGZ, "2025-09-01", "2025-09-11"),  # 10 days; the measure ended since
            ("H5", "M1", GGZ, "2025-12-15", None),  # waiting; 3 months passed on 15 March
            ("H6", "M2", GGZ, "2025-12-16", None),  # waiting; 3 months is D itself: not beyond
            ("H7", "M2", PLEEG, "2026-03-01", "2026-03-20"),  # started after D: waiting on D
            ("H8", "M3", GGZ, "2025-11-01", None),  # measure ended: not waiting
            ("H9", "M1", None, "2026-03-17", None),  # requested after D
        ),
    )


def per(frame, key):
    cols = ("hulp_gestart_12m", "hulp_wachttijd_mediaan", "hulp_wachtend", "hulp_wachtend_lang_pct")
    return {r[key]: tuple(r[c] for c in cols) for r in frame.iter_rows(named=True)}


def test_per_hulp_soort():
    got = per(hulp_wachttijd(snap(), MANAGER, D, CONFIG, "hulp_soort"), "hulp_soort")
    assert got == {PLEEG: (2, 40.0, 1, 0.0), GGZ: (1, 10.0, 2, 50.0)}


def test_per_gemeente_with_onbekend():
    got = per(hulp_wachttijd(snap(), MANAGER, D, CONFIG, "gemeente"), "gemeente")
    assert got == {
        "Assen": (1, 30.0, 1, 100.0),
        "Emmen": (1, 10.0, 0, None),
        "onbekend": (1, 50.0, 2, 0.0),
    }


def test_totals_and_scope():
    s = snap()
    assert waarde("hulp_wachttijd_mediaan", s, MANAGER, D, CONFIG) == 30.0
    assert waarde("hulp_gestart_12m", s, MANAGER, D, CONFIG) == 3
    assert waarde("hulp_wachtend", s, MANAGER, D, CONFIG) == 3
    assert waarde("hulp_wachtend_lang_pct", s, MANAGER, D, CONFIG) == 33.3
    # w1 holds M1 and held M3 when it ended: median of 30 and 10.
    w1 = Viewer("jeugdzorgwerker", "w1")
    assert waarde("hulp_wachttijd_mediaan", s, w1, D, CONFIG) == 20.0
    assert (waarde("hulp_wachtend", s, w1, D, CONFIG),
            waarde("hulp_wachtend_lang_pct", s, w1, D, CONFIG)) == (1, 100.0)  # fmt: skip


def test_the_term_follows_the_setting():
    longer = Config(hulp_maanden=4)
    assert waarde("hulp_wachtend_lang_pct", snap(), MANAGER, D, longer) == 0.0
